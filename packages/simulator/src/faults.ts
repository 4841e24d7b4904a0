import { uniform } from "./rng.ts";
import { NO_FAULTS, type FaultProfile, type Scenario } from "./scenario.ts";

export const FAULT_KINDS = ["rate_limit", "server_error", "overloaded", "timeout", "stream_cut"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults requested at run time: the next `count` requests to `model` fail this way. */
export type InjectedFault = { kind: FaultKind; count: number; retryAfterSeconds?: number };

export type FaultDecision = { kind: FaultKind; retryAfterSeconds: number; timeoutMs: number } | null;

export class FaultPlan {
  private readonly scenario: Scenario;
  private readonly seed: number | string;
  private readonly injected = new Map<string, InjectedFault[]>();
  private readonly overrides = new Map<string, Partial<FaultProfile>>();
  private counter = 0;

  constructor(scenario: Scenario, seed: number | string) {
    this.scenario = scenario;
    this.seed = seed;
  }

  profile(model: string): FaultProfile {
    const m = this.scenario.models.find((x) => x.name === model);
    return { ...NO_FAULTS, ...m?.faults, ...this.overrides.get(model) };
  }

  inject(model: string, fault: InjectedFault): void {
    const queue = this.injected.get(model) ?? [];
    queue.push({ ...fault });
    this.injected.set(model, queue);
  }

  setRates(model: string, patch: Partial<FaultProfile>): void {
    this.overrides.set(model, { ...this.overrides.get(model), ...patch });
  }

  clear(): void {
    this.injected.clear();
    this.overrides.clear();
  }

  /** Injected faults first (in order), then the model's random fault rates. `stream` enables stream cuts. */
  decide(model: string, stream: boolean): FaultDecision {
    const p = this.profile(model);
    const queue = this.injected.get(model);
    const head = queue?.[0];
    if (queue && head && (head.kind !== "stream_cut" || stream)) {
      head.count -= 1;
      if (head.count <= 0) queue.shift();
      return { kind: head.kind, retryAfterSeconds: head.retryAfterSeconds ?? p.retryAfterSeconds, timeoutMs: p.timeoutMs };
    }
    const u = uniform(this.seed, model, "fault", this.counter++);
    const order: [FaultKind, number][] = [
      ["rate_limit", p.rate429],
      ["server_error", p.rate500],
      ["overloaded", p.rate529],
      ["timeout", p.timeoutRate],
      ["stream_cut", stream ? p.streamCutRate : 0],
    ];
    let edge = 0;
    for (const [kind, rate] of order) {
      edge += rate;
      if (u < edge) return { kind, retryAfterSeconds: p.retryAfterSeconds, timeoutMs: p.timeoutMs };
    }
    return null;
  }
}

export const FAULT_STATUS: Record<Exclude<FaultKind, "timeout" | "stream_cut">, number> = {
  rate_limit: 429,
  server_error: 500,
  overloaded: 529,
};
