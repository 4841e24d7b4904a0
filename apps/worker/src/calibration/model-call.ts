import { assemble, decodeBody, endpointSpecs, upstreamRequestHeaders, type Assembled, type Endpoint } from "@proofgate/providers";
import { httpFailureError } from "../errors.ts";
import type { CalibrationDeps } from "./deps.ts";

export interface ModelCall {
  endpoint: Endpoint;
  model: string;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

export interface ModelAnswer {
  assembled: Assembled;
  status: number;
  costUsd: number;
  latencyMs: number;
}

// The version Anthropic's API requires on every call; the proxy forwards the client's, a replay has none.
const ANTHROPIC_VERSION = "2023-06-01";

/**
 * One non-streamed call to a provider with the server's key, through the shared upstream pools. A non-2xx
 * answer becomes a RetryableError (429, 5xx, with retry-after) or a NonRetryableError (400, 401, spend cap).
 */
export async function callModel(deps: CalibrationDeps, call: ModelCall): Promise<ModelAnswer> {
  const spec = endpointSpecs[call.endpoint];
  // The registry's provider for the model (models table, provider/model), when it speaks this endpoint's wire.
  const target = deps.upstreams.registry.resolve(spec.provider, call.model);
  const provider = target.wire === spec.provider ? target.provider : spec.provider;
  const body = provider === target.provider && target.mapped ? { ...call.body, model: target.model } : call.body;
  const headers: Record<string, string> = {
    ...upstreamRequestHeaders(spec.provider, {}, deps.upstreams.apiKey(provider)),
    "content-type": "application/json",
    ...(spec.provider === "anthropic" ? { "anthropic-version": ANTHROPIC_VERSION } : {}),
    ...call.headers,
  };
  const started = performance.now();
  const response = await deps.upstreams.request({
    provider,
    path: spec.upstreamPath,
    method: "POST",
    headers,
    body: Buffer.from(JSON.stringify(body)),
    signal: call.signal,
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  const encoding = response.headers["content-encoding"];
  const text = decodeBody(chunks, typeof encoding === "string" ? encoding : undefined);
  const latencyMs = performance.now() - started;
  if (response.statusCode < 200 || response.statusCode >= 300) {
    throw httpFailureError({ status: response.statusCode, headers: response.headers, body: text });
  }
  const assembled = assemble(call.endpoint, text, false);
  const costUsd = assembled.usage ? (deps.prices.cost(provider, provider === target.provider ? target.model : call.model, assembled.usage) ?? 0) : 0;
  return { assembled, status: response.statusCode, costUsd, latencyMs };
}
