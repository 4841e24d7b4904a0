import { createHash } from "node:crypto";
import { mulberry32 } from "@proofgate/parity";

/**
 * Deterministic randomness. Every draw is keyed by a path (seed, model, family, input, sample, purpose), so a
 * sample never depends on how many other requests came before it and replays are reproducible.
 */
export function hashKey(...parts: readonly (string | number)[]): string {
  return createHash("sha256").update(parts.join("\u001f")).digest("hex");
}

export type Rng = {
  /** uniform in [0, 1) */
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  shuffle<T>(items: readonly T[]): T[];
};

/** A keyed stream: sha256 seeds parity's mulberry32 generator, the one every seeded simulation uses. */
export function rngFor(...parts: readonly (string | number)[]): Rng {
  const next = mulberry32(Number.parseInt(hashKey(...parts).slice(0, 8), 16));
  const int = (maxExclusive: number): number => Math.floor(next() * maxExclusive);
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(items.length)] as T;
    },
    chance: (p: number) => next() < p,
    shuffle<T>(items: readonly T[]): T[] {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [out[i], out[j]] = [out[j] as T, out[i] as T];
      }
      return out;
    },
  };
}

/** A single uniform draw for one keyed decision (cheaper to reason about than a shared stream). */
export function uniform(...parts: readonly (string | number)[]): number {
  return Number.parseInt(hashKey(...parts).slice(0, 13), 16) / 2 ** 52;
}
