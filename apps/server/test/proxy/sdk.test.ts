import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { devKey, startHarness, type Harness } from "./harness.ts";

let h: Harness;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  h = await startHarness();
  openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: devKey, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: h.url, apiKey: devKey, maxRetries: 0 });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.sink.records.length = 0;
  h.upstream.seen.length = 0;
});

const weatherTool = {
  type: "function" as const,
  function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
};

/** The last capture, once it has been pushed (captures are made after the response, off the request path). */
async function lastCapture() {
  const records = await h.sink.waitFor(1);
  return records[records.length - 1]!;
}

function expectComplete(capture: Record<string, unknown>) {
  for (const field of ["id", "promptId", "fingerprint", "template", "endpoint", "provider", "requestedModel", "servedModel", "route", "status", "request", "response", "latencyMs", "ttfbMs", "upstreamRequestId", "createdAt"]) {
    expect(capture[field], field).not.toBeNull();
    expect(capture[field], field).not.toBeUndefined();
  }
  expect(capture["id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
}

describe("OpenAI SDK through proofgate", () => {
  it("chat completion, not streamed", async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi 42" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("Hello from the upstream.");
    expect(response.headers.get("x-proofgate-route")).toBe("baseline");
    expect(response.headers.get("x-proofgate-model")).toBe("gpt-4o-mini");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("4999");
    const capture = await lastCapture();
    expectComplete(capture as any);
    expect(response.headers.get("x-proofgate-prompt")).toBe(capture.promptId);
    expect(capture).toMatchObject({
      endpoint: "chat.completions", provider: "openai", stream: false, status: 200, route: "baseline",
      requestedModel: "gpt-4o-mini", servedModel: "gpt-4o-mini", outputText: "Hello from the upstream.",
      toolCalls: null, inputTokens: 12, outputTokens: 7, upstreamRequestId: "req_up_1", clientKeyId: null, error: null,
    });
    // gpt-4o-mini at the price table's 0.15/0.6 USD per MTok, 2 of the 12 input tokens cached at half price.
    expect(capture.costUsd).toBeCloseTo((10 * 0.15 + 2 * 0.075 + 7 * 0.6) / 1e6, 12);
    expect(capture.response).toEqual(data);
  });

  it("chat completion streamed with usage, reassembled into the capture", async () => {
    const stream = await openai.chat.completions.create({
      model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }], stream: true, stream_options: { include_usage: true },
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello from the upstream.");
    const capture = await lastCapture();
    expectComplete(capture as any);
    expect(capture).toMatchObject({ stream: true, outputText: text, inputTokens: 12, outputTokens: 7, error: null });
    expect((capture.response as any).choices[0].finish_reason).toBe("stop");
    expect(capture.ttfbMs!).toBeLessThanOrEqual(capture.latencyMs);
  });

  it("streamed without usage: the client's request is not changed to ask for it", async () => {
    const stream = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }], stream: true });
    for await (const _ of stream) void _;
    const capture = await lastCapture();
    expect(JSON.parse(h.upstream.seen[0]!.body)).not.toHaveProperty("stream_options");
    expect(capture).toMatchObject({ inputTokens: null, outputTokens: null, costUsd: null, outputText: "Hello from the upstream." });
  });

  it("tool calls, streamed and not", async () => {
    const plain = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Weather?" }], tools: [weatherTool] });
    expect(plain.choices[0]!.message.tool_calls![0]).toMatchObject({ id: "call_1", function: { name: "get_weather", arguments: '{"city":"Paris"}' } });
    const first = await lastCapture();
    expect(first.toolCalls).toEqual(plain.choices[0]!.message.tool_calls);

    const runner = openai.chat.completions.stream({ model: "gpt-4o", messages: [{ role: "user", content: "Weather?" }], tools: [weatherTool] });
    const final = await runner.finalChatCompletion();
    const records = await h.sink.waitFor(2);
    expect(records[1]!.toolCalls).toEqual([{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }]);
    expect((final.choices[0]!.message.tool_calls![0] as any).function.arguments).toBe('{"city":"Paris"}');
  });

  it("json_schema response format", async () => {
    const completion = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Is it?" }],
      response_format: { type: "json_schema", json_schema: { name: "answer", schema: { type: "object", properties: { answer: { type: "string" } } } } },
    });
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ answer: "yes", confidence: 0.9 });
    const capture = await lastCapture();
    expect((capture.request as any).response_format.type).toBe("json_schema");
    expect(capture.outputText).toBe('{"answer":"yes","confidence":0.9}');
  });

  it("Responses API, streamed and not, and a function call", async () => {
    const plain = await openai.responses.create({ model: "gpt-4.1-mini", input: "Say hello" });
    expect(plain.output_text).toBe("Responses hello.");
    const stream = await openai.responses.create({ model: "gpt-4.1-mini", input: "Say hello", stream: true });
    let deltas = "";
    for await (const event of stream) if (event.type === "response.output_text.delta") deltas += event.delta;
    expect(deltas).toBe("Responses hello.");
    const call = await openai.responses.create({
      model: "gpt-4.1-mini", input: "Weather?", tools: [{ type: "function", name: "get_weather", parameters: {}, strict: false }],
    });
    expect(call.output[0]!.type).toBe("function_call");
    const [a, b, c] = await h.sink.waitFor(3);
    for (const capture of [a!, b!]) {
      expectComplete(capture as any);
      expect(capture).toMatchObject({ endpoint: "responses", outputText: "Responses hello.", inputTokens: 20, outputTokens: 4 });
    }
    expect(b!.stream).toBe(true);
    expect(c!.toolCalls).toEqual([expect.objectContaining({ type: "function_call", name: "get_weather", call_id: "call_1" })]);
  });

  it("embeddings and models pass through", async () => {
    const embedding = await openai.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
    expect(embedding.data).toHaveLength(2);
    const capture = await lastCapture();
    expect(capture.response).toMatchObject({ vectors: 2, dimensions: 4 });
    expect(capture.inputTokens).toBe(5);
    const models = await openai.models.list();
    expect(models.data[0]!.id).toBe("gpt-4o-mini");
    expect(h.upstream.seen.at(-1)!.url).toBe("/openai/v1/models");
  });

  it("the upstream sees the server's key, never the client's", async () => {
    await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] }, { headers: { "OpenAI-Organization": "org-1" } });
    const seen = h.upstream.seen[0]!;
    expect(seen.headers.authorization).toBe("Bearer sk-upstream-openai-secret");
    expect(seen.headers["openai-organization"]).toBe("org-1");
    expect(JSON.stringify(seen.headers)).not.toContain(devKey);
    expect(JSON.stringify(await lastCapture())).not.toContain(devKey);
  });
});

