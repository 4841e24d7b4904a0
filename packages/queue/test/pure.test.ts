import { describe, expect, it } from "vitest";
import { RetryableError, defaultQueueConfigs, groupKeyOf, jobIdFor, replayJobId, retryDelayMs } from "../src/index.ts";

describe("job ids", () => {
  const base = { calibrationId: "cal", captureId: "cap", sample: 3, batch: 0, provider: "openai" as const, role: "candidate" as const };

  it("are stable for the same work and ignore fields that do not name it", () => {
    const a = jobIdFor("replay", { ...base, model: "gpt-4o-mini" });
    expect(a).toBe("replay/cal/cap/gpt-4o-mini/3");
    expect(jobIdFor("replay", { ...base, batch: 7, model: "gpt-4o-mini" })).toBe(a);
  });

  it("encode separators and BullMQ's reserved colon, so different work never shares an id", () => {
    const fineTuned = replayJobId({ ...base, model: "ft:gpt-4o:acme/x" });
    expect(fineTuned).not.toContain(":");
    expect(fineTuned.split("/")).toHaveLength(5);
    expect(replayJobId({ ...base, captureId: "a/b", model: "m" })).not.toBe(replayJobId({ ...base, captureId: "a", model: "b/m" }));
  });
});

describe("retry delay", () => {
  const backoff = { delayMs: 1_000, maxDelayMs: 5_000 };

  it("doubles from the base and stops at the ceiling", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, backoff, new Error("x")))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it("never retries sooner than a reported retry-after, even past the ceiling", () => {
    expect(retryDelayMs(1, backoff, new RetryableError("429", { retryAfterMs: 30_000 }))).toBe(30_000);
    expect(retryDelayMs(3, backoff, new RetryableError("429", { retryAfterMs: 10 }))).toBe(4_000);
  });
});

describe("rate-limit groups", () => {
  it("group replays by provider and model, and invalid data by nothing", () => {
    const replay = { calibrationId: "c", captureId: "k", sample: 0, batch: 0, model: "claude-haiku", provider: "anthropic", role: "candidate" };
    expect(groupKeyOf("replay", defaultQueueConfigs.replay, replay)).toBe("anthropic/claude-haiku");
    expect(groupKeyOf("replay", defaultQueueConfigs.replay, { model: "x" })).toBeUndefined();
    expect(groupKeyOf("evaluate", defaultQueueConfigs.evaluate, { calibrationId: "c", batch: 0 })).toBeUndefined();
  });
});
