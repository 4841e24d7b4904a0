// pnpm bench:real: proofgate's verdicts on real recorded model outputs, against the data sets' gold labels.
//   node bench/real/run.ts [--only <regex>] [--out docs/real.md] [--timeout-min 27]
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { outcomeOf, runCalibration, sendTraffic, startPipeline, waitForCaptures, type Outcome } from "./pipeline.ts";
import { rowOf, summary } from "./report.ts";
import { sanity } from "./sanity.ts";
import { allSlices } from "./slices.ts";
import { borrowedBand, borrowedText } from "./borrowed-band.ts";
import { readmeSection, updateReadme } from "./readme-section.ts";
import { writeDoc } from "./write-doc.ts";

const { values } = parseArgs({ options: { only: { type: "string" }, out: { type: "string" }, "timeout-min": { type: "string" } } });
const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = process.env.PROOFGATE_DATASETS ?? fileURLToPath(new URL("../../../shared/datasets/", import.meta.url));
if (!existsSync(dir)) {
  console.error(`bench:real needs the recorded data sets at ${dir} (set PROOFGATE_DATASETS)`);
  process.exit(2);
}
const started = Date.now();
const deadline = started + Number(values["timeout-min"] ?? 27) * 60_000;
const say = (msg: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
const log = "/tmp/proofgate-bench-real.log";

const slices = allSlices(dir, values.only ? new RegExp(values.only) : undefined);
say(`${slices.length} slices, ${slices.reduce((a, s) => a + s.requests.length, 0)} recorded prompts; gold read from the data sets`);
const checks = sanity(dir);
say(`published figures: ${checks.checks.filter((c) => c.ok).length} of ${checks.checks.length} reproduced`);

const pipeline = await startPipeline(dir, log);
say(`proofgate up (proxy ${pipeline.proxyUrl}, queue ${pipeline.runtime.deps.queue.kind}); logs in ${log}`);
const prompts = new Map<string, string>();
for (const slice of slices) {
  const { promptId, sent } = await sendTraffic(pipeline.proxyUrl, slice);
  prompts.set(slice.id, promptId);
  await waitForCaptures(pipeline.db, new Map([[promptId, sent]]));
}
say("all traffic captured; starting one calibration per slice");

const ids = new Map<string, string>();
for (const [i, slice] of slices.entries()) ids.set(slice.id, await runCalibration(pipeline, prompts.get(slice.id)!, slice, 1_000 + i));
const outcomes = new Map<string, Outcome>();
let lastSay = Date.now();
while (outcomes.size < slices.length && Date.now() < deadline) {
  for (const slice of slices) {
    if (outcomes.has(slice.id)) continue;
    const o = await outcomeOf(pipeline.db, ids.get(slice.id)!, slice);
    if (o.status !== "running") outcomes.set(slice.id, o);
  }
  if (Date.now() - lastSay > 30_000) {
    say(`${outcomes.size} of ${slices.length} calibrations finished`);
    lastSay = Date.now();
  }
  await new Promise((r) => setTimeout(r, 1_000));
}
for (const slice of slices) {
  if (!outcomes.has(slice.id)) outcomes.set(slice.id, { ...(await outcomeOf(pipeline.db, ids.get(slice.id)!, slice)), status: "unfinished at the time limit" });
}
await pipeline.close();

const rows = slices.map((s) => rowOf(s, outcomes.get(s.id)!));
const totals = summary(rows, (Date.now() - started) / 1000);
const borrowed = borrowedText(borrowedBand(dir, rows));
const markdown = writeDoc({ rows, totals, checks, borrowed, out: values.out ?? (values.only ? null : `${root}docs/real.md`) });
// A full run (no --only) refreshes the README's copy of the results too.
if (!values.only && updateReadme(`${root}README.md`, readmeSection(rows, totals))) say("README.md results updated");
console.log(markdown.tables);
console.log(JSON.stringify(totals));
