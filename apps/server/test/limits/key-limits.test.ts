import Anthropic from "@anthropic-ai/sdk";
import type { ClientKeyLimits } from "@proofgate/db";
import { waitFor } from "@proofgate/queue/testing";
import OpenAI from "openai";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeyIdentity, KeyVerifier } from "../../src/deps.ts";
import { KeyLimiter, LimitCounters } from "../../src/limits/index.ts";
import type { ActiveRoute, RouteTable } from "../../src/proxy/route-table.ts";
import { startHarness, type Harness } from "../proxy/harness.ts";

/**
 * Limits as the SDKs meet them, on one proxy with its in-memory counters. The local upstream's usage is
 * known (chat: 12 + 7 tokens; messages: 30 + 9), and prices are overridden so spend is easy to reach.
 */
const none: ClientKeyLimits = { rpm: null, tpm: null, dailyUsd: null, monthlyUsd: null };
const table: Record<string, KeyIdentity> = {
  "pgk-rpm-openai": { id: "k-rpm-openai", name: "rpm", limits: { ...none, rpm: 3 } },
  "pgk-rpm-anthropic": { id: "k-rpm-anthropic", name: "rpm-a", limits: { ...none, rpm: 2 } },
  "pgk-free": { id: "k-free", name: "free", limits: none },
  "pgk-tpm": { id: "k-tpm", name: "tpm", limits: { ...none, tpm: 50 } },
  "pgk-daily": { id: "k-daily", name: "daily", limits: { ...none, dailyUsd: 0.05 } },
  "pgk-monthly": { id: "k-monthly", name: "monthly", limits: { ...none, monthlyUsd: 0.05 } },
  "pgk-routed": { id: "k-routed", name: "routed", limits: none },
};
const keys: KeyVerifier = { verify: async (key) => table[key] ?? null };

// "<candidate>-routed" is a switched prompt served by <candidate>.
const routes: RouteTable = {
  resolve(promptId, requestedModel) {
    if (!requestedModel.endsWith("-routed")) return { route: "baseline", model: requestedModel };
    const candidateModel = requestedModel.slice(0, -"-routed".length);
    const routed: ActiveRoute = {
      promptId,
      version: 1,
      baselineModel: requestedModel,
      candidateModel,
      candidateProvider: "openai",
      check: () => ({ ok: true, violations: [] }),
      json: false,
      timeoutMs: 5_000,
      report: () => {},
    };
    return { route: "candidate", model: candidateModel, routed };
  },
};

const models = {
  "priced-model": { provider: "openai", inputPerMTok: 1_000, outputPerMTok: 1_000 },
  "cheap-model": { provider: "openai", inputPerMTok: 2_000, outputPerMTok: 2_000 },
  "cheap-model-routed": { provider: "openai", inputPerMTok: 1_000_000, outputPerMTok: 1_000_000 },
};

let h: Harness;
let limiter: KeyLimiter;
beforeAll(async () => {
  limiter = new KeyLimiter(new LimitCounters({ logger: pino({ level: "silent" }) }));
  h = await startHarness({ keys, routes, limiter, file: { models, upstream: { timeoutMs: 5_000 } } });
});
afterAll(async () => {
  await h?.close();
});

const openai = (apiKey: string) => new OpenAI({ baseURL: `${h.url}/v1`, apiKey, maxRetries: 0 });
const chat = (apiKey: string, model = "gpt-4o-mini") =>
  openai(apiKey).chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] });

