import type { RouteRow } from "@proofgate/db";
import type { RealisedSavings } from "../../routing/savings.ts";

export function presentRoute(row: RouteRow, savings?: RealisedSavings | null) {
  return {
    promptId: row.promptId,
    state: row.state,
    servedModel: row.state === "candidate" ? row.candidateModel : row.baselineModel,
    baselineModel: row.baselineModel,
    candidateModel: row.candidateModel,
    calibrationId: row.calibrationId,
    fingerprint: row.fingerprint,
    autoApprove: row.autoApprove,
    approvedBy: row.approvedBy,
    approvedAt: row.approvedAt?.toISOString() ?? null,
    revertedAt: row.revertedAt?.toISOString() ?? null,
    revertReason: row.revertReason,
    version: row.version,
    calibrated: row.calibrated,
    ...(savings !== undefined ? { savings } : {}),
  };
}
