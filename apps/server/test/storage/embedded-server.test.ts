import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@proofgate/config";
import { getPrompt, openDatabase, recentCaptures } from "@proofgate/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startServer, type RunningServer } from "../../src/main.ts";
import { quietLogger } from "./capture-fixtures.ts";
import { chatRequest, startChatUpstream } from "./upstream-stub.ts";

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const DEV_KEY = "embedded-dev-key";
let upstream: Awaited<ReturnType<typeof startChatUpstream>>;
let server: RunningServer | null = null;
const dataDir = mkdtempSync(join(tmpdir(), "pg-embedded-"));

beforeAll(async () => {
  upstream = await startChatUpstream(1);
});
afterAll(async () => {
  await server?.close();
  await upstream?.close();
});

describe("proofgate on the embedded database (no DATABASE_URL)", () => {
  it("serves, captures, and keeps the captures across a restart", async () => {
    const config = loadConfig({ PORT: "0", PROOFGATE_DATA_DIR: dataDir, PROOFGATE_DEV_KEY: DEV_KEY, OPENAI_UPSTREAM_URL: `${upstream.url}/v1`, OPENAI_API_KEY: "sk-test" });
    server = await startServer({ config, logger: quietLogger() });
    const promptIds = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`http://127.0.0.1:${server.port}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${DEV_KEY}`, "content-type": "application/json" },
        body: JSON.stringify(chatRequest(i)),
      });
      expect(res.status).toBe(200);
      promptIds.add(res.headers.get("x-proofgate-prompt") ?? "");
      await res.arrayBuffer();
    }
    // One template, twenty inputs: one prompt.
    expect(promptIds.size).toBe(1);
    const [promptId] = [...promptIds];
    await server.close("test");
    server = null;

    const reopened = await openDatabase({ dataDir });
    try {
      expect((await getPrompt(reopened.db, promptId!))?.captureCount).toBe(20);
      const recent = await recentCaptures(reopened.db, promptId!, 50);
      expect(recent).toHaveLength(20);
      expect(new Set(recent.map((r) => r.upstreamRequestId))).toEqual(new Set(upstream.served));
      // The dev key has no key row: captures made with it carry no client key id.
      expect(recent[0]).toMatchObject({ clientKeyId: null, status: 200, outputText: "billing", requestedModel: "gpt-4o-mini" });
    } finally {
      await reopened.close();
    }
  });
});
