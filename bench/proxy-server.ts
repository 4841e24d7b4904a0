import type { AddressInfo } from "node:net";
import type { CaptureRecord } from "@proofgate/db";
import { createApp } from "../apps/server/src/app.ts";
import type { CaptureSink } from "../apps/server/src/deps.ts";
import { fromServer } from "./resolve.ts";

const { serve } = await fromServer<typeof import("@hono/node-server")>("@hono/node-server");
const { loadConfig } = await fromServer<typeof import("@proofgate/config")>("@proofgate/config");
const { default: pino } = await fromServer<{ default: typeof import("pino").default }>("pino");
const { Registry } = await fromServer<typeof import("prom-client")>("prom-client");

/**
 * proofgate as the bench runs it: the real app, logging at info to a file, capture on. CAPTURE=memory keeps
 * the newest captures in a bounded ring (the proxy's own cost); CAPTURE=postgres writes them through the
 * capture writer to BENCH_DATABASE_URL (the whole path). Prints its port, and its capture count on SIGUSR2.
 */
class RingSink implements CaptureSink {
  readonly ring: CaptureRecord[] = [];
  count = 0;
  push(record: CaptureRecord) {
    this.ring[this.count++ % 1024] = record;
  }
}

const config = loadConfig();
const logger = pino({ level: config.env.LOG_LEVEL }, pino.destination({ dest: process.env.BENCH_LOG ?? "/dev/null", sync: false, minLength: 4096 }));
const metrics = new Registry();
let captures: CaptureSink;
let stop = async () => {};
if (process.env.CAPTURE === "postgres") {
  const { openDatabase, migrate } = await fromServer<typeof import("@proofgate/db")>("@proofgate/db");
  const { CaptureWriter } = await import("../apps/server/src/capture/index.ts");
  const database = await openDatabase({ databaseUrl: process.env.BENCH_DATABASE_URL, dataDir: config.env.PROOFGATE_DATA_DIR });
  await migrate(database.db);
  const writer = new CaptureWriter({ db: database.db, logger, metrics, dataDir: config.env.PROOFGATE_DATA_DIR }).start();
  captures = writer;
  stop = async () => {
    await writer.close();
    await database.close();
  };
} else {
  captures = new RingSink();
}
const app = createApp({ config, logger, metrics, captures, keys: { verify: async () => null } });
const server = serve({ fetch: app.fetch, port: config.env.PORT, hostname: "127.0.0.1" }, (info: AddressInfo) => {
  console.log(`ready ${info.port}`);
});
server.keepAliveTimeout = 60_000;
process.on("SIGUSR2", () => console.log(`captures ${captures instanceof RingSink ? captures.count : "n/a"}`));
process.on("SIGTERM", () => {
  server.close();
  void stop().finally(() => process.exit(0));
});
