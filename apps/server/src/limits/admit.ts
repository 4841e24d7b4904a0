import type { CaptureRecord } from "@proofgate/db";
import type { MiddlewareHandler } from "hono";
import type { Counter } from "prom-client";
import type { AppEnv } from "../http/env.ts";
import { HttpError } from "../http/errors.ts";
import type { KeyLimiter, Refusal } from "./limiter.ts";

const what = {
  rpm: (n: number) => `its limit of ${n} requests per minute`,
  tpm: (n: number) => `its limit of ${n} tokens per minute`,
  daily_usd: (n: number) => `its daily budget of ${n} USD`,
  monthly_usd: (n: number) => `its monthly budget of ${n} USD`,
} as const;

function refusalError(r: Refusal): HttpError {
  const when = r.retry
    ? `retry in ${r.retryAfterSeconds} s`
    : `it resets in ${r.retryAfterSeconds} s (UTC ${r.limit === "daily_usd" ? "midnight" : "month start"})`;
  // OpenAI's own codes: SDK users and tools stop retrying on insufficient_quota, and back off on rate_limit_exceeded.
  const code = r.retry ? "rate_limit_exceeded" : "insufficient_quota";
  return new HttpError("rate_limited", `This proofgate key is over ${what[r.limit](r.value)}; ${when}.`, {
    code,
    retry: r.retry,
    retryAfterSeconds: r.retryAfterSeconds,
  });
}

/**
 * Admission by the client key's limits, once the key is known and before the body is read or any upstream
 * is called. Over a limit: 429 in the caller's protocol, with retry-after and x-should-retry.
 */
export function keyLimits(limiter: KeyLimiter, limited: Counter<"limit">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const keyId = c.get("clientKeyId");
    if (keyId === null) return next();
    const refusal = await limiter.admit(keyId, c.get("clientKeyLimits"));
    if (refusal) {
      limited.inc({ limit: refusal.limit });
      c.set("logFields", { ...c.get("logFields"), clientKeyId: keyId, limit: refusal.limit });
      throw refusalError(refusal);
    }
    return next();
  };
}

/** The capture's hook: its tokens and cost (candidate-served traffic at the candidate's price) go to its key. */
export function chargeCaptures(limiter: KeyLimiter): (record: CaptureRecord) => void {
  return (record) => {
    if (record.clientKeyId === null) return;
    const tokens = (record.inputTokens ?? 0) + (record.outputTokens ?? 0);
    const cost = record.costUsd ?? 0;
    if (tokens <= 0 && cost <= 0) return;
    // The counters fail open and never reject; nothing here may reach the request.
    void limiter.charge(record.clientKeyId, tokens, cost);
  };
}
