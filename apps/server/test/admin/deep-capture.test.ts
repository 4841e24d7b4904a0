import { tmpdir } from "node:os";
import { loadConfig } from "@proofgate/config";
import { insertCaptureBatch, migrate, openDatabase, type Database } from "@proofgate/db";
import { captureRecord, createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { newRegistry, quietLogger } from "../storage/capture-fixtures.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const TOKEN = "admin-token-0123456789";
const DEPTH = 10_000;
let testDb: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: testDb.url, dataDir: tmpdir(), max: 2 });
  await migrate(database.db);
  const deep = captureRecord({ promptId: "deep", promptName: "deep" });
  await insertCaptureBatch(database.db, [deep]);
  // Written with SQL directly: such rows predate the ingress nesting limit and cannot be sent any more.
  // The text is brackets and one plain word, and the id a uuid, so both can stand in the statement.
  const text = `${"[".repeat(DEPTH)}"bottom"${"]".repeat(DEPTH)}`;
  await database.db.execute(`update captures set request = '${text}'::jsonb, response = '${text}'::jsonb, tool_calls = '${text}'::jsonb where id = '${deep.id}'`);
});
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

/** How deep a parsed value nests, walked without recursion. */
function depthOf(value: unknown): number {
  let depth = 0;
  for (let v = value; Array.isArray(v); v = v[0]) depth++;
  return depth;
}

describe("admin API: a stored capture nested 10,000 deep", () => {
  it("is returned whole, as stored, in valid JSON", async () => {
    const config = loadConfig({ PROOFGATE_ADMIN_TOKEN: TOKEN, PORT: "0" });
    const app = createApp({ config, logger: quietLogger(), metrics: newRegistry(), captures: { push() {} }, keys: { verify: async () => null }, db: database.db });
    const res = await app.request("/api/prompts/deep?captures=1", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as { prompt: { id: string }; recentCaptures: { request: unknown; response: unknown; toolCalls: unknown }[] };
    expect(body.prompt.id).toBe("deep");
    const [c] = body.recentCaptures;
    expect(depthOf(c!.request)).toBe(DEPTH);
    expect(depthOf(c!.response)).toBe(DEPTH);
    expect(depthOf(c!.toolCalls)).toBe(DEPTH);
  });
});