describe("Anthropic SDK through proofgate", () => {
  it("message, not streamed", async () => {
    const { data, response } = await anthropic.messages
      .create(
        { model: "claude-sonnet-4-6", max_tokens: 50, system: "Be brief.", messages: [{ role: "user", content: "Hi" }] },
        { headers: { "anthropic-beta": "tools-2024-04-04" } },
      )
      .withResponse();
    expect(data.content[0]).toEqual({ type: "text", text: "Bonjour from Claude." });
    expect(response.headers.get("request-id")).toBe("req_up_1");
    const capture = await lastCapture();
    expectComplete(capture as any);
    expect(capture).toMatchObject({
      endpoint: "messages", provider: "anthropic", outputText: "Bonjour from Claude.", inputTokens: 40, outputTokens: 9, upstreamRequestId: "req_up_1",
    });
    // 30 uncached at 3, 10 cache reads at 0.3, 9 output at 15 USD per MTok.
    expect(capture.costUsd).toBeCloseTo((30 * 3 + 10 * 0.3 + 9 * 15) / 1e6, 12);
    const seen = h.upstream.seen[0]!;
    expect(seen.headers["x-api-key"]).toBe("sk-ant-upstream-secret");
    // The SDK's own version and beta headers reach the upstream as it sent them.
    expect(seen.headers["anthropic-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(seen.headers["anthropic-beta"]).toBe("tools-2024-04-04");
    expect(seen.headers.authorization).toBeUndefined();
  });

  it("message streamed, and a streamed tool call", async () => {
    const stream = anthropic.messages.stream({ model: "claude-sonnet-4-6", max_tokens: 50, messages: [{ role: "user", content: "Hi" }] });
    const final = await stream.finalMessage();
    expect(final.content[0]).toEqual({ type: "text", text: "Bonjour from Claude." });
    const tools = anthropic.messages.stream({
      model: "claude-sonnet-4-6", max_tokens: 50, messages: [{ role: "user", content: "Weather?" }],
      tools: [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
    });
    const toolMessage = await tools.finalMessage();
    expect(toolMessage.content[0]).toMatchObject({ type: "tool_use", input: { city: "Paris" } });
    const [text, tool] = await h.sink.waitFor(2);
    expect(text).toMatchObject({ stream: true, outputText: "Bonjour from Claude.", inputTokens: 40, outputTokens: 9, error: null });
    expect((text!.response as any).stop_reason).toBe("end_turn");
    expect(tool!.toolCalls).toEqual([{ id: "toolu_1", name: "get_weather", input: { city: "Paris" } }]);
  });

  it("models list goes to the Anthropic upstream", async () => {
    await anthropic.models.list();
    expect(h.upstream.seen.at(-1)!.url).toMatch(/^\/anthropic\/v1\/models/);
  });
});

describe("byte-faithful", () => {
  const cases = [
    ["/v1/chat/completions", { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] }],
    ["/v1/chat/completions", { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }], stream: true, stream_options: { include_usage: true } }],
    ["/v1/responses", { model: "gpt-4.1-mini", input: "Hi", stream: true }],
    ["/v1/messages", { model: "claude-sonnet-4-6", max_tokens: 9, messages: [{ role: "user", content: "Hi" }], stream: true }],
  ] as const;
  for (const [path, body] of cases) {
    it(`${path} ${"stream" in body ? "streamed" : "plain"}: same bytes and content-type as the upstream`, async () => {
      const upstreamPath = path === "/v1/messages" ? `/anthropic${path}` : `/openai${path}`;
      const direct = await fetch(h.upstream.url + upstreamPath, { method: "POST", body: JSON.stringify(body) });
      const proxied = await fetch(h.url + path, { method: "POST", body: JSON.stringify(body), headers: { authorization: `Bearer ${devKey}` } });
      expect(proxied.status).toBe(direct.status);
      expect(proxied.headers.get("content-type")).toBe(direct.headers.get("content-type"));
      expect(Buffer.from(await proxied.arrayBuffer()).equals(Buffer.from(await direct.arrayBuffer()))).toBe(true);
      expect(h.upstream.seen[1]!.body).toBe(JSON.stringify(body));
    });
  }

  it("each SSE event leaves as it arrives: the first one long before the stream ends", async () => {
    const started = performance.now();
    const res = await fetch(h.url + "/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${devKey}` },
      body: JSON.stringify({ model: "upstream-drip", messages: [{ role: "user", content: "Hi" }], stream: true }),
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    const firstAt = performance.now() - started;
    expect(Buffer.from(first.value!).toString()).toContain('"content":"first"');
    while (!(await reader.read()).done);
    const endAt = performance.now() - started;
    expect(endAt).toBeGreaterThanOrEqual(290);
    expect(firstAt).toBeLessThan(150);
  });

  it("a stream that breaks upstream breaks for the client too, and the capture says so", async () => {
    const stream = await openai.chat.completions.create({ model: "upstream-break", messages: [{ role: "user", content: "Hi" }], stream: true });
    await expect(async () => {
      for await (const _ of stream) void _;
    }).rejects.toThrow();
    const capture = await lastCapture();
    expect(capture.error).toMatch(/broke off/);
    expect(capture.outputText).toBe("par");
  });
});
