import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { handleSignals, reportRows, tuneHeap, UsageError, type Command } from "@proofgate/server";
import { runDemo, type DemoRun } from "./run.ts";

const USAGE = "pnpm demo [--port 8080] [--requests 300] [--max-pairs 300] [--data-dir DIR] [--seed 1] [--no-latency] [--exit]";

function count(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, not '${raw}'\n${USAGE}`);
  return n;
}

/** The closing table and what to do next; printed by the command, kept apart so a test can read it. */
export function demoReport(run: DemoRun): string[] {
  const lines = [
    "",
    "Verdicts (evidence per axis: how well gpt-4o agrees with itself, the band, vs how well the candidate agrees with gpt-4o):",
    ...reportRows(
      run.results.map((r) => ({ label: r.prompt, calibration: r.calibration })),
      { header: "simulator truth", cell: (label, model) => run.results.find((r) => r.prompt === label)?.truth[model] ?? "-" },
    ).map((l) => `  ${l}`),
  ];
  let monthly = 0;
  for (const r of run.results) {
    const reports = Object.entries(r.calibration.reports ?? {});
    const best = reports
      .filter(([, report]) => report.verdict === "pass")
      .map(([model, report]) => ({ model, saving: report.savings?.monthlySavingUsd.estimate ?? 0 }))
      .sort((a, b) => b.saving - a.saving)[0];
    if (best) monthly += best.saving;
    lines.push(`  ${r.prompt} (prompt id ${r.promptId}): ${best ? `${best.model} may serve it once approved` : "stays on gpt-4o"}${r.calibration.status === "stopped" ? ` (stopped: ${r.calibration.stopReason})` : ""}`);
  }
  lines.push(
    `Projected saving if every passing candidate is approved: $${monthly.toFixed(2)}/month at the traffic seen (a window shorter than a day counts as one day).`,
    "A candidate passes only when every axis stays within its margin of the band; a saving in parentheses is what a candidate that did not pass would have saved.",
    "'simulator truth' is what the simulated models are built to do (within or outside the margins); the verdicts are reached without it.",
  );
  return lines;
}

/**
 * `pnpm demo`: the simulated providers and proofgate on an embedded database, realistic traffic, one
 * calibration per prompt with progress, the verdicts with their evidence and savings; then the server
 * stays up with a signed-in dashboard link until Ctrl-C.
 */
export const demoCommand: Command = {
  summary: "run the end-to-end demo on the simulator (no network, no services)",
  usage: USAGE,
  async run(args, ctx) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        port: { type: "string" },
        requests: { type: "string" },
        "max-pairs": { type: "string" },
        "data-dir": { type: "string" },
        seed: { type: "string" },
        "no-latency": { type: "boolean" },
        exit: { type: "boolean" },
      },
    });
    const requests = count("requests", values.requests, 300);
    const maxPairs = count("max-pairs", values["max-pairs"], 300);
    if (requests < 20 || maxPairs < 20) throw new UsageError(`--requests and --max-pairs must be at least 20\n${USAGE}`);
    const ownDir = values["data-dir"] === undefined;
    const dataDir = values["data-dir"] ?? mkdtempSync(join(tmpdir(), "proofgate-demo-"));
    if (ownDir) process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));

    tuneHeap();
    const started = Date.now();
    const run = await runDemo({
      dataDir,
      port: count("port", values.port ?? ctx.env.PORT, 8080),
      requestsPerPrompt: requests,
      maxPairs,
      seed: count("seed", values.seed, 1),
      latencyScale: values["no-latency"] ? 0 : 0.1,
      out: ctx.out,
      tty: Boolean(process.stdout.isTTY),
    });
    for (const line of demoReport(run)) ctx.out(line);
    ctx.out(`(demo finished its work in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    if (values.exit) {
      await run.close();
      return run.results.every((r) => r.calibration.status === "completed") ? 0 : 1;
    }
    ctx.out("");
    ctx.out(`proofgate keeps running at ${run.url} (Ctrl-C stops it and deletes the demo's data).`);
    ctx.out(`  dashboard, signed in:  ${run.dashboardUrl}`);
    ctx.out(`  client key:            ${run.devKey}   (OpenAI SDK baseURL ${run.url}/v1)`);
    ctx.out(`  admin token:           ${run.adminToken}`);
    ctx.out(`  try:                   PROOFGATE_ADMIN_TOKEN=${run.adminToken} pnpm proofgate report ${run.results[0]?.promptId ?? "<prompt>"} --url ${run.url}`);
    handleSignals(run.server);
    process.once("exit", () => void run.simulator.close());
    return new Promise<number>(() => {});
  },
};