async function limited(limit: string): Promise<number> {
  const text = await (await fetch(`${h.url}/metrics`)).text();
  return Number(new RegExp(`^proofgate_key_limited_total\\{limit="${limit}"\\} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
}

describe("per-key limits on the proxy", () => {
  it("answers the request past rpm with 429, retry-after and x-should-retry: true (OpenAI SDK)", async () => {
    const before = h.upstream.seen.length;
    for (let i = 0; i < 3; i++) await chat("pgk-rpm-openai");
    const error = await chat("pgk-rpm-openai").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const e = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.code).toBe("rate_limit_exceeded");
    expect(e.headers.get("x-should-retry")).toBe("true");
    const retryAfter = Number(e.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(e.requestID).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.message).toContain("3 requests per minute");
    // Refused before the upstream: it saw only the three admitted requests.
    expect(h.upstream.seen.length - before).toBe(3);
    // Another key is not affected.
    for (let i = 0; i < 5; i++) await chat("pgk-free");
    expect(await limited("rpm")).toBe(1);
    const line = h.logs.map((l) => JSON.parse(l)).find((l) => l.status === 429 && l.limit === "rpm");
    expect(line).toMatchObject({ clientKeyId: "k-rpm-openai", error: "rate_limit_exceeded" });
  });

  it("answers in Anthropic's shape on /v1/messages (Anthropic SDK)", async () => {
    const client = new Anthropic({ baseURL: h.url, apiKey: "pgk-rpm-anthropic", maxRetries: 0 });
    const send = () => client.messages.create({ model: "claude-3-5-haiku-latest", max_tokens: 16, messages: [{ role: "user", content: "hi" }] });
    await send();
    await send();
    const error = await send().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const e = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(e.status).toBe(429);
    expect((e.error as { error?: { type?: string } }).error?.type).toBe("rate_limit_error");
    expect(e.headers.get("x-should-retry")).toBe("true");
    expect(Number(e.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("counts tokens from the captures: the request after the minute's budget is spent gets 429", async () => {
    const before = h.upstream.seen.length;
    // 19 tokens each; after three (57) the key is past its 50.
    for (let i = 0; i < 3; i++) await chat("pgk-tpm");
    await waitFor(async () => (await limiter.use("k-tpm")).tokensThisMinute === 57, 5_000, "57 tokens counted");
    const error = (await chat("pgk-tpm").catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.message).toContain("50 tokens per minute");
    expect(error.headers.get("x-should-retry")).toBe("true");
    expect(h.upstream.seen.length - before).toBe(3);
    expect(await limited("tpm")).toBe(1);
  });

  it("counts spend at the capture's price: past the daily budget, 429 with no retry until UTC midnight", async () => {
    // 19 tokens at 1,000 USD per million: 0.019 USD per request; three pass the 0.05 budget.
    for (let i = 0; i < 3; i++) await chat("pgk-daily", "priced-model");
    await waitFor(async () => Math.abs(((await limiter.use("k-daily")).spentTodayUsd ?? 0) - 0.057) < 1e-9, 5_000, "0.057 USD counted");
    const error = (await chat("pgk-daily", "priced-model").catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe("insufficient_quota");
    expect(error.headers.get("x-should-retry")).toBe("false");
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    expect(Math.abs(Number(error.headers.get("retry-after")) - (midnight - now.getTime()) / 1000)).toBeLessThan(5);
    expect(await limited("daily_usd")).toBe(1);
    // With its default retries, the SDK gives up at once on a spent budget (x-should-retry: false).
    const retrying = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: "pgk-daily", maxRetries: 2 });
    await expect(retrying.chat.completions.create({ model: "priced-model", messages: [{ role: "user", content: "hi" }] })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    expect(await limited("daily_usd")).toBe(2);
  });

  it("keeps a month's spend for the month: past the monthly budget, 429 until the next month", async () => {
    for (let i = 0; i < 3; i++) await chat("pgk-monthly", "priced-model");
    await waitFor(async () => Math.abs(((await limiter.use("k-monthly")).spentThisMonthUsd ?? 0) - 0.057) < 1e-9, 5_000, "0.057 USD counted");
    // Another request's round trip later, the month's counter is still there.
    await chat("pgk-free");
    const error = (await chat("pgk-monthly", "priced-model").catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.message).toContain("monthly budget of 0.05 USD");
    expect(error.headers.get("x-should-retry")).toBe("false");
    const now = new Date();
    const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    expect(Math.abs(Number(error.headers.get("retry-after")) - (nextMonth - now.getTime()) / 1000)).toBeLessThan(5);
    expect(await limited("monthly_usd")).toBe(1);
  });

  it("counts candidate-served traffic at the candidate's price", async () => {
    const reply = await openai("pgk-routed")
      .chat.completions.create({ model: "cheap-model-routed", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(reply.response.headers.get("x-proofgate-route")).toBe("candidate");
    const [capture] = (await h.sink.waitFor(1)).filter((r) => r.clientKeyId === "k-routed");
    expect(capture?.costUsd).toBeCloseTo(0.038, 9);
    await waitFor(async () => (await limiter.use("k-routed")).spentTodayUsd !== 0, 5_000, "spend counted");
    const use = await limiter.use("k-routed");
    expect(use.spentTodayUsd).toBeCloseTo(0.038, 9);
    expect(use.spentThisMonthUsd).toBeCloseTo(0.038, 9);
    expect(use).toMatchObject({ requestsThisMinute: 1, tokensThisMinute: 19 });
  });
});
