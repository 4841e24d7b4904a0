import type { HttpBindings } from "@hono/node-server";
import type { ClientKeyLimits } from "@proofgate/db";
import type { Provider } from "@proofgate/providers";

/** Per-request values the middlewares set and the handlers read. */
export interface AppVariables {
  requestId: string;
  /** performance.now() when the request arrived: latency and TTFB are measured from here. */
  startedAt: number;
  /** Whose error shape this request speaks. */
  protocol: Provider;
  /** Id of the client key that authenticated (null for PROOFGATE_DEV_KEY). */
  clientKeyId: string | null;
  /** That key's limits, as its verification read them (absent for PROOFGATE_DEV_KEY and keys without a row). */
  clientKeyLimits: ClientKeyLimits | undefined;
  /** Extra fields for the request's log line, filled by the handler. */
  logFields: Record<string, unknown> | undefined;
}

/**
 * Bindings are optional: under @hono/node-server they are the raw request and response (the proxy streams
 * through them), while app.request() in a test has none.
 */
export interface AppEnv {
  Bindings: Partial<HttpBindings>;
  Variables: AppVariables;
}
