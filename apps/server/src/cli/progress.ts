import type { CliContext } from "./context.ts";
import type { PresentedCalibration } from "./report-table.ts";

export interface ProgressView {
  update(c: PresentedCalibration): void;
  done(): void;
}

/**
 * Progress of a calibration: a bar redrawn in place on a terminal, plain lines elsewhere (a log, a pipe),
 * printed when the pairs drawn change or every few seconds. The bar itself is the worker's progressLine;
 * a library would add nothing to one line redrawn with a carriage return.
 */
export async function progressView(ctx: CliContext, label: string, tty = Boolean(process.stdout.isTTY)): Promise<ProgressView> {
  const { progressLine } = await import("@proofgate/worker");
  let lastPairs = -1;
  let lastAt = 0;
  let drawn = false;
  return {
    update(c) {
      const line = `${label} ${progressLine({
        status: c.status,
        pairs: c.progress?.sampled ?? 0,
        maxPairs: c.budget.maxPairs,
        replays: c.progress?.replays ?? 0,
        judgments: c.progress?.judgments ?? 0,
        spendUsd: c.spendUsd,
        maxCostUsd: c.budget.maxCostUsd,
      })}`;
      if (tty) {
        process.stdout.write(`\r\x1b[2K${line}`);
        drawn = true;
        return;
      }
      const pairs = c.progress?.sampled ?? 0;
      if (pairs !== lastPairs || Date.now() - lastAt > 5_000 || c.status !== "running") {
        ctx.out(line);
        lastPairs = pairs;
        lastAt = Date.now();
      }
    },
    done() {
      if (drawn) process.stdout.write("\n");
      drawn = false;
    },
  };
}
