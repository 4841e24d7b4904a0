import { getPromptCapture, getRoute, insertShadowSample, listShadowSamples, revertRoute } from "@proofgate/db";
import { driftTest, REPLAY_HEADER, type CalibratedAxis } from "@proofgate/parity";
import { endpointSpecs, type Endpoint } from "@proofgate/providers";
import { NonRetryableError, RetryableError, jobIdFor } from "@proofgate/queue";
import { callModel } from "../calibration/model-call.ts";
import { forgetPaidReplies, scorePair, type CalibrationSetup } from "../calibration/pair-scoring.ts";
import { answerText, taskText } from "@proofgate/providers";
import type { CalibrationDeps } from "../calibration/deps.ts";
import { defineProcessor, type Processor } from "../processor.ts";

export interface ShadowHooks {
  /** Called once a drift alarm has reverted a route (a metric, a reload of this process's table). */
  onDriftRevert?: (promptId: string, reason: string) => void;
}

/**
 * The drift watch. One candidate-served request (its capture) is replayed on the baseline, and the served
 * output is scored against that fresh baseline output by the calibration's own rules (same contract, same
 * label spec, same blind judge in both orders). The approval's samples so far feed the anytime-valid drift
 * test (packages/parity driftTest); an alarm reverts the route, with the evidence in the audit event.
 */
export function shadowProcessor(deps: CalibrationDeps, hooks: ShadowHooks = {}): Processor<"shadow"> {
  return defineProcessor("shadow", async (p, context) => {
    const route = await getRoute(deps.db, p.promptId);
    // Reverted, or another candidate approved since: this sample watches nothing any more.
    if (!route || route.state !== "candidate" || route.candidateModel !== p.candidateModel) return { skipped: "route changed" };
    // The capture writer batches (every 200 ms by default): the job may run before the capture is stored.
    let capture = await getPromptCapture(deps.db, p.promptId, p.captureId);
    for (let wait = 0; !capture && wait < 4; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      capture = await getPromptCapture(deps.db, p.promptId, p.captureId);
    }
    if (!capture) throw new RetryableError(`capture ${p.captureId} is not stored yet`, { retryAfterMs: 1_000 });
    if (capture.route !== "candidate" || capture.error) return { skipped: "not a successful candidate answer" };
    // Served under an earlier approval of the same candidate: its evidence belongs to that approval.
    if (route.approvedAt && capture.createdAt < route.approvedAt) return { skipped: "served before the current approval" };
    const setup = route.setup as CalibrationSetup | null;
    if (!setup) throw new NonRetryableError(`route of ${p.promptId} has no calibration setup to score with`);
    const endpoint = capture.endpoint as Endpoint;
    if (endpointSpecs[endpoint]?.provider !== p.provider) throw new NonRetryableError(`baseline ${p.baselineModel} is not served on ${capture.endpoint}`);

    const id = jobIdFor("shadow", p);
    const { stream: _stream, stream_options: _options, ...rest } = (capture.request ?? {}) as Record<string, unknown>;
    const baseline = await callModel(deps, {
      endpoint,
      model: route.baselineModel,
      body: { ...rest, model: route.baselineModel },
      headers: { [REPLAY_HEADER]: `shadow-${capture.id}` },
      signal: context.signal,
    });
    const scored = await scorePair(deps, {
      calibrationId: `shadow/${route.promptId}/${route.version}`,
      key: id,
      setup,
      task: taskText(capture.request),
      reference: answerText(baseline.assembled.outputText, baseline.assembled.toolCalls),
      other: answerText(capture.outputText, capture.toolCalls),
      judge: { provider: p.provider, model: route.baselineModel, replayIndex: `shadow-${capture.id}` },
      redact: [route.baselineModel, p.candidateModel],
      signal: context.signal,
    });
    await insertShadowSample(deps.db, {
      id,
      promptId: p.promptId,
      routeVersion: route.version,
      captureId: p.captureId,
      candidateModel: p.candidateModel,
      baselineModel: route.baselineModel,
      scores: scored.scores,
      costUsd: baseline.costUsd + scored.costUsd,
    });
    forgetPaidReplies(id);

    const samples = await listShadowSamples(deps.db, p.promptId, route.version);
    const result = driftTest((route.calibrated ?? []) as CalibratedAxis[], samples.map((s) => s.scores), deps.config.alpha);
    if (!result.alarm) return { samples: result.samples, alarm: false };
    const reverted = await revertRoute(deps.db, {
      promptId: p.promptId,
      actor: "drift-watch",
      reason: result.reason,
      version: route.version,
      details: { samples: result.samples, axes: result.axes },
    });
    if (reverted) {
      context.log.warn({ prompt: p.promptId, reason: result.reason }, "drift alarm: route reverted");
      hooks.onDriftRevert?.(p.promptId, result.reason);
    }
    return { samples: result.samples, alarm: true };
  });
}
