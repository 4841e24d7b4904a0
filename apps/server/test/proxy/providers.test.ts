import { PriceBook } from "@proofgate/providers";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ActiveRoute, RouteTable } from "../../src/proxy/route-table.ts";
import { devKey, startHarness, type Harness } from "./harness.ts";

/**
 * Models on providers of the registry, through the official openai SDK. Each provider is pointed at the
 * local upstream (under its OpenAI path), which records the key and body it was called with: a request's
 * provider shows by the key it arrived with.
 */
let h: Harness;
let openai: OpenAI;

beforeAll(async () => {
  h = await startHarness({
    env: { GROQ_API_KEY: "gsk-groq-secret", BOX_KEY: "box-secret" },
    file: (url: string) => ({
      upstream: { timeoutMs: 1_000 },
      providers: {
        groq: { preset: "groq", baseUrl: `${url}/openai/v1` },
        deepseek: { preset: "deepseek", baseUrl: `${url}/openai/v1` },
        box: { wire: "openai", baseUrl: `${url}/openai/v1`, apiKeyEnv: "BOX_KEY", headers: { "x-tenant": "team-a" } },
        claude2: { wire: "anthropic", baseUrl: `${url}/anthropic` },
      },
      models: {
        "llama-3.3-70b": { provider: "groq", upstreamModel: "llama-3.3-70b-versatile" },
        "box-qwen": { provider: "box" },
        haiku: { provider: "claude2", upstreamModel: "claude-haiku-4-5" },
      },
    }),
  });
  openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: devKey, maxRetries: 0 });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.sink.records.length = 0;
  h.upstream.seen.length = 0;
});

async function lastCapture() {
  const records = await h.sink.waitFor(1);
  return records[records.length - 1]!;
}

const messages = [{ role: "user" as const, content: "Hi 42" }];

