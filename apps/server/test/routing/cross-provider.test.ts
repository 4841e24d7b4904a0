import Anthropic from "@anthropic-ai/sdk";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { envSchema, fileSchema } from "@proofgate/config";
import { recentCaptures, type Db } from "@proofgate/db";
import { createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { chatRequestToMessages } from "@proofgate/providers";
import { generateTraffic, startSimulator, type Simulator } from "@proofgate/simulator";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { startServer, type RunningServer } from "../../src/main.ts";
import { seedPassingCalibration } from "./fixture.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

// A candidate on the other provider's wire: the client keeps its SDK and format, proofgate translates the
// request, the reply and the stream. Scenario two-provider: gpt-4o (OpenAI wire), claude-3-5-haiku-latest.
const SCENARIO = new URL("../../../../fixtures/scenarios/two-provider.json", import.meta.url).pathname;
const devKey = "pg-dev-key-cross-provider";
const adminToken = "admin-token-cross-provider-1";
const family = "ticket-triage";
const [gpt, claude] = ["gpt-4o", "claude-3-5-haiku-latest"];

let testDb: TestDatabase;
let sim: Simulator;
let server: RunningServer;
let db: Db;
let url: string;

async function approve(promptId: string, model: string) {
  const response = await fetch(`${url}/api/prompts/${promptId}/route`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ model }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function captured(promptId: string, n: number) {
  for (let i = 0; i < 100; i++) {
    const rows = (await recentCaptures(db, promptId, 50)).filter((c) => c.route === "candidate");
    if (rows.length >= n) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("candidate captures not stored");
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  sim = await startSimulator({ scenario: SCENARIO, seed: 3, latency: false });
  const env = envSchema.parse({
    DATABASE_URL: testDb.url,
    PORT: "0",
    OPENAI_UPSTREAM_URL: `${sim.url}/v1`,
    ANTHROPIC_UPSTREAM_URL: sim.url,
    OPENAI_API_KEY: "sk-sim",
    ANTHROPIC_API_KEY: "sk-ant-sim",
    PROOFGATE_DEV_KEY: devKey,
    PROOFGATE_ADMIN_TOKEN: adminToken,
    PROOFGATE_DATA_DIR: mkdtempSync(join(tmpdir(), "pg-cross-")),
    LOG_LEVEL: "silent",
  });
  const file = fileSchema.parse({ candidates: { [gpt]: [claude], [claude]: [gpt] }, routing: { shadowShare: 0 }, capture: { flushIntervalMs: 50 } });
  server = await startServer({ config: { env, file }, drainTimeoutMs: 1_000, calibration: false });
  db = server.database.db;
  url = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  await sim?.close();
  await testDb?.drop();
});

describe("an OpenAI client routed to an Anthropic candidate", () => {
  it("gets chat completions, plain and streamed, in its own format", async () => {
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: devKey, maxRetries: 0, defaultHeaders: { "x-proofgate-prompt": "triage-openai" } });
    const traffic = generateTraffic({ scenario: sim.scenario, family, n: 60, seed: 4 });
    let promptId = "";
    for (const req of traffic.slice(0, 20)) {
      const { response } = await client.chat.completions.create(req.body).withResponse();
      promptId = response.headers.get("x-proofgate-prompt")!;
    }
    for (let i = 0; i < 50 && (await recentCaptures(db, promptId, 20)).length < 20; i++) await new Promise((r) => setTimeout(r, 50));
    await seedPassingCalibration(db, { promptId, scenario: sim.scenario, family, baseline: gpt, candidate: claude });
    expect((await approve(promptId, claude)).status).toBe(200);

    const plain = await client.chat.completions.create(traffic[30]!.body).withResponse();
    expect(plain.response.headers.get("x-proofgate-route")).toBe("candidate");
    expect(plain.response.headers.get("x-proofgate-model")).toBe(claude);
    expect(plain.data.object).toBe("chat.completion");
    expect(plain.data.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(plain.data.choices[0]!.finish_reason).toBe("stop");
    expect(plain.data.usage!.completion_tokens).toBeGreaterThan(0);

    const streamed = await client.chat.completions.create({ ...traffic[31]!.body, stream: true, stream_options: { include_usage: true } }).withResponse();
    expect(streamed.response.headers.get("x-proofgate-route")).toBe("candidate");
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of streamed.data) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(finish).toBe("stop");
    expect(usage!.completion_tokens).toBeGreaterThan(0);

    const rows = await captured(promptId, 2);
    expect(rows.map((r) => r.servedModel)).toEqual([claude, claude]);
    // Priced as the Anthropic model it is, not under the client's provider.
    for (const r of rows) expect(r.costUsd).toBeGreaterThan(0);
    // The capture holds what the client received, in the client's format.
    expect(rows.map((r) => r.outputText).sort()).toEqual([plain.data.choices[0]!.message.content, text].sort());
  });
});

