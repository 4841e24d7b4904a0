import { parseArgs } from "node:util";
import { AdminApiError, adminClient } from "./admin-client.ts";
import { UsageError, type Command } from "./context.ts";
import { reportLines, type PresentedCalibration } from "./report-table.ts";

const USAGE = "proofgate report <prompt-id | calibration-id> [--url http://127.0.0.1:8080]";

/**
 * Prints a calibration's report from the running server: the calibration named, or a prompt's latest
 * finished one (its running one when none has finished yet).
 */
export const reportCommand: Command = {
  summary: "print the latest parity report of a prompt (or a calibration's)",
  usage: USAGE,
  async run(args, ctx) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, strict: true, options: { url: { type: "string" } } });
    const [target] = positionals;
    if (!target || positionals.length > 1) throw new UsageError(USAGE);
    const api = adminClient(ctx, values.url);
    const calibration = await byCalibrationId(api, target) ?? (await latestOfPrompt(api, target));
    if (!calibration) {
      ctx.err(`no calibration found for '${target}': it is neither a calibration id nor a prompt that has been calibrated (start one with \`pnpm proofgate calibrate ${target}\`)`);
      return 1;
    }
    for (const line of reportLines(calibration)) ctx.out(line);
    return 0;
  },
};

type Api = ReturnType<typeof adminClient>;

async function byCalibrationId(api: Api, id: string): Promise<PresentedCalibration | null> {
  try {
    return (await api.request<{ calibration: PresentedCalibration }>("GET", `/calibrations/${encodeURIComponent(id)}`)).calibration;
  } catch (error) {
    if (error instanceof AdminApiError && error.status === 404) return null;
    throw error;
  }
}

async function latestOfPrompt(api: Api, promptId: string): Promise<PresentedCalibration | null> {
  let list: PresentedCalibration[];
  try {
    list = (await api.request<{ calibrations: PresentedCalibration[] }>("GET", `/prompts/${encodeURIComponent(promptId)}/calibrations?limit=20`)).calibrations;
  } catch (error) {
    if (error instanceof AdminApiError && error.status === 404) return null;
    throw error;
  }
  const chosen = list.find((c) => c.status === "completed") ?? list[0];
  if (!chosen) return null;
  // The list leaves progress out; the calibration's own page has it.
  return byCalibrationId(api, chosen.id);
}
