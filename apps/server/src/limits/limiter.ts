import type { ClientKeyLimits, ClientKeySpend } from "@proofgate/db";
import { NANO_USD, type Count, type LimitCounters } from "./counters.ts";
import { dayOf, monthOf, type Period } from "./periods.ts";

export type LimitName = "rpm" | "tpm" | "daily_usd" | "monthly_usd";

/** Why a request is refused: the limit, its value, and when it frees. */
export interface Refusal {
  limit: LimitName;
  value: number;
  /** Seconds until the window or period frees (at least 1). */
  retryAfterSeconds: number;
  /** Whether a retry after `retryAfterSeconds` is worth it as the SDKs see it: yes within a minute, no for a spent budget. */
  retry: boolean;
}

/** A key's use in its current windows. Null fields: the counters could not be read. */
export interface KeyUse {
  requestsThisMinute: number | null;
  tokensThisMinute: number | null;
  spentTodayUsd: number | null;
  spentThisMonthUsd: number | null;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Per-key limits over shared counters. Requests are counted at admission; tokens and spend once a
 * response has ended (from its capture), so a key can overshoot a token or spend limit by what its
 * requests already in flight use. Every created key is counted, limited or not, so its use can be shown
 * before a limit is set.
 */
export class KeyLimiter {
  readonly counters: LimitCounters;
  readonly #now: () => number;
  /** Today's and this month's periods, kept until the day ends: every request asks for them. */
  #periods: { day: Period; month: Period; until: number } | null = null;

  constructor(counters: LimitCounters, now: () => number = Date.now) {
    this.counters = counters;
    this.#now = now;
  }

  #at(now: number): { day: Period; month: Period } {
    if (this.#periods === null || now >= this.#periods.until || now < this.#periods.day.start.getTime()) {
      const date = new Date(now);
      const day = dayOf(date);
      this.#periods = { day, month: monthOf(date), until: day.end.getTime() };
    }
    return this.#periods;
  }

  /** Counts the request and answers the first limit it is over, or null to let it through. */
  async admit(keyId: string, limits: ClientKeyLimits | undefined): Promise<Refusal | null> {
    const now = this.#now();
    const { day, month } = this.#at(now);
    const c = this.counters;
    const [requests, tokens, today, thisMonth] = await Promise.all([
      c.add("requests", keyId, 1),
      limits?.tpm != null ? c.get("tokens", keyId) : null,
      limits?.dailyUsd != null ? c.get("day", keyId, day.id) : null,
      limits?.monthlyUsd != null ? c.get("month", keyId, month.id) : null,
    ]);
    if (!limits) return null;
    // A spent budget first: retrying it within the minute is pointless, whatever the rate limits say.
    const untilMonth = month.end.getTime() - now;
    const untilDay = day.end.getTime() - now;
    if (limits.monthlyUsd != null && over(thisMonth, limits.monthlyUsd * NANO_USD)) {
      return { limit: "monthly_usd", value: limits.monthlyUsd, retryAfterSeconds: seconds(untilMonth), retry: false };
    }
    if (limits.dailyUsd != null && over(today, limits.dailyUsd * NANO_USD)) {
      return { limit: "daily_usd", value: limits.dailyUsd, retryAfterSeconds: seconds(untilDay), retry: false };
    }
    if (limits.tpm != null && tokens && over(tokens, limits.tpm)) {
      return { limit: "tpm", value: limits.tpm, retryAfterSeconds: seconds(tokens.msBeforeNext), retry: true };
    }
    if (limits.rpm != null && requests && requests.consumed > limits.rpm) {
      return { limit: "rpm", value: limits.rpm, retryAfterSeconds: seconds(requests.msBeforeNext), retry: true };
    }
    return null;
  }

  /** Adds a finished exchange's tokens and cost to its key's counters. */
  async charge(keyId: string, tokens: number, costUsd: number): Promise<void> {
    const { day, month } = this.#at(this.#now());
    const nano = Math.round(costUsd * NANO_USD);
    const c = this.counters;
    await Promise.all([
      tokens > 0 ? c.add("tokens", keyId, tokens) : null,
      nano > 0 ? c.add("day", keyId, nano, day.id) : null,
      nano > 0 ? c.add("month", keyId, nano, month.id) : null,
    ]);
  }

  async use(keyId: string): Promise<KeyUse> {
    const { day, month } = this.#at(this.#now());
    const c = this.counters;
    const [requests, tokens, today, thisMonth] = await Promise.all([
      c.get("requests", keyId),
      c.get("tokens", keyId),
      c.get("day", keyId, day.id),
      c.get("month", keyId, month.id),
    ]);
    const usd = (n: Count | null) => (n === null ? null : n.consumed / NANO_USD);
    return {
      requestsThisMinute: requests?.consumed ?? null,
      tokensThisMinute: tokens?.consumed ?? null,
      spentTodayUsd: usd(today),
      spentThisMonthUsd: usd(thisMonth),
    };
  }

  /** Raises the spend counters to what Postgres recorded (at start); what other proxies counted since stays. */
  async seed(spend: readonly ClientKeySpend[]): Promise<void> {
    const periods = this.#at(this.#now());
    const day = periods.day.id;
    const month = periods.month.id;
    await Promise.all(
      spend.flatMap((s) => [
        this.counters.raise("day", s.clientKeyId, Math.round(s.dayUsd * NANO_USD), day),
        this.counters.raise("month", s.clientKeyId, Math.round(s.monthUsd * NANO_USD), month),
      ]),
    );
  }
}

/** At or past the limit: the next request would add to a spent budget. */
function over(count: Count | null, limit: number): boolean {
  return count !== null && count.consumed >= limit;
}
