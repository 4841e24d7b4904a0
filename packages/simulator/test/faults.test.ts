import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAMILIES, generateTraffic, loadScenario, startSimulator, type Scenario, type Simulator } from "../src/index.ts";

const base = loadScenario(new URL("../../../fixtures/scenarios/two-provider.json", import.meta.url).pathname);
const CLAUDE = "claude-3-5-haiku-latest";
let sim: Simulator;
let openai: OpenAI;
let anthropic: Anthropic;
beforeAll(async () => {
  sim = await startSimulator({ scenario: base, seed: 3, port: 0, latency: false });
  openai = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "x", maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: sim.url, apiKey: "x", maxRetries: 0 });
});
afterAll(() => sim.close());

const [triage] = generateTraffic({ scenario: base, family: "ticket-triage", n: 1, seed: 1 });
const claudeParams = { model: CLAUDE, max_tokens: 100, system: triage!.body.messages[0]!.content, messages: [{ role: "user" as const, content: triage!.body.messages[1]!.content }] };

describe("injected faults", () => {
  it("429 with retry-after, then recovers", async () => {
    sim.injectFault("gpt-4o", { kind: "rate_limit", count: 2, retryAfterSeconds: 7 });
    for (let i = 0; i < 2; i++) {
      const err = await openai.chat.completions.create(triage!.body).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe("7");
    }
    const ok = await openai.chat.completions.create(triage!.body);
    expect(ok.choices[0]!.message.content).toBeTruthy();
  });

  it("500 and 529 in Anthropic's error shape, injected over HTTP", async () => {
    for (const [kind, status, type] of [["server_error", 500, "api_error"], ["overloaded", 529, "overloaded_error"]] as const) {
      const res = await fetch(`${sim.url}/_sim/models/${CLAUDE}/faults`, { method: "POST", body: JSON.stringify({ kind }) });
      expect(res.status).toBe(200);
      const err = await anthropic.messages.create(claudeParams).catch((e: unknown) => e);
      expect(err).toMatchObject({ status, error: { type: "error", error: { type } } });
    }
    expect((await anthropic.messages.create(claudeParams)).content[0]?.type).toBe("text");
  });

  it("a time-out holds the request until the client gives up", async () => {
    sim.injectFault("gpt-4o", { kind: "timeout", count: 1 });
    const started = Date.now();
    const err = await openai.chat.completions.create(triage!.body, { timeout: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("a stream cut mid-way fails the stream on both wires", async () => {
    const [summary] = generateTraffic({ scenario: base, family: "meeting-summary", n: 1, seed: 2 });
    sim.injectFault("gpt-4o", { kind: "stream_cut", count: 1 });
    let text = "";
    const consume = async () => {
      const stream = await openai.chat.completions.create({ ...summary!.body, stream: true });
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    };
    await expect(consume()).rejects.toThrow();
    const whole = (await openai.chat.completions.create(summary!.body)).choices[0]!.message.content ?? "";
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(whole.length);

    sim.injectFault(CLAUDE, { kind: "stream_cut", count: 1 });
    await expect(anthropic.messages.stream(claudeParams).finalMessage()).rejects.toThrow();
  });

  it("random fault rates hit about the configured share of requests", async () => {
    sim.setFaultRates("gpt-4o", { rate500: 0.3 });
    let failed = 0;
    const n = 300;
    for (let i = 0; i < n; i++) {
      const res = await fetch(`${sim.url}/v1/chat/completions`, { method: "POST", body: JSON.stringify(triage!.body) });
      if (res.status === 500) failed++;
      await res.arrayBuffer();
    }
    sim.setFaultRates("gpt-4o", { rate500: 0 });
    const tol = 4 * Math.sqrt((0.3 * 0.7) / n);
    console.log(`500 rate: measured ${(failed / n).toFixed(3)} expected 0.300 ± ${tol.toFixed(3)} (n=${n})`);
    expect(Math.abs(failed / n - 0.3)).toBeLessThanOrEqual(tol);
  });
});

describe("run-time profile changes", () => {
  it("setProfile changes behaviour from the next request on, and /_sim/reset undoes it", async () => {
    const reqs = generateTraffic({ scenario: base, family: "order-extraction", n: 20, seed: 4 });
    const valid = async () => {
      let ok = 0;
      for (const r of reqs) ok += FAMILIES.extraction.checkFormat((await openai.chat.completions.create(r.body)).choices[0]!.message.content ?? "") ? 1 : 0;
      return ok;
    };
    expect(await valid()).toBeGreaterThanOrEqual(18);
    sim.setProfile("gpt-4o", "order-extraction", { formatErrorRate: 1 });
    expect(await valid()).toBe(0);
    await fetch(`${sim.url}/_sim/reset`, { method: "POST" });
    const patched = await fetch(`${sim.url}/_sim/models/gpt-4o/profiles/order-extraction`, { method: "PATCH", body: JSON.stringify({ labelErrorRate: 1, selfNoise: 0 }) });
    expect(((await patched.json()) as { profile: { labelErrorRate: number } }).profile.labelErrorRate).toBe(1);
    let wrong = 0;
    for (const r of reqs) {
      const label = FAMILIES.extraction.decode((await openai.chat.completions.create(r.body)).choices[0]!.message.content ?? "")?.label;
      if (label !== r.input.truth) wrong++;
    }
    expect(wrong).toBe(reqs.length);
    sim.reset();
  });

  it("serves ground truth and traffic over HTTP for a demo in another process", async () => {
    const truth = (await (await fetch(`${sim.url}/_sim/ground-truth?family=ticket-triage`)).json()) as { candidate: string; withinMargin: boolean };
    expect(truth).toMatchObject({ candidate: CLAUDE, withinMargin: true });
    const traffic = (await (await fetch(`${sim.url}/_sim/traffic?family=ticket-triage&n=3&seed=5`)).json()) as { prompt: string; body: unknown }[];
    expect(traffic.map((t) => t.prompt)).toEqual(["ticket-triage", "ticket-triage", "ticket-triage"]);
    expect(traffic[0]!.body).toEqual(generateTraffic({ scenario: base, family: "ticket-triage", n: 1, seed: 5 })[0]!.body);
    expect((await fetch(`${sim.url}/_sim/ground-truth?family=nope`)).status).toBe(400);
  });

  it("refuses a bad or impossible patch", async () => {
    const res = await fetch(`${sim.url}/_sim/models/gpt-4o/profiles/ticket-triage`, { method: "PATCH", body: JSON.stringify({ labelErrorRate: 2 }) });
    expect(res.status).toBe(400);
    const impossible = await fetch(`${sim.url}/_sim/models/gpt-4o/profiles/ticket-triage`, { method: "PATCH", body: JSON.stringify({ labelErrorRate: 0.01, selfNoise: 0.3 }) });
    expect(impossible.status).toBe(400);
    expect(() => sim.setProfile("gpt-4o", "ticket-triage", { labelErrorRate: 1 })).toThrow(/selfNoise/);
  });
});

describe("latency model", () => {
  it("waits the time to first token, then paces tokens; off means no wait", async () => {
    const scenario: Scenario = {
      ...base,
      models: base.models.map((m) => ({ ...m, latency: { ttftMs: 150, ttftJitterMs: 0, tokensPerSecond: 400 } })),
    };
    const slow = await startSimulator({ scenario, seed: 1, port: 0, latency: true });
    try {
      const client = new OpenAI({ baseURL: `${slow.url}/v1`, apiKey: "x", maxRetries: 0 });
      const [summary] = generateTraffic({ scenario, family: "meeting-summary", n: 1, seed: 2 });
      const started = performance.now();
      const stream = await client.chat.completions.create({ ...summary!.body, stream: true });
      let first = 0;
      let text = "";
      for await (const chunk of stream) {
        if (!first && chunk.choices[0]?.delta?.content) first = performance.now() - started;
        text += chunk.choices[0]?.delta?.content ?? "";
      }
      const total = performance.now() - started;
      const expectedTotal = 150 + (Math.ceil(text.length / 4) / 400) * 1000;
      console.log(`ttft ${first.toFixed(0)} ms (profile 150), total ${total.toFixed(0)} ms (model ${expectedTotal.toFixed(0)} ms)`);
      expect(first).toBeGreaterThanOrEqual(140);
      expect(total).toBeGreaterThanOrEqual(expectedTotal - 30);
      expect(total).toBeLessThan(expectedTotal + 400);
    } finally {
      await slow.close();
    }
    const t0 = performance.now();
    await openai.chat.completions.create(triage!.body);
    expect(performance.now() - t0).toBeLessThan(100);
  });
});
