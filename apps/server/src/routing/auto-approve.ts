import type { FileConfig } from "@proofgate/config";
import { latestCalibrationFor, listRoutes, type Db } from "@proofgate/db";
import type { Logger } from "pino";
import { approve, RouteRefusal } from "./approve.ts";

/**
 * The opt-in policy: a prompt whose route has autoApprove switches by itself to a candidate whose latest
 * report passes, by the same check as a manual approval. A report older than the route's last revert is
 * never used again, so a drift revert is not undone by the report that was already proven wrong.
 */
export async function autoApproveDue(deps: { db: Db; config: FileConfig; changed?: (id: string) => void | Promise<void> }, logger: Logger): Promise<number> {
  let approved = 0;
  for (const route of await listRoutes(deps.db)) {
    if (!route.autoApprove || route.state !== "baseline") continue;
    for (const model of deps.config.candidates[route.baselineModel] ?? []) {
      const calibration = await latestCalibrationFor(deps.db, route.promptId, model);
      if (!calibration?.finishedAt) continue;
      if (route.revertedAt && calibration.finishedAt <= route.revertedAt) continue;
      try {
        await approve(deps, { promptId: route.promptId, model, actor: "auto-approve", reason: `auto-approved on calibration ${calibration.id}` });
        approved += 1;
        logger.info({ prompt: route.promptId, model }, "route auto-approved");
        break;
      } catch (error) {
        if (!(error instanceof RouteRefusal)) throw error;
      }
    }
  }
  return approved;
}

export function watchAutoApprove(deps: { db: Db; config: FileConfig; changed?: (id: string) => void | Promise<void> }, logger: Logger, everyMs = 30_000): () => void {
  const timer = setInterval(() => {
    autoApproveDue(deps, logger).catch((err: unknown) => logger.warn({ err }, "auto-approve pass failed"));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
