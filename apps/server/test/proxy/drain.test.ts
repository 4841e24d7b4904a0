import { createServer, request, Agent, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@proofgate/config";
import { createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startServer, type RunningServer } from "../../src/main.ts";
import { quietLogger } from "../storage/capture-fixtures.ts";

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const DEV_KEY = "drain-test-dev-key";
let testDb: TestDatabase;

/** An upstream that holds every chat call until the test lets it answer. */
async function holdingUpstream() {
  const held: ServerResponse[] = [];
  const arrived: Array<() => void> = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      held.push(res);
      for (const wake of arrived.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const answer = (res: ServerResponse) => {
    const text = JSON.stringify({ id: "c", object: "chat.completion", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }] });
    res.writeHead(200, { "content-type": "application/json", "content-length": String(text.length) });
    res.end(text);
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async waitFor(n: number) {
      while (held.length < n) await new Promise<void>((resolve) => arrived.push(resolve));
    },
    releaseAll: () => held.splice(0).forEach(answer),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

function post(port: number, agent: Agent): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  const body = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/v1/chat/completions", method: "POST", agent, headers: { authorization: `Bearer ${DEV_KEY}`, "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb?.drop();
});

describe("shutdown drain", () => {
  it("answers in-flight keep-alive requests with Connection: close and does not wait for the deadline", async () => {
    const upstream = await holdingUpstream();
    let server: RunningServer | null = null;
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    try {
      const config = loadConfig({
        PORT: "0",
        DATABASE_URL: testDb.url,
        PROOFGATE_DATA_DIR: mkdtempSync(join(tmpdir(), "pg-drain-")),
        PROOFGATE_DEV_KEY: DEV_KEY,
        OPENAI_UPSTREAM_URL: `${upstream.url}/v1`,
        OPENAI_API_KEY: "sk-upstream-test",
      });
      server = await startServer({ config, logger: quietLogger(), calibration: false, drainTimeoutMs: 20_000 });
      const port = server.port;
      // Before the drain a keep-alive client is kept.
      const before = post(port, agent);
      await upstream.waitFor(1);
      upstream.releaseAll();
      expect((await before).headers.connection).toBe("keep-alive");

      const inFlight = [post(port, agent), post(port, agent)];
      await upstream.waitFor(2);
      const started = performance.now();
      const closing = server.close("test");
      server = null;
      upstream.releaseAll();
      for (const response of await Promise.all(inFlight)) {
        expect(response.status).toBe(200);
        expect(response.headers.connection).toBe("close");
      }
      // The client's pooled connections were closed with their responses, so the drain ends now.
      await closing;
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      agent.destroy();
      await server?.close();
      await upstream.close();
    }
  });
});
