import { describe, expect, it } from "vitest";
import { NonRetryableError, RetryableError } from "@proofgate/queue";
import { captureLogs } from "./log-capture.ts";
import { classifyError, defineProcessor, httpFailureError, retryAfterMsFrom, toJobHandler } from "../src/index.ts";

describe("error classification", () => {
  it("retries transient HTTP statuses and honours their retry-after", () => {
    for (const status of [408, 409, 429, 500, 502, 503, 529]) expect(httpFailureError({ status })).toBeInstanceOf(RetryableError);
    const limited = httpFailureError({ status: 429, headers: { "retry-after": "7" } });
    expect(limited).toBeInstanceOf(RetryableError);
    expect((limited as RetryableError).retryAfterMs).toBe(7_000);
  });

  it("fails at once on the request's own faults and on a spend cap, even one dressed as a 429", () => {
    for (const status of [400, 401, 403, 404, 413, 422]) expect(httpFailureError({ status })).toBeInstanceOf(NonRetryableError);
    expect(httpFailureError({ status: 402 })).toBeInstanceOf(NonRetryableError);
    const quota = httpFailureError({ status: 429, body: '{"error":{"code":"insufficient_quota"}}' });
    expect(quota).toBeInstanceOf(NonRetryableError);
    expect(quota.message).toMatch(/spend cap/);
  });

  it("reads retry-after-ms, seconds and HTTP dates", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMsFrom({ "retry-after-ms": "250", "retry-after": "9" }, now)).toBe(250);
    expect(retryAfterMsFrom(new Headers({ "retry-after": "1.5" }), now)).toBe(1_500);
    expect(retryAfterMsFrom({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }, now)).toBe(30_000);
    expect(retryAfterMsFrom({ "retry-after": "soon" }, now)).toBeUndefined();
    expect(retryAfterMsFrom(undefined, now)).toBeUndefined();
  });

  it("classifies SDK-style errors by status and presumes unknown errors transient", () => {
    const sdk = Object.assign(new Error("Bad request"), { status: 400 });
    expect(classifyError(sdk)).toBeInstanceOf(NonRetryableError);
    expect(classifyError(new Error("socket hang up"))).toBeInstanceOf(RetryableError);
    const keep = new NonRetryableError("budget exhausted");
    expect(classifyError(keep)).toBe(keep);
  });
});

describe("processor base", () => {
  it("rejects an invalid payload as non-retryable without calling the processor, and logs it", async () => {
    let called = false;
    const { logger, lines } = captureLogs();
    const handler = toJobHandler(defineProcessor("evaluate", async () => void (called = true)), logger);
    const context = { queue: "evaluate" as const, jobId: "evaluate/x/1", attempt: 1, maxAttempts: 5, signal: new AbortController().signal };
    await expect(handler({ calibrationId: "x", batch: "one" }, context)).rejects.toBeInstanceOf(NonRetryableError);
    expect(called).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ outcome: "failed", retryable: false, jobId: "evaluate/x/1", queue: "evaluate" });
    expect((lines[0]?.err as { message: string }).message).toMatch(/invalid payload/);
  });
});
