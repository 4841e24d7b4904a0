import type { IncomingHttpHeaders } from "node:http";
import { chatWireOf } from "./registry.ts";
import type { Provider } from "./wire.ts";

/**
 * Client headers that reach the upstream. An allow-list, so the client's own credentials (authorization,
 * x-api-key, cookies) and anything naming another host can never leak through.
 */
const forwardedRequestHeaders = new Set([
  "content-type",
  "accept",
  "accept-encoding",
  "user-agent",
  "idempotency-key",
  "openai-organization",
  "openai-project",
  "openai-beta",
  "x-client-request-id",
  "anthropic-version",
  "anthropic-beta",
]);

/** The SDKs' telemetry and retry headers (x-stainless-retry-count, -timeout, ...): harmless, useful upstream. */
const forwardedRequestPrefix = "x-stainless-";

/** Builds the upstream request headers: the allowed client headers plus the server-side key. */
export function upstreamRequestHeaders(
  provider: Provider,
  client: IncomingHttpHeaders,
  apiKey: string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in client) {
    if (forwardedRequestHeaders.has(name) || name.startsWith(forwardedRequestPrefix)) {
      const value = client[name];
      if (typeof value === "string") out[name] = value;
      else if (value !== undefined) out[name] = value.join(", ");
    }
  }
  if (apiKey) Object.assign(out, chatWireOf(provider).authHeaders(apiKey));
  return out;
}

/**
 * Upstream response headers that reach the client: an allow-list, so nothing that describes the provider's
 * account (openai-organization, openai-project, anthropic-organization-id), its host (set-cookie, alt-svc,
 * server, HSTS) or this hop (connection, transfer-encoding) passes, and neither does a header the provider
 * adds tomorrow. What is kept is what the official SDKs read (openai and @anthropic-ai/sdk: content-type,
 * content-length, the request ids, x-should-retry, retry-after, retry-after-ms, openai-poll-after-ms) and
 * what callers use to pace themselves (both providers' rate-limit headers, processing time, API version).
 */
const passedResponseHeaders = new Set([
  "content-type",
  "content-length",
  "content-encoding",
  "cache-control",
  "x-request-id",
  "request-id",
  "x-should-retry",
  "retry-after",
  "retry-after-ms",
  "openai-processing-ms",
  "openai-version",
  "openai-poll-after-ms",
]);

/** Rate-limit families, each a prefix: OpenAI's x-ratelimit-{limit,remaining,reset}-*, Anthropic's anthropic-ratelimit-*. */
const passedResponsePrefixes = ["x-ratelimit-", "anthropic-ratelimit-"];

function passes(name: string): boolean {
  if (passedResponseHeaders.has(name)) return true;
  for (const prefix of passedResponsePrefixes) if (name.startsWith(prefix)) return true;
  return false;
}

export type ResponseHeaders = Record<string, string | string[]>;

/**
 * Copies the upstream's response headers that may reach the client into `out`. Headers already in `out`
 * (proofgate's own) win: an upstream cannot overwrite them.
 */
export function copyResponseHeaders(upstream: Record<string, string | string[] | undefined>, out: ResponseHeaders) {
  for (const name in upstream) {
    const value = upstream[name];
    if (value !== undefined && out[name] === undefined && passes(name)) out[name] = value;
  }
  return out;
}

/** The provider's own id for the exchange, from its response headers. */
export function upstreamRequestId(provider: Provider, headers: Record<string, string | string[] | undefined>) {
  const value = provider === "openai" ? headers["x-request-id"] : (headers["request-id"] ?? headers["x-request-id"]);
  return typeof value === "string" ? value : null;
}
