import { providerOf, type FileConfig } from "@proofgate/config";
import { approveRoute, calibrationFingerprints, getPrompt, latestCalibrationFor, revertRoute, type Db, type RouteRow } from "@proofgate/db";
import { checkApproval } from "@proofgate/parity";
import { translatable } from "../proxy/candidate-wire.ts";

/** Why an approval was refused, in words an operator can act on; `code` is stable for clients. */
export class RouteRefusal extends Error {
  override name = "RouteRefusal";
  readonly code: string;
  readonly notFound: boolean;
  constructor(code: string, message: string, notFound = false) {
    super(message);
    this.code = code;
    this.notFound = notFound;
  }
}

export interface RoutingDeps {
  db: Db;
  config: FileConfig;
  /** Called after a committed change, so this process reloads at once (others hear it by NOTIFY). */
  changed?: (promptId: string) => void | Promise<void>;
}

/**
 * Switches a prompt to a candidate, only on a passing report that is still current (same template
 * fingerprint, same baseline, same format contract). Shared by the admin API, the CLI and auto-approve.
 */
export async function approve(deps: RoutingDeps, p: { promptId: string; model: string; actor: string; reason?: string }): Promise<RouteRow> {
  const prompt = await getPrompt(deps.db, p.promptId);
  if (!prompt) throw new RouteRefusal("prompt_not_found", `No prompt with id '${p.promptId}'.`, true);
  const baselineProvider = providerOf(deps.config, prompt.model);
  if (providerOf(deps.config, p.model) !== baselineProvider && !translatable(prompt.endpoint)) {
    throw new RouteRefusal(
      "cross_provider_unsupported",
      `'${p.model}' is served on another provider's wire than the baseline '${prompt.model}', and requests to ${prompt.endpoint} cannot be translated (only chat completions and messages can).`,
    );
  }
  const calibration = await latestCalibrationFor(deps.db, p.promptId, p.model);
  const fingerprints = calibration ? await calibrationFingerprints(deps.db, calibration.id) : [];
  const check = checkApproval({
    promptId: p.promptId,
    model: p.model,
    baselineModel: prompt.model,
    fingerprint: prompt.fingerprint,
    calibration: calibration && { id: calibration.id, report: calibration.report, setup: calibration.setup },
    calibrationFingerprints: fingerprints,
  });
  if (!check.ok) throw new RouteRefusal(check.code, check.message);
  const row = await approveRoute(deps.db, {
    promptId: p.promptId,
    baselineModel: prompt.model,
    candidateModel: p.model,
    calibrationId: calibration!.id,
    fingerprint: prompt.fingerprint,
    contract: check.contract,
    setup: calibration!.setup,
    calibrated: check.calibrated,
    actor: p.actor,
    reason: p.reason ?? `approved on calibration ${calibration!.id}: ${check.report.reason}`,
  });
  await deps.changed?.(p.promptId);
  return row;
}

/** Back to the baseline; undefined when the prompt was not switched. */
export async function revert(deps: Pick<RoutingDeps, "db" | "changed">, p: { promptId: string; actor: string; reason?: string }): Promise<RouteRow | undefined> {
  const row = await revertRoute(deps.db, { promptId: p.promptId, actor: p.actor, reason: p.reason ?? "reverted by hand" });
  if (row) await deps.changed?.(p.promptId);
  return row;
}
