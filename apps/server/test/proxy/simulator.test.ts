import Anthropic from "@anthropic-ai/sdk";
import { generateTraffic, startSimulator, type Simulator } from "@proofgate/simulator";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { devKey, startHarness, type Harness } from "./harness.ts";

/**
 * proofgate in front of the scripted simulator. Two simulators with the same seed answer the same
 * sequence of requests identically, so one is called directly and the other through proofgate, and the
 * answers must match; the captures must hold what the SDK received.
 */
const SCENARIO = new URL("../../../../fixtures/scenarios/two-provider.json", import.meta.url).pathname;
let direct: Simulator;
let behind: Simulator;
let h: Harness;
let viaOpenai: OpenAI;
let viaAnthropic: Anthropic;
let toOpenai: OpenAI;
let toAnthropic: Anthropic;

beforeAll(async () => {
  [direct, behind] = await Promise.all([
    startSimulator({ scenario: SCENARIO, seed: 11, latency: false }),
    startSimulator({ scenario: SCENARIO, seed: 11, latency: false }),
  ]);
  h = await startHarness({ env: { OPENAI_UPSTREAM_URL: `${behind.url}/v1`, ANTHROPIC_UPSTREAM_URL: behind.url }, file: { upstream: { timeoutMs: 2_000 } } });
  viaOpenai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: devKey, maxRetries: 0 });
  viaAnthropic = new Anthropic({ baseURL: h.url, apiKey: devKey, maxRetries: 0 });
  toOpenai = new OpenAI({ baseURL: `${direct.url}/v1`, apiKey: "sk-direct", maxRetries: 0 });
  toAnthropic = new Anthropic({ baseURL: direct.url, apiKey: "sk-direct", maxRetries: 0 });
});
afterAll(async () => {
  await h.close();
  await Promise.all([direct.close(), behind.close()]);
});
beforeEach(() => {
  h.sink.records.length = 0;
});

describe("through proofgate, the simulator answers as it does directly", () => {
  it("chat completions for every family, plain and streamed", async () => {
    const families = ["ticket-triage", "order-extraction", "meeting-summary", "product-copy"];
    let n = 0;
    for (const family of families) {
      for (const req of generateTraffic({ scenario: direct.scenario, family, n: 3, seed: 21 })) {
        const stream = n++ % 2 === 1;
        if (stream) {
          const body = { ...req.body, stream: true as const, stream_options: { include_usage: true } };
          const [a, b] = [await toOpenai.chat.completions.create(body), await viaOpenai.chat.completions.create(body)];
          let [ta, tb] = ["", ""];
          for await (const c of a) ta += c.choices[0]?.delta.content ?? "";
          for await (const c of b) tb += c.choices[0]?.delta.content ?? "";
          expect(tb).toBe(ta);
          const records = await h.sink.waitFor(n);
          expect(records[n - 1]!.outputText).toBe(tb);
        } else {
          const [a, b] = [await toOpenai.chat.completions.create(req.body), await viaOpenai.chat.completions.create(req.body)];
          expect(b.choices[0]!.message).toEqual(a.choices[0]!.message);
          expect(b.usage).toEqual(a.usage);
          const records = await h.sink.waitFor(n);
          expect(records[n - 1]).toMatchObject({ outputText: b.choices[0]!.message.content, inputTokens: b.usage!.prompt_tokens, outputTokens: b.usage!.completion_tokens });
        }
      }
    }
    // The same template with different inputs is one prompt; different templates are different prompts.
    const byFamily = new Map<string, Set<string>>();
    for (const [i, r] of h.sink.records.entries()) {
      const family = families[Math.floor(i / 3)]!;
      byFamily.set(family, (byFamily.get(family) ?? new Set()).add(r.promptId));
    }
    expect([...byFamily.values()].map((s) => s.size)).toEqual([1, 1, 1, 1]);
    expect(new Set(h.sink.records.map((r) => r.promptId)).size).toBe(4);
  });

  it("Anthropic messages, plain and streamed, with the capture's usage and cost", async () => {
    const model = "claude-3-5-haiku-latest";
    const [req] = generateTraffic({ scenario: direct.scenario, family: "meeting-summary", n: 1, seed: 6, model });
    const [system, user] = req!.body.messages;
    const params = { model, max_tokens: 512, system: system!.content, messages: [{ role: "user" as const, content: user!.content }] };
    const a = await toAnthropic.messages.create(params);
    const b = await viaAnthropic.messages.create(params);
    expect(b.content).toEqual(a.content);
    const fa = await toAnthropic.messages.stream(params).finalMessage();
    const fb = await viaAnthropic.messages.stream(params).finalMessage();
    expect(fb.content).toEqual(fa.content);
    const [plain, streamed] = await h.sink.waitFor(2);
    expect(plain).toMatchObject({ provider: "anthropic", outputText: (b.content[0] as { text: string }).text, outputTokens: b.usage.output_tokens });
    expect(streamed).toMatchObject({ stream: true, outputText: (fb.content[0] as { text: string }).text, outputTokens: fb.usage.output_tokens, error: null });
    expect(plain!.costUsd).toBeGreaterThan(0);
  });

  it("the Responses API, streamed", async () => {
    const [req] = generateTraffic({ scenario: direct.scenario, family: "product-copy", n: 1, seed: 5 });
    const [system, user] = req!.body.messages;
    const params = { model: "gpt-4o", instructions: system!.content, input: user!.content, stream: true as const };
    let [ta, tb] = ["", ""];
    for await (const ev of await toOpenai.responses.create(params)) if (ev.type === "response.output_text.delta") ta += ev.delta;
    for await (const ev of await viaOpenai.responses.create(params)) if (ev.type === "response.output_text.delta") tb += ev.delta;
    expect(tb).toBe(ta);
    const [capture] = await h.sink.waitFor(1);
    expect(capture).toMatchObject({ endpoint: "responses", outputText: tb, error: null });
    expect(capture!.outputTokens).toBeGreaterThan(0);
  });
});

describe("provider faults pass through", () => {
  it("a rate limit keeps its status, body and retry-after", async () => {
    behind.injectFault("gpt-4o", { kind: "rate_limit", count: 1, retryAfterSeconds: 7 });
    const [req] = generateTraffic({ scenario: direct.scenario, family: "ticket-triage", n: 1, seed: 9 });
    const error = await viaOpenai.chat.completions.create(req!.body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")).toBe("7");
    const [capture] = await h.sink.waitFor(1);
    expect(capture!.status).toBe(429);
    expect(capture!.error).toBeTruthy();
  });

  it("a stream cut upstream reaches the client as an error and is recorded", async () => {
    behind.injectFault("gpt-4o", { kind: "stream_cut", count: 1 });
    const [req] = generateTraffic({ scenario: direct.scenario, family: "meeting-summary", n: 1, seed: 10 });
    const stream = await viaOpenai.chat.completions.create({ ...req!.body, stream: true });
    await expect(async () => {
      for await (const _ of stream) void _;
    }).rejects.toThrow();
    const [capture] = await h.sink.waitFor(1);
    expect(capture!.error).toBeTruthy();
  });
});
