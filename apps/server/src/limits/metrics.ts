import { Counter, type Registry } from "prom-client";

/** Requests refused for a client key's limit, by the limit (rpm, tpm, daily_usd, monthly_usd). */
export function keyLimitMetrics(registry: Registry): Counter<"limit"> {
  const name = "proofgate_key_limited_total";
  return (
    (registry.getSingleMetric(name) as Counter<"limit"> | undefined) ??
    new Counter({
      name,
      help: "Requests answered 429 because their client key was over a limit, by limit.",
      labelNames: ["limit"] as const,
      registers: [registry],
    })
  );
}
