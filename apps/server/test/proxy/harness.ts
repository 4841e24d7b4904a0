import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { envSchema, fileSchema, type Config } from "@proofgate/config";
import { decodeCapture, encodeCapture, type CaptureRecord, type Db } from "@proofgate/db";
import { Upstreams } from "@proofgate/providers";
import pino from "pino";
import { Registry } from "prom-client";
import { createApp, upstreamsFromConfig } from "../../src/app.ts";
import type { CaptureSink, KeyVerifier } from "../../src/deps.ts";
import type { KeyLimiter } from "../../src/limits/limiter.ts";
import type { RouteTable } from "../../src/proxy/route-table.ts";
import { startUpstream, type LocalUpstream } from "./upstream.ts";

export const devKey = "pg-dev-key-for-tests";
export const createdKey = "pg-created-key-0001";
export const adminToken = "admin-token-for-tests-0001";

/**
 * An in-memory capture sink that lets a test wait for the capture of a request it just made. It keeps
 * each capture as the writer would store it: encoded as a capture line and read back.
 */
export class ArraySink {
  readonly records: CaptureRecord[] = [];
  #waiters: Array<() => void> = [];
  push(record: CaptureRecord) {
    const stored = decodeCapture(encodeCapture(record));
    if (!stored) throw new Error(`capture ${record.id} did not survive encoding`);
    this.records.push(stored);
    for (const wake of this.#waiters.splice(0)) wake();
  }
  async waitFor(count: number, timeoutMs = 2_000): Promise<CaptureRecord[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.records.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} captures, got ${this.records.length}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.records;
  }
}

/** Client keys as the storage side would answer them: one known key. */
export const keys: KeyVerifier = {
  verify: async (key) => (key === createdKey ? { id: "key_0001", name: "tests" } : null),
};

export interface Harness {
  url: string;
  upstream: LocalUpstream;
  sink: ArraySink;
  metrics: Registry;
  logs: string[];
  close(): Promise<void>;
}

export function testConfig(upstreamUrl: string, overrides: Record<string, string | undefined> = {}, file: unknown = {}): Config {
  return {
    env: envSchema.parse({
      OPENAI_UPSTREAM_URL: `${upstreamUrl}/openai/v1`,
      ANTHROPIC_UPSTREAM_URL: `${upstreamUrl}/anthropic`,
      OPENAI_API_KEY: "sk-upstream-openai-secret",
      ANTHROPIC_API_KEY: "sk-ant-upstream-secret",
      PROOFGATE_DEV_KEY: devKey,
      PROOFGATE_ADMIN_TOKEN: adminToken,
      ...overrides,
    }),
    file: fileSchema.parse(file),
    // Provider key variables come from the test's env, never from the machine's.
    keys: overrides,
  };
}

/** proofgate in front of a local upstream, on an ephemeral loopback port. */
export async function startHarness(
  options: { env?: Record<string, string | undefined>; file?: unknown; captures?: CaptureSink; db?: Db; keys?: KeyVerifier; routes?: RouteTable; limiter?: KeyLimiter } = {},
): Promise<Harness> {
  const upstream = await startUpstream();
  // A function gets the local upstream's URL, to point configured providers at it.
  const file = typeof options.file === "function" ? (options.file as (url: string) => unknown)(upstream.url) : options.file;
  const config = testConfig(upstream.url, options.env, file ?? { upstream: { timeoutMs: 1_000 } });
  // A test may point both providers elsewhere (the simulator) through env; the local upstream then idles.
  const logs: string[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(line) });
  const metrics = new Registry();
  const sink = new ArraySink();
  const upstreams: Upstreams = upstreamsFromConfig(config);
  const app = createApp({ config, logger, metrics, captures: options.captures ?? sink, keys: options.keys ?? keys, upstreams, db: options.db, routes: options.routes, limiter: options.limiter });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    upstream,
    sink,
    metrics,
    logs,
    async close() {
      await new Promise<void>((resolve) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      });
      await upstreams.close();
      await upstream.close();
    },
  };
}
