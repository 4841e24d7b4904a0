import { captureLater } from "./capture.ts";
import type { ProxyContext } from "./context.ts";
import type { Exchange } from "./exchange.ts";
import type { RelayResult } from "./relay.ts";

/** How an exchange ended. */
export type Outcome =
  /** Baseline: the head was sent, then the body ended or broke. */
  | { kind: "relayed"; result: RelayResult }
  /** Candidate: its reply (held whole, or streamed past its first byte) went out. */
  | {
      kind: "answered";
      status: number;
      headers: Record<string, string | string[] | undefined>;
      failure: string | null;
      brokenBy: "client" | "upstream" | null;
    }
  /** 499 (nginx's convention): the client closed the request; nobody is left to answer. */
  | { kind: "client_left"; failure: string }
  /** Nothing was sent; the caller answers with the error. `errorKind` counts an upstream that failed. */
  | { kind: "failed"; status: number; failure: string; errorKind?: "timeout" | "unreachable" };

/**
 * The one place an exchange ends: its status and failure are set, the upstream metrics counted, a
 * candidate's attempt reported to its route, and the capture handed over.
 */
export function settle(ctx: ProxyContext, exchange: Exchange, outcome: Outcome): void {
  const provider = exchange.servedProvider ?? exchange.wire.provider;
  switch (outcome.kind) {
    case "relayed": {
      const result = outcome.result;
      exchange.status = result.status;
      exchange.headers = result.headers;
      exchange.firstByteAt = result.firstByteAt;
      exchange.endedAt = result.endedAt;
      exchange.failure = result.failure;
      if (result.status >= 500) ctx.metrics.upstreamErrors.inc({ provider, kind: "status" });
      if (result.brokenBy === "upstream") ctx.metrics.upstreamErrors.inc({ provider, kind: "stream" });
      if (result.firstByteAt !== null) ctx.metrics.upstreamTtfb.observe({ provider }, (result.firstByteAt - exchange.startedAt) / 1000);
      break;
    }
    case "answered":
      exchange.status = outcome.status;
      exchange.headers = outcome.headers;
      exchange.endedAt = performance.now();
      exchange.failure = outcome.failure;
      if (outcome.brokenBy === "upstream") ctx.metrics.upstreamErrors.inc({ provider, kind: "stream" });
      break;
    case "client_left":
      exchange.status = 499;
      exchange.failure = outcome.failure;
      exchange.endedAt = performance.now();
      break;
    case "failed":
      exchange.status = outcome.status;
      exchange.failure = outcome.failure;
      exchange.endedAt = performance.now();
      if (outcome.errorKind) ctx.metrics.upstreamErrors.inc({ provider, kind: outcome.errorKind });
      break;
  }
  captureLater(exchange, ctx.capture);
  // A candidate that answered whole is the route's evidence; a fallback is reported by whoever falls back.
  if (exchange.route && outcome.kind === "answered" && !outcome.failure) {
    exchange.route.report({ fallback: false, captureId: exchange.id });
  }
}
