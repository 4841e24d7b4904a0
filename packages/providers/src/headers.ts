import type { IncomingHttpHeaders } from "node:http";
import type { Provider } from "./endpoints.ts";

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
  if (apiKey) {
    if (provider === "openai") out["authorization"] = `Bearer ${apiKey}`;
    else out["x-api-key"] = apiKey;
  }
  return out;
}

/**
 * Upstream response headers that must not reach the client: hop-by-hop headers (this is a new connection),
 * and headers that describe the provider's host rather than the response (cookies, alt-svc, HSTS).
 * Everything else passes: request ids, rate-limit headers, retry-after, processing times.
 */
const droppedResponseHeaders = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "set-cookie",
  "alt-svc",
  "strict-transport-security",
  "date",
  "server",
]);

export type ResponseHeaders = Record<string, string | string[]>;

/** Copies the upstream's response headers that belong to the response into `out`. */
export function copyResponseHeaders(upstream: Record<string, string | string[] | undefined>, out: ResponseHeaders) {
  for (const name in upstream) {
    const value = upstream[name];
    if (value !== undefined && !droppedResponseHeaders.has(name)) out[name] = value;
  }
  return out;
}

/** The provider's own id for the exchange, from its response headers. */
export function upstreamRequestId(provider: Provider, headers: Record<string, string | string[] | undefined>) {
  const value = provider === "openai" ? headers["x-request-id"] : (headers["request-id"] ?? headers["x-request-id"]);
  return typeof value === "string" ? value : null;
}
