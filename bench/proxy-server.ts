import type { AddressInfo } from "node:net";
import type { CaptureRecord } from "@proofgate/db";
import { createApp } from "../apps/server/src/app.ts";
import type { CaptureSink } from "../apps/server/src/deps.ts";
import { fromServer } from "./resolve.ts";

const { serve } = await fromServer<typeof import("@hono/node-server")>("@hono/node-server");
const { loadConfig } = await fromServer<typeof import("@proofgate/config")>("@proofgate/config");
const { default: pino } = await fromServer<{ default: typeof import("pino").default }>("pino");
const { Registry } = await fromServer<typeof import("prom-client")>("prom-client");
const { encodeCapture } = await fromServer<typeof import("@proofgate/db")>("@proofgate/db");

/**
 * proofgate as the bench runs it, logging at info (buffered, to /dev/null or BENCH_LOG), capture on.
 * CAPTURE=memory: createApp with the newest captures kept in a bounded ring (the proxy's own cost).
 * CAPTURE=postgres: the real server on DATABASE_URL (the whole path). CAPTURE=discard: createApp with
 * captures encoded and dropped. Prints `ready <port>`.
 */
class RingSink implements CaptureSink {
  readonly ring: CaptureRecord[] = [];
  count = 0;
  push(record: CaptureRecord) {
    this.ring[this.count++ % 1024] = record;
  }
}

class DiscardSink implements CaptureSink {
  count = 0;
  push(record: CaptureRecord) {
    encodeCapture(record);
    this.count++;
  }
}

// The heap tuning `proofgate start` applies (the young generation is capped by the caller's
// --max-semi-space-size=8, as in `pnpm start`).
(await import("../apps/server/src/main.ts")).tuneHeap();
const config = loadConfig();
const logger = pino({ level: config.env.LOG_LEVEL }, pino.destination({ dest: process.env.BENCH_LOG ?? "/dev/null", sync: false, minLength: 4096 }));
if (process.env.CAPTURE === "postgres") {
  // The whole product: the server `pnpm start` runs (capture writer, key verifier, admin API) on
  // DATABASE_URL, with only the logger swapped for the buffered one above.
  const { startServer } = await import("../apps/server/src/main.ts");
  const running = await startServer({ config, logger });
  const limitedKey = process.env.BENCH_LIMITED_KEY;
  if (limitedKey) {
    // bench:proxy --key limited: every limit set, none reachable, so each request pays for the checks only.
    const { insertClientKey } = await fromServer<typeof import("@proofgate/db")>("@proofgate/db");
    const { hashKey } = await import("../apps/server/src/keys/key-material.ts");
    const most = 2_000_000_000;
    await insertClientKey(running.database.db, { id: crypto.randomUUID(), name: "bench-limited", keyHash: hashKey(limitedKey), prefix: limitedKey.slice(0, 12), rpm: most, tpm: most, dailyUsd: 1e9, monthlyUsd: 1e9 });
  }
  console.log(`ready ${running.port}`);
  process.on("SIGUSR2", () => console.log("captures n/a"));
  process.on("SIGTERM", () => void running.close("SIGTERM").finally(() => process.exit(0)));
} else {
  // CAPTURE=discard (bench/large-bodies.ts): each capture is encoded as the writer would, then dropped,
  // so what is measured is the proxy's own memory, not a store's.
  const captures = process.env.CAPTURE === "discard" ? new DiscardSink() : new RingSink();
  const app = createApp({ config, logger, metrics: new Registry(), captures, keys: { verify: async () => null } });
  const server = serve({ fetch: app.fetch, port: config.env.PORT, hostname: "127.0.0.1" }, (info: AddressInfo) => {
    console.log(`ready ${info.port}`);
  });
  server.keepAliveTimeout = 60_000;
  process.on("SIGUSR2", () => console.log(`captures ${captures.count}`));
  process.on("SIGTERM", () => {
    server.close();
    process.exit(0);
  });
}
