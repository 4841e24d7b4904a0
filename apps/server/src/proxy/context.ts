import type { Upstreams } from "@proofgate/providers";
import type { HttpMetrics } from "../http/metrics.ts";
import type { CaptureContext } from "./capture.ts";
import type { InFlightBudget } from "./in-flight.ts";
import type { RouteTable } from "./route-table.ts";

/** Everything the proxy routes share, built once by the app. */
export interface ProxyContext {
  upstreams: Upstreams;
  routes: RouteTable;
  capture: CaptureContext;
  metrics: HttpMetrics;
  timeoutMs: number;
  /** The server-wide bound on request and kept reply bytes in flight. */
  budget: InFlightBudget;
  /** Replies larger than this are relayed but captured without their body. */
  captureReplyBytes: number;
}
