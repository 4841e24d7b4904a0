import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Returns the metric already on the registry (a second app on one registry, in tests) or registers it. */
function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export interface HttpMetrics {
  requests: Counter<"route" | "status">;
  duration: Histogram<"route">;
  upstreamTtfb: Histogram<"provider">;
  upstreamErrors: Counter<"provider" | "kind">;
  captureFailures: Counter;
  inFlight: { bytes: Gauge; budget: Gauge; peak: Gauge; waits: Counter; refused: Counter };
}

/** The HTTP side's metrics; the capture writer adds its own (buffer depth, dropped) on the same registry. */
export function httpMetrics(registry: Registry): HttpMetrics {
  const registers = [registry];
  return {
    requests: once(registry, "proofgate_http_requests_total", () =>
      new Counter({ name: "proofgate_http_requests_total", help: "HTTP requests answered, by route and status.", labelNames: ["route", "status"] as const, registers }),
    ),
    duration: once(registry, "proofgate_http_request_duration_seconds", () =>
      new Histogram({
        name: "proofgate_http_request_duration_seconds",
        help: "Time from request arrival to the last byte of the response (streams included).",
        labelNames: ["route"] as const,
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
        registers,
      }),
    ),
    upstreamTtfb: once(registry, "proofgate_upstream_ttfb_seconds", () =>
      new Histogram({
        name: "proofgate_upstream_ttfb_seconds",
        help: "Time from request arrival to the upstream's first response byte.",
        labelNames: ["provider"] as const,
        buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers,
      }),
    ),
    upstreamErrors: once(registry, "proofgate_upstream_errors_total", () =>
      new Counter({
        name: "proofgate_upstream_errors_total",
        help: "Upstream failures: unreachable, timeout, stream (broken mid-body) or status (5xx answers).",
        labelNames: ["provider", "kind"] as const,
        registers,
      }),
    ),
    captureFailures: once(registry, "proofgate_capture_assembly_failures_total", () =>
      new Counter({
        name: "proofgate_capture_assembly_failures_total",
        help: "Exchanges whose capture could not be assembled or handed to the writer (logged each time).",
        registers,
      }),
    ),
    inFlight: {
      bytes: once(registry, "proofgate_inflight_bytes", () =>
        new Gauge({ name: "proofgate_inflight_bytes", help: "Request and kept reply bytes reserved in the in-flight budget now.", registers }),
      ),
      budget: once(registry, "proofgate_inflight_budget_bytes", () =>
        new Gauge({ name: "proofgate_inflight_budget_bytes", help: "The in-flight budget (limits.inFlightBytes).", registers }),
      ),
      peak: once(registry, "proofgate_inflight_bytes_peak", () =>
        new Gauge({ name: "proofgate_inflight_bytes_peak", help: "The most bytes ever reserved in the in-flight budget at once.", registers }),
      ),
      waits: once(registry, "proofgate_inflight_waits_total", () =>
        new Counter({ name: "proofgate_inflight_waits_total", help: "Requests that waited for their share of the in-flight budget.", registers }),
      ),
      refused: once(registry, "proofgate_inflight_refused_total", () =>
        new Counter({ name: "proofgate_inflight_refused_total", help: "Requests answered 503 after waiting limits.inFlightWaitMs for their share.", registers }),
      ),
    },
  };
}
