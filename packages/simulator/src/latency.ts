import { setTimeout as sleep } from "node:timers/promises";
import { uniform } from "./rng.ts";
import { DEFAULT_LATENCY, type LatencyProfile, type Scenario } from "./scenario.ts";

/** Rough token count (about four characters a token), used for usage and pacing. */
export function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export class Latency {
  readonly enabled: boolean;
  private readonly scenario: Scenario;
  private readonly seed: number | string;
  private n = 0;

  constructor(scenario: Scenario, seed: number | string, enabled: boolean) {
    this.scenario = scenario;
    this.seed = seed;
    this.enabled = enabled;
  }

  profile(model: string): LatencyProfile {
    return { ...DEFAULT_LATENCY, ...this.scenario.models.find((m) => m.name === model)?.latency };
  }

  /** Time to first token: the profile's mean, spread uniformly over ± jitter. */
  ttftMs(model: string): number {
    const p = this.profile(model);
    return Math.max(0, p.ttftMs + (uniform(this.seed, model, "ttft", this.n++) * 2 - 1) * p.ttftJitterMs);
  }

  async firstToken(model: string, signal?: AbortSignal): Promise<void> {
    if (this.enabled) await sleep(this.ttftMs(model), undefined, { signal }).catch(() => {});
  }

  /**
   * Paces a stream against a schedule from its first token (not piece by piece), so timer overhead does
   * not pile up: returns once `tokensSoFar` tokens are due.
   */
  async until(model: string, firstTokenAt: number, tokensSoFar: number, signal?: AbortSignal): Promise<void> {
    if (!this.enabled) return;
    const due = firstTokenAt + (tokensSoFar / this.profile(model).tokensPerSecond) * 1000;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait, undefined, { signal }).catch(() => {});
  }

  async tokens(model: string, count: number, signal?: AbortSignal): Promise<void> {
    if (!this.enabled || count <= 0) return;
    await sleep((count / this.profile(model).tokensPerSecond) * 1000, undefined, { signal }).catch(() => {});
  }
}

/** Splits text into stream pieces of a word (with its following space) each, so deltas rejoin exactly. */
export function pieces(text: string): string[] {
  const out = text.match(/\S+\s*|\s+/g) ?? [];
  return out.length ? out : [""];
}
