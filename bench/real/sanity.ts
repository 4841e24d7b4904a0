import { STRUCTURED_RAG_TASKS } from "../../packages/simulator/src/recorded/structured-rag.ts";
import { gsm8kGold, mmluGold, ragGold, ragSuccessRate, stabilityGold, type MmluGold } from "./gold.ts";
import { STABILITY_TASKS } from "./slices.ts";

// The data sets' published figures (MANIFEST.txt), recomputed from the files by the gold readers: if these
// do not match, the bench is not reading the data the way its authors graded it.

type Check = { what: string; published: string; measured: string; ok: boolean };
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol;

function acc(rows: Iterable<MmluGold>): number {
  let n = 0, k = 0;
  for (const r of rows) (n++, (k += +r.correct));
  return k / n;
}

export function sanity(dir: string): { checks: Check[]; categories: string } {
  const checks: Check[] = [];
  const names = { pro: "gemini-1.5-pro-002", flash: "gemini-1.5-flash-002", big: "Meta-Llama-3_1-70B-Instruct", small: "Meta-Llama-3_1-8B-Instruct" };
  const m = Object.fromEntries(Object.entries(names).map(([k, v]) => [k, mmluGold(dir, v)])) as Record<keyof typeof names, Map<string, MmluGold>>;
  const published = { pro: 0.703, flash: 0.641, big: 0.628, small: 0.442 };
  for (const k of Object.keys(names) as (keyof typeof names)[]) {
    const a = acc(m[k].values());
    checks.push({ what: `MMLU-Pro accuracy ${names[k]}`, published: pct(published[k]), measured: pct(a), ok: close(a, published[k], 0.0015) });
  }
  const shared = [...m.pro.keys()].filter((id) => m.flash.has(id));
  const agree = shared.filter((id) => m.pro.get(id)!.pred === m.flash.get(id)!.pred).length / shared.length;
  checks.push({ what: "MMLU-Pro pro-flash agreement on pred (shared ids)", published: "66.8% (12,002)", measured: `${pct(agree)} (${shared.length.toLocaleString("en")})`, ok: close(agree, 0.668, 0.0015) && shared.length === 12002 });

  const categories = [...new Set([...m.pro.values()].map((r) => r.category))].sort();
  const byCat = (map: Map<string, MmluGold>, c: string) => acc([...map.values()].filter((r) => r.category === c));
  const lines = ["| category | pro-002 | flash-002 | pro − flash | 70B | 8B | 70B − 8B |", "|---|---:|---:|---:|---:|---:|---:|"];
  const gaps = { gemini: [] as [number, string][], llama: [] as [number, string][] };
  for (const c of categories) {
    const [p, f, b, s] = [byCat(m.pro, c), byCat(m.flash, c), byCat(m.big, c), byCat(m.small, c)];
    gaps.gemini.push([p - f, c]);
    gaps.llama.push([b - s, c]);
    lines.push(`| ${c} | ${pct(p)} | ${pct(f)} | ${(p - f).toFixed(3)} | ${pct(b)} | ${pct(s)} | ${(b - s).toFixed(3)} |`);
  }
  const range = (g: [number, string][]) => {
    const sorted = [...g].sort((a, b) => a[0] - b[0]);
    return { lo: sorted[0]!, hi: sorted.at(-1)! };
  };
  const gr = range(gaps.gemini);
  const lr = range(gaps.llama);
  checks.push({ what: "MMLU-Pro per-category gap pro − flash, range", published: "-0.108 (math) to +0.183 (engineering)", measured: `${gr.lo[0].toFixed(3)} (${gr.lo[1]}) to +${gr.hi[0].toFixed(3)} (${gr.hi[1]})`, ok: close(gr.lo[0], -0.108, 0.0015) && close(gr.hi[0], 0.183, 0.0015) });
  checks.push({ what: "MMLU-Pro per-category gap 70B − 8B, range", published: "+0.155 to +0.239", measured: `+${lr.lo[0].toFixed(3)} to +${lr.hi[0].toFixed(3)}`, ok: close(lr.lo[0], 0.155, 0.0015) && close(lr.hi[0], 0.239, 0.0015) });

  const g = gsm8kGold(dir);
  const gp = g.filter((r) => r.correct["gpt-4-1106-preview"]).length / g.length;
  const gm = g.filter((r) => r.correct["mistralai/Mixtral-8x7B-Instruct-v0.1"]).length / g.length;
  checks.push({ what: "RouteLLM GSM8K accuracy gpt-4-1106 / Mixtral", published: "0.857 / 0.638", measured: `${gp.toFixed(3)} / ${gm.toFixed(3)}`, ok: close(gp, 0.857, 0.0005) && close(gm, 0.638, 0.0005) });

  for (const task of STRUCTURED_RAG_TASKS) {
    for (const model of ["gpt-4o", "llama3:instruct"]) {
      const ours = ragGold(dir, task, model).formatOk;
      const rate = ours.filter(Boolean).length / ours.length;
      const theirs = ragSuccessRate(dir, task, model);
      checks.push({ what: `StructuredRAG ${task} ${model} (f-string) format success`, published: theirs.toFixed(3), measured: rate.toFixed(3), ok: close(rate, theirs, 0.0005) });
    }
  }

  const stable = STABILITY_TASKS.map((task) => {
    const items = stabilityGold(dir, task);
    return [task, items.filter((i) => i.answers.length === 5 && i.answers.every((a) => a === i.answers[0])).length / items.length] as const;
  });
  const [lo, hi] = [Math.min(...stable.map((s) => s[1])), Math.max(...stable.map((s) => s[1]))];
  const nav = stable.find((s) => s[0] === "navigate")![1];
  const cm = stable.find((s) => s[0] === "college_mathematics")![1];
  checks.push({ what: "llm_stability gpt-4o: answer identical in all 5 runs", published: "45%-93% (navigate 60%, college_math 45%)", measured: `${pct(lo)}-${pct(hi)} (navigate ${pct(nav)}, college_math ${pct(cm)})`, ok: close(lo, 0.45, 0.01) && close(hi, 0.93, 0.01) && close(nav, 0.6, 0.01) && close(cm, 0.45, 0.01) });
  return { checks, categories: lines.join("\n") };
}

export function sanityTable(checks: readonly Check[]): string {
  return ["| figure | published (MANIFEST) | measured | match |", "|---|---|---|---|", ...checks.map((c) => `| ${c.what} | ${c.published} | ${c.measured} | ${c.ok ? "yes" : "NO"} |`)].join("\n");
}
