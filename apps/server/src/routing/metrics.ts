import { Counter, type Registry } from "prom-client";

function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export interface RoutingMetrics {
  served: Counter<"route">;
  fallbacks: Counter<"reason">;
  reverts: Counter<"cause">;
  shadowEnqueued: Counter;
}

export function routingMetrics(registry: Registry): RoutingMetrics {
  const registers = [registry];
  return {
    served: once(registry, "proofgate_routed_requests_total", () =>
      new Counter({ name: "proofgate_routed_requests_total", help: "Requests of switched prompts, by how they were served (candidate or fallback).", labelNames: ["route"] as const, registers }),
    ),
    fallbacks: once(registry, "proofgate_route_fallbacks_total", () =>
      new Counter({ name: "proofgate_route_fallbacks_total", help: "Candidate answers replaced by the baseline's, by reason (error, timeout, contract).", labelNames: ["reason"] as const, registers }),
    ),
    reverts: once(registry, "proofgate_route_auto_reverts_total", () =>
      new Counter({ name: "proofgate_route_auto_reverts_total", help: "Routes reverted without a person, by cause (fallback_rate, drift).", labelNames: ["cause"] as const, registers }),
    ),
    shadowEnqueued: once(registry, "proofgate_shadow_enqueued_total", () =>
      new Counter({ name: "proofgate_shadow_enqueued_total", help: "Candidate-served requests sent to the drift watch.", registers }),
    ),
  };
}