describe("models on registry providers", () => {
  it("a models-table name goes to its provider with that provider's key and the upstream model id, captured under the provider", async () => {
    const { data, response } = await openai.chat.completions.create({ model: "llama-3.3-70b", messages }).withResponse();
    expect(data.choices[0]!.message.content).toBe("Hello from the upstream.");
    expect(response.headers.get("x-proofgate-model")).toBe("llama-3.3-70b");
    const seen = h.upstream.seen[0]!;
    expect(seen.headers.authorization).toBe("Bearer gsk-groq-secret");
    expect(JSON.parse(seen.body)).toEqual({ model: "llama-3.3-70b-versatile", messages });
    const capture = await lastCapture();
    expect(capture).toMatchObject({ provider: "groq", requestedModel: "llama-3.3-70b", servedModel: "llama-3.3-70b", status: 200, inputTokens: 12, outputTokens: 7 });
    // The capture keeps what the client sent.
    expect(JSON.parse(JSON.stringify(capture.request))).toMatchObject({ model: "llama-3.3-70b" });
    const usage = { inputTokens: 12, outputTokens: 7, cacheReadTokens: 2, cacheWriteTokens: 0 };
    const expected = new PriceBook().cost("groq", "llama-3.3-70b-versatile", usage);
    expect(expected).toBeGreaterThan(0);
    expect(capture.costUsd).toBeCloseTo(expected!, 12);
  });

  it("provider/model goes to the provider with the rest as the model, streamed too", async () => {
    const stream = await openai.chat.completions.create({ model: "groq/llama-3.1-8b-instant", messages, stream: true, stream_options: { include_usage: true } });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello from the upstream.");
    expect(h.upstream.seen[0]!.headers.authorization).toBe("Bearer gsk-groq-secret");
    expect(JSON.parse(h.upstream.seen[0]!.body).model).toBe("llama-3.1-8b-instant");
    const capture = await lastCapture();
    expect(capture).toMatchObject({ provider: "groq", requestedModel: "groq/llama-3.1-8b-instant", stream: true, outputText: text });
    expect(capture.costUsd).toBeGreaterThan(0);
  });

  it("a custom host gets its own key and configured headers; an unmapped body goes as its bytes", async () => {
    const raw = '{"model":"box-qwen",  "messages":[{"role":"user","content":"Hi 42"}]}';
    const res = await fetch(`${h.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${devKey}`, "content-type": "application/json" }, body: raw });
    expect(res.status).toBe(200);
    const seen = h.upstream.seen[0]!;
    expect(seen.headers.authorization).toBe("Bearer box-secret");
    expect(seen.headers["x-tenant"]).toBe("team-a");
    expect(seen.body).toBe(raw);
    expect(await lastCapture()).toMatchObject({ provider: "box", costUsd: null });
  });

  it("a model id that only contains a slash stays whole on the endpoint's provider", async () => {
    await openai.chat.completions.create({ model: "accounts/fireworks/models/x", messages });
    expect(h.upstream.seen[0]!.headers.authorization).toBe("Bearer sk-upstream-openai-secret");
    expect(JSON.parse(h.upstream.seen[0]!.body).model).toBe("accounts/fireworks/models/x");
    expect(await lastCapture()).toMatchObject({ provider: "openai" });
  });

  it("a provider whose key variable is unset answers 502 naming the provider and the variable, and was warned of at start-up", async () => {
    const error = await openai.chat.completions.create({ model: "deepseek/deepseek-chat", messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((error as Error).message).toMatch(/deepseek.*DEEPSEEK_API_KEY/);
    expect(h.upstream.seen).toHaveLength(0);
    const warning = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l["provider"] === "deepseek" && l["variable"] === "DEEPSEEK_API_KEY");
    expect(warning).toBeDefined();
    expect(h.logs.join("\n")).not.toMatch(/gsk-groq-secret|box-secret/);
  });

  it("a model on a provider whose wire cannot serve the endpoint is a 400 in the caller's shape naming the model", async () => {
    const error = await openai.responses.create({ model: "haiku", input: "Hi" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("model");
    expect((error as Error).message).toMatch(/haiku/);
    expect(h.upstream.seen).toHaveLength(0);
  });
});

describe("a switched prompt whose candidate is on another OpenAI-compatible provider", () => {
  it("serves the candidate from that provider with its key and model id, captured and priced under it", async () => {
    const outcomes: unknown[] = [];
    const route: ActiveRoute = {
      promptId: "p", version: 1, baselineModel: "gpt-4o", candidateModel: "groq/llama-3.3-70b-versatile", candidateProvider: "openai",
      check: (() => ({ ok: true, violations: [] })) as unknown as ActiveRoute["check"], json: false, timeoutMs: 1_000,
      report: (o) => void outcomes.push(o),
    };
    const routes: RouteTable = { resolve: (_p, model) => (model === "gpt-4o" ? { route: "candidate", model: route.candidateModel, routed: route } : { route: "baseline", model }) };
    const r = await startHarness({ env: { GROQ_API_KEY: "gsk-groq-secret" }, routes, file: (url: string) => ({ upstream: { timeoutMs: 1_000 }, providers: { groq: { preset: "groq", baseUrl: `${url}/openai/v1` } } }) });
    try {
      const client = new OpenAI({ baseURL: `${r.url}/v1`, apiKey: devKey, maxRetries: 0 });
      const { data, response } = await client.chat.completions.create({ model: "gpt-4o", messages }).withResponse();
      expect(data.choices[0]!.message.content).toBe("Hello from the upstream.");
      expect(response.headers.get("x-proofgate-route")).toBe("candidate");
      expect(r.upstream.seen[0]!.headers.authorization).toBe("Bearer gsk-groq-secret");
      expect(JSON.parse(r.upstream.seen[0]!.body).model).toBe("llama-3.3-70b-versatile");
      const capture = (await r.sink.waitFor(1))[0]!;
      expect(capture).toMatchObject({ provider: "groq", route: "candidate", servedModel: "groq/llama-3.3-70b-versatile" });
      expect(capture.costUsd).toBeCloseTo(new PriceBook().cost("groq", "llama-3.3-70b-versatile", { inputTokens: 12, outputTokens: 7, cacheReadTokens: 2, cacheWriteTokens: 0 })!, 12);
    } finally {
      await r.close();
    }
  });
});
