export type { CaptureRecord } from "./capture-record.ts";
export { captureLineId, captureLineKey, decodeCapture, encodeCapture, isCurrentCaptureLine, jsonOf, JsonText, valueText } from "./capture-line.ts";
export { DataDirInUseError, openDatabase, rowsOf, type Database, type Db, type OpenOptions, type Schema } from "./client.ts";
export { migrate, MIGRATIONS_DIR } from "./migrate.ts";
export * from "./schema/index.ts";
export { insertCaptureBatch, insertCaptureLines } from "./queries/capture-batch.ts";
export { insertQuarantinedCapture, listQuarantinedCaptures } from "./queries/capture-quarantine.ts";
export { capturedUpstreamRequestIds, countCapturesByIds, recentCaptures } from "./queries/captures.ts";
export {
  findActiveClientKeyByHash,
  findActiveClientKeys,
  insertClientKey,
  listClientKeys,
  revokeClientKey,
  revokeClientKeys,
  updateClientKeyLimits,
  type ClientKeyLimits,
  type ClientKeyListing,
} from "./queries/client-keys.ts";
export { clientKeySpend, type ClientKeySpend } from "./queries/client-key-spend.ts";
export { ensureCapturePartitions, listCapturePartitions } from "./queries/partitions.ts";
export { countPrompts, getPrompt, listPrompts, renamePrompt } from "./queries/prompts.ts";
export { jsonText, type JsonTextOptions, type JsonTextResult } from "./json-text.ts";
export { DatabaseThreadExited, isTransientDbError, isUniqueViolation } from "./errors.ts";
export { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableReason, isDatabaseUnavailable } from "./unavailable.ts";
export { DB_TIME_LIMIT_MS, DbTimeoutError, QUERY_CANCELED, withTimeLimit } from "./time-limit.ts";
export { searchPrompts, type PromptSearch, type PromptSort, type PromptWithRates } from "./queries/dashboard-prompts.ts";
export {
  insertCalibration,
  getCalibration,
  listRunningCalibrations,
  finishCalibration,
  refreshCalibrationSpend,
  sampleCaptures,
  insertCalibrationBatch,
  getCalibrationBatch,
  listCalibrationBatches,
  markBatchEvaluated,
  setCalibrationSetup,
  getSampledCapture,
  listPromptsDueForCalibration,
  type SampleCapturesParams,
} from "./queries/calibrations.ts";
export {
  insertReplay,
  getReplay,
  getReplays,
  listBatchReplays,
  insertJudgment,
  getJudgment,
  listBatchJudgments,
  listCalibrationJudgments,
  countBatchJudgments,
} from "./queries/calibration-results.ts";
export {
  calibrationProgress,
  listDisagreements,
  listPromptCalibrations,
  promptCalibrationSummaries,
  type CalibrationProgress,
  type Disagreement,
  type PromptCalibrationSummary,
} from "./queries/dashboard-calibrations.ts";
export {
  ROUTES_CHANNEL,
  getRoute,
  listRoutes,
  listActiveRoutes,
  approveRoute,
  revertRoute,
  setAutoApprove,
  listRouteEvents,
  type ApproveRouteParams,
  type RevertRouteParams,
} from "./queries/routes.ts";
export { latestCalibrationFor, calibrationFingerprints, getPromptCapture, routeSpendSince, baselineLatency, type RouteSpend } from "./queries/route-evidence.ts";
export { insertShadowSample, listShadowSamples, shadowSpend, type NewShadowSample } from "./queries/shadow-samples.ts";
export { listenRouteChanges, type RouteListener } from "./route-listen.ts";
export type { RealisedSavings } from "./realised-savings.ts";
export { defineDocument, DocumentError, type Document, type DocumentOptions, type Stored } from "./documents/stored.ts";
export { calibrationSetup, type CalibrationSetup } from "./documents/calibration-setup.ts";
export { calibrationReport, type CalibrationReport, type CalibrationReportInput } from "./documents/calibration-report.ts";
export { batchStats, type BatchStats } from "./documents/batch-stats.ts";
export { judgmentDetails, type JudgmentDetails } from "./documents/judgment-details.ts";
export { axisScores, type AxisScores } from "./documents/axis-scores.ts";
export { calibratedAxes, formatContract, readRoutePolicy, storeRoutePolicy, type RoutePolicy, type StoredRoutePolicy } from "./documents/route-policy.ts";
export { routeEventDetails, type RouteEventDetails } from "./documents/route-event-details.ts";
export type { JsonValue } from "./documents/json-value.ts";
