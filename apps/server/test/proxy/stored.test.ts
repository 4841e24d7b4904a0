import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { migrate, openDatabase, recentCaptures, type Database } from "@proofgate/db";
import { createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import OpenAI from "openai";
import pino from "pino";
import { Registry } from "prom-client";
import { afterAll, describe, expect, it, vi } from "vitest";
import { CaptureWriter } from "../../src/capture/writer.ts";
import { adminToken, devKey, startHarness } from "./harness.ts";

/**
 * The whole path: official SDKs -> proofgate -> the real capture writer -> Postgres (and PGlite), then the
 * admin API reads the prompt back. The proxy tests elsewhere use an in-memory sink; this one does not.
 */
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function roundTrip(database: Database, dataDir: string) {
  await migrate(database.db);
  const writer = new CaptureWriter({ db: database.db, logger: pino({ level: "silent" }), metrics: new Registry(), dataDir, flushIntervalMs: 20 }).start();
  const h = await startHarness({ captures: writer, db: database.db });
  cleanups.push(() => h.close());
  const openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: devKey, maxRetries: 0 });
  const anthropic = new Anthropic({ baseURL: h.url, apiKey: devKey, maxRetries: 0 });

  const chat = await openai.chat.completions
    .create({ model: "gpt-4o-mini", messages: [{ role: "system", content: "Classify." }, { role: "user", content: "Order 123 is late" }], stream: true, stream_options: { include_usage: true } })
    .withResponse();
  for await (const _ of chat.data) void _;
  const message = await anthropic.messages
    .create({ model: "claude-haiku-4-5", max_tokens: 20, messages: [{ role: "user", content: "Hi" }] }, { headers: { "x-proofgate-prompt": Buffer.from("Résumé triage", "utf8").toString("latin1") } })
    .withResponse();
  await writer.close();

  const chatPrompt = chat.response.headers.get("x-proofgate-prompt")!;
  const [stored] = await recentCaptures(database.db, chatPrompt, 5);
  expect(stored).toMatchObject({
    id: chat.response.headers.get("x-proofgate-request-id"),
    endpoint: "chat.completions", provider: "openai", stream: true, status: 200, route: "baseline",
    requestedModel: "gpt-4o-mini", servedModel: "gpt-4o-mini", outputText: "Hello from the upstream.",
    inputTokens: 12, outputTokens: 7, upstreamRequestId: "req_up_1",
  });
  expect(Number(stored!.costUsd)).toBeGreaterThan(0);
  const [named] = await recentCaptures(database.db, message.response.headers.get("x-proofgate-prompt")!, 5);
  expect(named).toMatchObject({ endpoint: "messages", outputText: "Bonjour from Claude.", inputTokens: 40 });

  const res = await fetch(`${h.url}/api/prompts`, { headers: { authorization: `Bearer ${adminToken}` } });
  expect(res.status).toBe(200);
  const listed = JSON.stringify(await res.json());
  expect(listed).toContain(chatPrompt);
  // Named by header (sent as UTF-8 bytes, as curl and most HTTP clients send them): the prompt carries
  // the caller's name, not its bytes read as latin1.
  expect(listed).toContain('"Résumé triage"');
}

describe("captures land in the database", () => {
  it("Postgres", async () => {
    const testDb: TestDatabase = await createTestDatabase();
    cleanups.push(() => testDb.drop());
    const dataDir = mkdtempSync(join(tmpdir(), "pg-proxy-"));
    const database = await openDatabase({ databaseUrl: testDb.url, dataDir });
    cleanups.push(() => database.close());
    await roundTrip(database, dataDir);
  });

  it("PGlite", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pg-proxy-lite-"));
    const database = await openDatabase({ databaseUrl: undefined, dataDir });
    cleanups.push(() => database.close());
    await roundTrip(database, dataDir);
  });
});
