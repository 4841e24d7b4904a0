/**
 * Simulated calibrations with known ground truth, shared by the test suite and the bench. Each pair draws
 * s ~ Bernoulli(band) (baseline agrees with itself) and t ~ Bernoulli(candidate) independently: the
 * hardest case for a paired test, since positive correlation between s and t would only shrink d's spread.
 */
import { absorbBatch, createAxisState, mulberry32, settledOutcome } from "../src/index.ts";

export interface EngineRunOptions {
  band: number;
  /** Agreement rate of the candidate; band - margin is "exactly at the margin". */
  candidate: number;
  margin: number;
  failMargin?: number;
  /** Share of the plug-in bet; 0 runs the plain mixture of bets. */
  plugInWeight?: number;
  alpha: number;
  beta: number;
  /** Pairs per look (1: look after every pair, like the SPRT). */
  batch: number;
  maxPairs: number;
  runs: number;
  seed: number;
  /** Draws one pair (s, t) instead of the two independent Bernoulli draws; band and candidate are then unused. */
  draw?: (random: () => number) => [number, number];
}

export interface RunOutcome {
  verdict: "pass" | "fail" | "inconclusive";
  pairs: number;
}

export function simulateEngine(o: EngineRunOptions): RunOutcome[] {
  const random = mulberry32(o.seed);
  const outcomes: RunOutcome[] = [];
  const batch: [number, number][] = [];
  for (let run = 0; run < o.runs; run++) {
    const state = createAxisState("categorical", {
      margin: o.margin,
      failMargin: o.failMargin ?? o.margin,
      ...(o.plugInWeight === undefined ? {} : { plugInWeight: o.plugInWeight }),
    });
    let verdict: RunOutcome["verdict"] = "inconclusive";
    while (state.n < o.maxPairs) {
      batch.length = 0;
      const size = Math.min(o.batch, o.maxPairs - state.n);
      for (let i = 0; i < size; i++) batch.push(o.draw ? o.draw(random) : [random() < o.band ? 1 : 0, random() < o.candidate ? 1 : 0]);
      absorbBatch(state, batch);
      const outcome = settledOutcome(state, o.alpha, o.beta);
      if (outcome) {
        verdict = outcome;
        break;
      }
    }
    outcomes.push({ verdict, pairs: state.n });
  }
  return outcomes;
}

export interface SprtOptions {
  band: number;
  margin: number;
  alpha: number;
  beta: number;
  runs: number;
  seed: number;
}

/**
 * Wald's SPRT on the paired differences d = s - t with every distribution known: H1 "candidate equal"
 * (t ~ Bern(band)) against H0 "candidate worse by the margin" (t ~ Bern(band - margin)), data drawn under H1.
 * Wald's thresholds ln((1 - beta) / alpha) and ln(beta / (1 - alpha)).
 */
export function simulateSprt(o: SprtOptions): { pairs: number[]; acceptedEqual: number } {
  const p = o.band;
  const q = o.band - o.margin;
  const under = (cand: number) => ({ plus: p * (1 - cand), minus: (1 - p) * cand, zero: p * cand + (1 - p) * (1 - cand) });
  const h1 = under(p);
  const h0 = under(q);
  const step = { plus: Math.log(h1.plus / h0.plus), minus: Math.log(h1.minus / h0.minus), zero: Math.log(h1.zero / h0.zero) };
  const upper = Math.log((1 - o.beta) / o.alpha);
  const lower = Math.log(o.beta / (1 - o.alpha));
  const random = mulberry32(o.seed);
  const pairs: number[] = [];
  let acceptedEqual = 0;
  for (let run = 0; run < o.runs; run++) {
    let llr = 0;
    let n = 0;
    while (llr < upper && llr > lower) {
      const d = (random() < p ? 1 : 0) - (random() < p ? 1 : 0);
      llr += d === 1 ? step.plus : d === -1 ? step.minus : step.zero;
      n++;
    }
    if (llr >= upper) acceptedEqual++;
    pairs.push(n);
  }
  return { pairs, acceptedEqual };
}

/** Wald's approximation of the SPRT's expected pairs under H1: ((1-b) A + b B) / KL(P1 || P0). */
export function sprtExpectedPairs(band: number, margin: number, alpha: number, beta: number): number {
  const p = band;
  const q = band - margin;
  const h1 = [p * (1 - p), (1 - p) * p, p * p + (1 - p) * (1 - p)];
  const h0 = [p * (1 - q), (1 - p) * q, p * q + (1 - p) * (1 - q)];
  let kl = 0;
  for (let i = 0; i < 3; i++) kl += (h1[i] as number) * Math.log((h1[i] as number) / (h0[i] as number));
  const a = Math.log((1 - beta) / alpha);
  const b = Math.log(beta / (1 - alpha));
  return ((1 - beta) * a + beta * b) / kl;
}
