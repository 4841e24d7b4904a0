export type { CaptureRecord } from "./capture-record.ts";
export { openDatabase, rowsOf, type Database, type Db, type OpenOptions, type Schema } from "./client.ts";
export { migrate, MIGRATIONS_DIR } from "./migrate.ts";
export * from "./schema/index.ts";
export { countCapturesByIds, insertCaptureBatch, recentCaptures } from "./queries/captures.ts";
export { findActiveClientKeyByHash, insertClientKey, listClientKeys, revokeClientKeys } from "./queries/client-keys.ts";
export { ensureCapturePartitions, listCapturePartitions } from "./queries/partitions.ts";
export { countPrompts, getPrompt, listPrompts, renamePrompt } from "./queries/prompts.ts";
export { isTransientDbError } from "./errors.ts";
