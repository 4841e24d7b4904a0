// A worker process on its own (`node apps/worker/src/main.ts`): with REDIS_URL set, any number of these
// share the calibration queues with the server. Without it the server runs the workers in its own process.
import { pino } from "pino";
import { loadConfig } from "@proofgate/config";
import { migrate, openDatabase } from "@proofgate/db";
import { startCalibrationRuntime } from "./runtime.ts";

const config = loadConfig();
const logger = pino({ level: config.env.LOG_LEVEL });
if (!config.env.REDIS_URL) {
  logger.fatal("REDIS_URL is not set: a separate worker process needs the shared queue (pnpm start runs workers in process)");
  process.exit(1);
}
const database = await openDatabase({ databaseUrl: config.env.DATABASE_URL, dataDir: config.env.PROOFGATE_DATA_DIR });
await migrate(database.db);
const runtime = await startCalibrationRuntime({ config, db: database.db, logger });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  await runtime.close(25_000);
  await database.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
