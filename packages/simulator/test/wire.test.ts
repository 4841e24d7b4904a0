import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAMILIES, generateTraffic, startSimulator, type Simulator } from "../src/index.ts";

const SCENARIO = new URL("../../../fixtures/scenarios/two-provider.json", import.meta.url).pathname;
let sim: Simulator;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  sim = await startSimulator({ scenario: SCENARIO, seed: 7, port: 0, latency: false });
  openai = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "sk-test", maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: sim.url, apiKey: "sk-ant-test", maxRetries: 0 });
});
afterAll(() => sim.close());

const replay = (n: number) => ({ headers: { "x-proofgate-replay": String(n) } });

describe("OpenAI chat completions through the official client", () => {
  it("answers a classification prompt with a label and usage", async () => {
    const [req] = generateTraffic({ scenario: sim.scenario, family: "ticket-triage", n: 1, seed: 1 });
    const res = await openai.chat.completions.create(req!.body, replay(0));
    const text = res.choices[0]!.message.content ?? "";
    expect(FAMILIES.classification.decode(text)?.label).toBe(FAMILIES.classification.parseInput(req!.body.messages[1]!.content)?.truth);
    expect(res.usage?.prompt_tokens).toBeGreaterThan(10);
    expect(res.usage?.total_tokens).toBe((res.usage?.prompt_tokens ?? 0) + (res.usage?.completion_tokens ?? 0));
    expect(res.choices[0]!.finish_reason).toBe("stop");
  });

  it("streams the same text as the non-streaming reply for the same replay index, with usage", async () => {
    const [req] = generateTraffic({ scenario: sim.scenario, family: "meeting-summary", n: 1, seed: 2 });
    const whole = await openai.chat.completions.create(req!.body, replay(3));
    const stream = await openai.chat.completions.create({ ...req!.body, stream: true, stream_options: { include_usage: true } }, replay(3));
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(whole.choices[0]!.message.content);
    expect(text.split(" ").length).toBeGreaterThan(10);
    expect(usage?.completion_tokens).toBe(whole.usage?.completion_tokens);
  });

  it("returns schema-shaped JSON for a json_schema request", async () => {
    const reqs = generateTraffic({ scenario: sim.scenario, family: "order-extraction", n: 5, seed: 3 });
    for (const req of reqs) {
      const res = await openai.chat.completions.create(req.body);
      const decoded = FAMILIES.extraction.decode(res.choices[0]!.message.content ?? "");
      expect(decoded?.label).toMatch(/^(low|normal|high|urgent)$/);
      expect(res.choices[0]!.message.content).not.toContain("```");
    }
  });

  it("answers a forced tool with a tool call, streamed or not", async () => {
    const [req] = generateTraffic({ scenario: sim.scenario, family: "lead-qualification", n: 1, seed: 4 });
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: "function", function: { name: "record_lead", parameters: { type: "object", properties: {} } } },
    ];
    const body = { ...req!.body, tools, tool_choice: { type: "function" as const, function: { name: "record_lead" } } };
    const res = await openai.chat.completions.create(body, replay(1));
    const call = res.choices[0]!.message.tool_calls?.[0];
    expect(res.choices[0]!.finish_reason).toBe("tool_calls");
    expect(call?.type === "function" && call.function.name).toBe("record_lead");
    const args = call?.type === "function" ? call.function.arguments : "";
    expect(typeof JSON.parse(args).reason).toBe("string");
    const stream = await openai.chat.completions.create({ ...body, stream: true }, replay(1));
    let streamed = "";
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.tool_calls?.[0]?.function?.arguments ?? "";
    expect(streamed).toBe(args);
  });

  it("cuts a reply at max_tokens and says so, on every wire", async () => {
    const [req] = generateTraffic({ scenario: sim.scenario, family: "meeting-summary", n: 1, seed: 12 });
    const chat = await openai.chat.completions.create({ ...req!.body, max_tokens: 5 });
    expect(chat.choices[0]!.finish_reason).toBe("length");
    expect(chat.choices[0]!.message.content!.length).toBeLessThanOrEqual(20);
    const [system, user] = req!.body.messages;
    const resp = await openai.responses.create({ model: "gpt-4o", instructions: system!.content, input: user!.content, max_output_tokens: 5 });
    expect(resp.status).toBe("incomplete");
    const msg = await anthropic.messages.create({ model: "claude-3-5-haiku-latest", max_tokens: 5, system: system!.content, messages: [{ role: "user", content: user!.content }] });
    expect(msg.stop_reason).toBe("max_tokens");
  });

  it("refuses a model of the other provider the way OpenAI does", async () => {
    await expect(openai.chat.completions.create({ model: "claude-3-5-haiku-latest", messages: [{ role: "user", content: "hi" }] }))
      .rejects.toMatchObject({ status: 404 });
  });

  it("embeds deterministically, in floats or base64 as the client asks", async () => {
    const a = await openai.embeddings.create({ model: "text-embedding-3-small", input: ["refund please", "refund please", "login broken"], dimensions: 8 });
    const [x, y, z] = a.data.map((d) => d.embedding);
    expect(x).toHaveLength(8);
    expect(x).toEqual(y);
    expect(x).not.toEqual(z);
    expect(Math.hypot(...x!)).toBeCloseTo(1, 5);
    expect(a.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("lists its models", async () => {
    const page = await openai.models.list();
    expect(page.data.map((m) => m.id)).toEqual(["gpt-4o"]);
  });
});

describe("OpenAI responses through the official client", () => {
  it("answers and streams", async () => {
    const [req] = generateTraffic({ scenario: sim.scenario, family: "product-copy", n: 1, seed: 5 });
    const [system, user] = req!.body.messages;
    const res = await openai.responses.create({ model: "gpt-4o", instructions: system!.content, input: user!.content }, replay(2));
    expect(FAMILIES.description.decode(res.output_text)?.content).toContain("material");
    expect(res.usage?.output_tokens).toBeGreaterThan(10);
    const stream = await openai.responses.create({ model: "gpt-4o", instructions: system!.content, input: user!.content, stream: true }, replay(2));
    let text = "";
    let completed = false;
    for await (const ev of stream) {
      if (ev.type === "response.output_text.delta") text += ev.delta;
      if (ev.type === "response.completed") completed = true;
    }
    expect(completed).toBe(true);
    expect(text).toBe(res.output_text);
  });
});

describe("Anthropic messages through the official client", () => {
  const model = "claude-3-5-haiku-latest";
  it("answers, streams the same text, and reports usage", async () => {
    const [req] = generateTraffic({ scenario: sim.scenario, family: "meeting-summary", n: 1, seed: 6, model });
    const [system, user] = req!.body.messages;
    const params = { model, max_tokens: 512, system: system!.content, messages: [{ role: "user" as const, content: user!.content }] };
    const res = await anthropic.messages.create(params, replay(0));
    const block = res.content[0];
    const text = block?.type === "text" ? block.text : "";
    expect(FAMILIES.summarisation.decode(text)).not.toBeNull();
    expect(res.usage.input_tokens).toBeGreaterThan(10);
    const final = await anthropic.messages.stream(params, replay(0)).finalMessage();
    const streamed = final.content[0];
    expect(streamed?.type === "text" ? streamed.text : "").toBe(text);
    expect(final.usage.output_tokens).toBe(res.usage.output_tokens);
    expect(final.stop_reason).toBe("end_turn");
  });

  it("answers a forced tool with tool_use, streamed or not", async () => {
    const [req] = generateTraffic({ scenario: sim.scenario, family: "order-extraction", n: 1, seed: 8, model });
    const [system, user] = req!.body.messages;
    const params = {
      model, max_tokens: 512, system: system!.content,
      messages: [{ role: "user" as const, content: user!.content }],
      tools: [{ name: "record_order", input_schema: { type: "object" as const, properties: {} } }],
      tool_choice: { type: "tool" as const, name: "record_order" },
    };
    const res = await anthropic.messages.create(params, replay(0));
    const use = res.content[0];
    expect(res.stop_reason).toBe("tool_use");
    expect(use?.type === "tool_use" && (use.input as { order_id: string }).order_id).toMatch(/^ORD-\d{5}$/);
    const final = await anthropic.messages.stream(params, replay(0)).finalMessage();
    expect(final.content[0]).toMatchObject({ type: "tool_use", name: "record_order", input: use?.type === "tool_use" ? use.input : {} });
  });

  it("refuses an OpenAI model with Anthropic's error shape", async () => {
    await expect(anthropic.messages.create({ model: "gpt-4o", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }))
      .rejects.toMatchObject({ status: 404, error: { type: "error", error: { type: "not_found_error" } } });
  });
});

describe("determinism", () => {
  it("gives identical outputs for the same scenario, seed and request sequence, and different ones per replay", async () => {
    const other = await startSimulator({ scenario: SCENARIO, seed: 7, port: 0, latency: false });
    const client2 = new OpenAI({ baseURL: `${other.url}/v1`, apiKey: "x", maxRetries: 0 });
    try {
      const reqs = generateTraffic({ scenario: sim.scenario, family: "product-copy", n: 4, seed: 99 });
      const fresh = await startSimulator({ scenario: SCENARIO, seed: 7, port: 0, latency: false });
      const client1 = new OpenAI({ baseURL: `${fresh.url}/v1`, apiKey: "x", maxRetries: 0 });
      const run = async (c: OpenAI) => {
        const out: string[] = [];
        for (const r of [...reqs, ...reqs]) out.push((await c.chat.completions.create(r.body)).choices[0]!.message.content ?? "");
        return out;
      };
      const a = await run(client1);
      const b = await run(client2);
      await fresh.close();
      expect(a).toEqual(b);
      const reseeded = await startSimulator({ scenario: SCENARIO, seed: 8, port: 0, latency: false });
      const c = await run(new OpenAI({ baseURL: `${reseeded.url}/v1`, apiKey: "x", maxRetries: 0 }));
      await reseeded.close();
      expect(c).not.toEqual(a);
      const replays = new Set<string>();
      for (let n = 0; n < 6; n++) replays.add((await client2.chat.completions.create(reqs[0]!.body, replay(n))).choices[0]!.message.content ?? "");
      // wording varies between samples of the same meaning
      expect(replays.size).toBeGreaterThan(1);
    } finally {
      await other.close();
    }
  });
});