describe("an OpenAI client asking for structured output, routed to an Anthropic candidate", () => {
  // The response format goes out as one forced tool; the client gets the tool's input as bare JSON content.
  // A fenced or otherwise non-JSON answer would fail the JSON contract and fall back to the baseline. The
  // candidate's own format errors (missing fields) are switched off, so every reply must come from it.
  it.each([
    ["order-extraction", "json_schema"],
    ["lead-qualification", "json_object"],
  ])("%s (%s) gets bare JSON content, plain and streamed", async (jsonFamily, format) => {
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: devKey, maxRetries: 0, defaultHeaders: { "x-proofgate-prompt": `json-${jsonFamily}` } });
    const traffic = generateTraffic({ scenario: sim.scenario, family: jsonFamily, n: 60, seed: 5 });
    expect(traffic[0]!.body.response_format?.type).toBe(format);
    let promptId = "";
    for (const req of traffic.slice(0, 20)) {
      const { response } = await client.chat.completions.create(req.body).withResponse();
      promptId = response.headers.get("x-proofgate-prompt")!;
    }
    for (let i = 0; i < 50 && (await recentCaptures(db, promptId, 20)).length < 20; i++) await new Promise((r) => setTimeout(r, 50));
    await seedPassingCalibration(db, { promptId, scenario: sim.scenario, family: jsonFamily, baseline: gpt, candidate: claude });
    expect((await approve(promptId, claude)).status).toBe(200);

    sim.setProfile(claude, jsonFamily, { formatErrorRate: 0 });
    onTestFinished(() => sim.reset());
    const received: string[] = [];
    for (const req of traffic.slice(20, 40)) {
      const plain = await client.chat.completions.create(req.body).withResponse();
      expect(plain.response.headers.get("x-proofgate-route")).toBe("candidate");
      const message = plain.data.choices[0]!.message;
      expect(message.tool_calls).toBeUndefined();
      expect(plain.data.choices[0]!.finish_reason).toBe("stop");
      expect(typeof JSON.parse(message.content!)).toBe("object");
      received.push(message.content!);
    }
    for (const req of traffic.slice(40, 60)) {
      const streamed = await client.chat.completions.create({ ...req.body, stream: true }).withResponse();
      expect(streamed.response.headers.get("x-proofgate-route")).toBe("candidate");
      let text = "";
      let finish: string | null = null;
      for await (const chunk of streamed.data) {
        expect(chunk.choices[0]?.delta.tool_calls).toBeUndefined();
        text += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      expect(finish).toBe("stop");
      expect(typeof JSON.parse(text)).toBe("object");
      received.push(text);
    }
    const rows = await captured(promptId, 40);
    expect(rows.map((r) => r.outputText).sort()).toEqual(received.sort());
  });
});

describe("an Anthropic client routed to an OpenAI candidate", () => {
  it("gets messages, plain and streamed, in its own format", async () => {
    const client = new Anthropic({ baseURL: url, apiKey: devKey, maxRetries: 0, defaultHeaders: { "x-proofgate-prompt": "triage-anthropic" } });
    const traffic = generateTraffic({ scenario: sim.scenario, family, n: 60, seed: 6, model: claude }).map(
      (t) => chatRequestToMessages(t.body as unknown as Record<string, unknown>, claude) as unknown as Anthropic.MessageCreateParamsNonStreaming,
    );
    let promptId = "";
    for (const body of traffic.slice(0, 20)) {
      const { response } = await client.messages.create(body).withResponse();
      promptId = response.headers.get("x-proofgate-prompt")!;
    }
    for (let i = 0; i < 50 && (await recentCaptures(db, promptId, 20)).length < 20; i++) await new Promise((r) => setTimeout(r, 50));
    await seedPassingCalibration(db, { promptId, scenario: sim.scenario, family, baseline: claude, candidate: gpt });
    expect((await approve(promptId, gpt)).status).toBe(200);

    const plain = await client.messages.create(traffic[30]!).withResponse();
    expect(plain.response.headers.get("x-proofgate-route")).toBe("candidate");
    expect(plain.response.headers.get("x-proofgate-model")).toBe(gpt);
    expect(plain.data.type).toBe("message");
    expect(plain.data.stop_reason).toBe("end_turn");
    const block = plain.data.content[0]!;
    expect(block.type === "text" && block.text.length > 0).toBe(true);
    expect(plain.data.usage.output_tokens).toBeGreaterThan(0);

    const stream = client.messages.stream(traffic[31]!);
    const final = await stream.finalMessage();
    const finalText = final.content.map((b) => (b.type === "text" ? b.text : "")).join("");
    expect(finalText.length).toBeGreaterThan(0);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBeGreaterThan(0);

    const rows = await captured(promptId, 2);
    expect(rows.map((r) => r.outputText).sort()).toEqual([(block as { text: string }).text, finalText].sort());
  });
});
