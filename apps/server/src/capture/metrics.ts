import { Counter, Gauge, Histogram, type Registry } from "prom-client";

function once<T>(registry: Registry, name: string, make: () => T): T {
  // Several writers may share one registry (tests, a restart inside one process): reuse the metric.
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function captureMetrics(registry: Registry) {
  const registers = [registry];
  return {
    depth: once(registry, "proofgate_capture_buffer_depth", () =>
      new Gauge({ name: "proofgate_capture_buffer_depth", help: "Captures held in memory, waiting for Postgres or the spool.", registers }),
    ),
    bytes: once(registry, "proofgate_capture_buffer_bytes", () =>
      new Gauge({ name: "proofgate_capture_buffer_bytes", help: "Estimated bytes of the captures held in memory.", registers }),
    ),
    dropped: once(registry, "proofgate_captures_dropped_total", () =>
      new Counter({
        name: "proofgate_captures_dropped_total",
        help: "Captures lost, by reason (spool_full, spool_error, spool_corrupt, quarantine_error, internal).",
        labelNames: ["reason"] as const,
        registers,
      }),
    ),
    quarantined: once(registry, "proofgate_captures_quarantined_total", () =>
      new Counter({
        name: "proofgate_captures_quarantined_total",
        help: "Captures kept aside instead of stored, by kind (too_deep, refused, unencodable) and store (table, file).",
        labelNames: ["kind", "store"] as const,
        registers,
      }),
    ),
    written: once(registry, "proofgate_captures_written_total", () =>
      new Counter({ name: "proofgate_captures_written_total", help: "Captures stored in Postgres (from memory or the spool).", registers }),
    ),
    spooled: once(registry, "proofgate_captures_spooled_total", () =>
      new Counter({ name: "proofgate_captures_spooled_total", help: "Captures written to the on-disk spool.", registers }),
    ),
    spoolBytes: once(registry, "proofgate_capture_spool_bytes", () =>
      new Gauge({ name: "proofgate_capture_spool_bytes", help: "Bytes waiting in the on-disk spool.", registers }),
    ),
    writeErrors: once(registry, "proofgate_capture_write_errors_total", () =>
      new Counter({ name: "proofgate_capture_write_errors_total", help: "Failed capture batch writes (retried).", registers }),
    ),
    batchSeconds: once(registry, "proofgate_capture_batch_seconds", () =>
      new Histogram({
        name: "proofgate_capture_batch_seconds",
        help: "Time to write one capture batch to Postgres.",
        buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers,
      }),
    ),
  };
}

export type CaptureMetrics = ReturnType<typeof captureMetrics>;
