import type { IncomingHttpHeaders } from "node:http";
import { decodeBody } from "./decode.ts";
import type { JsonObject } from "./json.ts";
import type { Upstreams } from "./upstream.ts";
import type { Wire } from "./wire.ts";

/**
 * Headers of a call proofgate makes itself (replay, judge, shadow): the server's key as the wire carries it,
 * JSON, the wire's required headers (Anthropic's version: a replay has no client to send one), then `extra`.
 */
export function serverHeaders(wire: Wire, apiKey: string | undefined, extra?: Record<string, string>): Record<string, string> {
  return {
    ...(apiKey ? wire.authHeaders(apiKey) : {}),
    "content-type": "application/json",
    ...wire.requiredHeaders,
    ...extra,
  };
}

export interface UpstreamReply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, decoded from its content-encoding. */
  text: string;
  /** From sending the request to the last body byte. */
  latencyMs: number;
}

/**
 * One non-streamed call with the server's key on `wire`, through the shared upstream pools: the whole reply,
 * decoded, whatever its status (the caller decides what a failure means). `call.headers` are added to the
 * server's headers.
 */
export async function callUpstream(
  upstreams: Pick<Upstreams, "apiKey" | "request">,
  wire: Wire,
  call: { body: JsonObject; headers?: Record<string, string> | undefined; signal?: AbortSignal | undefined },
): Promise<UpstreamReply> {
  const headers = serverHeaders(wire, upstreams.apiKey(wire.provider), call.headers);
  const started = performance.now();
  const response = await upstreams.request({
    provider: wire.provider,
    path: wire.upstreamPath,
    method: "POST",
    headers,
    body: Buffer.from(JSON.stringify(call.body)),
    signal: call.signal,
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  const encoding = response.headers["content-encoding"];
  const text = decodeBody(chunks, typeof encoding === "string" ? encoding : undefined);
  return { status: response.statusCode, headers: response.headers, text, latencyMs: performance.now() - started };
}
