import { tmpdir } from "node:os";
import { insertCaptureBatch, migrate, openDatabase, type CaptureRecord, type Database } from "@proofgate/db";
import { captureRecord, createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import type { Hono } from "hono";

export const ADMIN_TOKEN = "test-admin-token-0123456789";

/** A fresh, migrated database of this test file's own on the real test Postgres. */
export async function setupDatabase(): Promise<{ database: Database; testDb: TestDatabase; close(): Promise<void> }> {
  const testDb = await createTestDatabase();
  const database = await openDatabase({ databaseUrl: testDb.url, dataDir: tmpdir(), max: 4 });
  await migrate(database.db);
  return {
    database,
    testDb,
    async close() {
      await database.close();
      await testDb.drop();
    },
  };
}

export function capture(overrides: Partial<CaptureRecord> = {}): CaptureRecord {
  return captureRecord({
    promptId: "support-triage",
    promptName: "support-triage",
    fingerprint: "a".repeat(64),
    template: "endpoint: chat.completions\n\n[system]\nClassify the ticket.\n\n[user]\nTicket: ‹…›",
    response: { choices: [{ message: { role: "assistant", content: '{"category":"billing"}' } }] },
    outputText: '{"category":"billing"}',
    inputTokens: 40,
    outputTokens: 6,
    latencyMs: 420,
    ttfbMs: 300,
    ...overrides,
  });
}

export async function insertCaptures(database: Database, records: CaptureRecord[]): Promise<void> {
  const inserted = await insertCaptureBatch(database.db, records);
  if (inserted !== records.length) throw new Error(`inserted ${inserted} of ${records.length} captures`);
}

/** Drives a Hono app like a browser would: keeps cookies, sends forms, does not follow redirects. */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly app: Hono<any>;
  readonly origin: string;

  constructor(app: Hono<any>, origin = "http://127.0.0.1:8080") {
    this.app = app;
    this.origin = origin;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.#send(path, { method: "GET", headers });
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.#send(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: this.origin, ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Reads the form token (`_csrf`) out of a page, as a browser's form submission would carry it. */
  static formToken(page: string): string {
    const match = /name="_csrf" value="([^"]+)"/.exec(page);
    if (!match) throw new Error("no _csrf field on the page");
    return match[1]!;
  }

  async signIn(token = ADMIN_TOKEN): Promise<Response> {
    const form = await this.get("/sign-in");
    return this.post("/sign-in", { _csrf: Browser.formToken(await form.text()), token, next: "/" });
  }

  async #send(path: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const headers = { host: new URL(this.origin).host, ...(cookie ? { cookie } : {}), ...init.headers };
    const response = await this.app.request(new URL(path, this.origin).toString(), { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}
