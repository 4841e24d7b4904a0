// Fixed prose of docs/real.md; every number around it is written by the run.

export const INTRO = `# Proof on real recorded outputs

proofgate's claims must hold on outputs of real models that no one here wrote. \`pnpm bench:real\` replays
public recordings of real models (../shared/datasets, described in its MANIFEST.txt) through the whole
product: the simulator's recorded mode plays the providers; each slice's prompts are sent through the proxy
with the official \`openai\` client and captured in Postgres; then one calibration per slice runs on the
calibration workers (replay, judge, evaluate, on the in-process queue \`pnpm start\` uses without \`REDIS_URL\`)
and the parity engine, with the default margins (0.05), alpha (0.05), pair budget (400) and batch size (20).
Separately, the data sets' own gold labels say which candidates were in fact safe. The engine never sees a
gold label: the gold readers (\`bench/real/gold.ts\`) share no code with it and send nothing to proofgate.

\`\`\`sh
pnpm bench:real                      # all 43 slices, writes this page; about 5 minutes on 2 shared cores
node bench/real/run.ts --only gsm8k  # a subset (regular expression on slice names), prints only
\`\`\``;

export const READING = `## How to read it

- **Gold truth** per slice: the gap is the baseline's gold metric minus the candidate's, averaged over every
  recorded item of the slice, with a 95% paired percentile bootstrap interval (2,000 resamples of items).
  **safe**: the whole interval lies below the 0.05 margin; **unsafe**: the whole interval lies above it;
  **uncertain**: otherwise. The gold metric is accuracy (MMLU-Pro \`pred\` against \`answer\`; RouteLLM's
  correctness columns; llm_stability's \`gt\`; WikiQuestions' \`answerable\` for AssessAnswerability, counted
  right only when also well formed), or, for the StructuredRAG tasks without gold answers, format success as
  the data set graded it (its failure lists).
- **Outcome**: a pass on an unsafe slice is a **false route**; a pass on a safe one is a safe slice routed; a
  fail or inconclusive on a safe one is a **missed saving**; on the others the baseline is rightly kept.
  Missed savings are priced with the replays' own costs (baseline minus candidate per request, at the list
  prices in \`bench/real/models.ts\`) over the slice's recorded traffic.
- **Conservative by design**: proofgate proves *agreement with the baseline*, not correctness, because in
  production there is no gold label to check against. A candidate that answers differently from the
  baseline yet is as accurate fails an agreement axis, and is listed as conservative. gemini-1.5-flash on
  MMLU-Pro math and chemistry is *more* accurate than pro, yet: on math (and law) pro mostly answered with
  bare "The answer is (X)." lines and no reasoning (median 119 and 19 characters), while flash wrote
  chains of thought, so the format contract learnt from pro's outputs rejects flash's as far too long; and
  where both reason, they give different final answers on about one question in three. On
  chain-of-thought text the categorical axis, which forgives a different answer unless the judge prefers
  the baseline's in both orders, rarely applies (no short label can be read from most outputs), so every
  different final answer counts as a semantic disagreement. That costs savings, never a false route.
- **Run to run**: the proxy gives every capture a new id, and a calibration samples captures by its seed
  over those ids, so each run draws other pairs. Slices far from the margin end the same way every run;
  the borderline ones (the llm_stability controls, whose band sits near the budget's reach) may pass in
  one run and end inconclusive in another. A false route would count on any run.
- **Missed for lack of pairs**: a safe slice that ends inconclusive had no failing axis; it ran out of
  captures before the evidence was strong enough (see the band below).`;

export const METHOD = `## Where the band comes from, and what it costs

The band is how much the baseline agrees with itself: the captured output against a fresh baseline replay.

- **llm_stability (real band)**: gpt-4o answered every prompt of seven tasks five times at temperature 0
  (strict JSON schema). The capture is run 0; a baseline replay is one of runs 1-4, so the band is the real
  run-to-run agreement. No other model answered these prompts, so the candidate is gpt-4o's other runs
  again (\`gpt-4o-rerun\`, same price): a candidate known to be exactly as good, which checks that the engine
  passes an equal candidate against a real, noisy band, within the captures there are (100 to 282 prompts
  per task; a calibration never reuses a capture, and a band near 0.8 needs about 800 pairs, see
  docs/proof.md). The real band cannot be used with a cheaper candidate: the other models of
  llm_stability (stochastic_non_determinism_runs.tgz) answered differently built prompts, under a
  culling design in which later runs re-ask only the questions that stayed identical so far, so neither
  their answers nor their runs pair with these captures; \`v3_stability_eval.csv\` holds aggregates only.
- **MMLU-Pro, StructuredRAG, RouteLLM GSM8K (one sample per model)**: every replay of a model returns the
  one output it recorded, so the baseline replay equals the capture and the band is 1 by construction (the
  format band reads below 1 where later baseline outputs break the contract learnt from the first batch,
  the semantic band only through the simulated judge's noise). This is a
  stated assumption, a perfectly self-consistent baseline, and it is the strictest possible: the candidate
  must agree with the baseline on at least 95% of outputs, where a real band b would ask only for b - 0.05.
  It can only turn a pass into a fail, never the reverse, so it cannot cause a false route; its cost is
  missed savings.`;

export const LIMITS = `## What this bench does not show

- The judge is the simulator's: it reads the meaning of real outputs (the final letter of an MMLU-Pro
  chain of thought, the final number of a GSM8K answer, the JSON values of a StructuredRAG answer, the
  \`Answer\` of an llm_stability answer) and then errs like a judge (2% noise, 3% position bias). No real
  LLM judges here. On StructuredRAG's free-text tasks (GenerateAnswer, ParaphraseQuestions) it compares
  normalised text, which is stricter than a real judge would be.
- Asked which of two different labels is right (the categorical judge), the simulated judge knows the
  answer where the data set records one (MMLU-Pro's letter, WikiQuestions' answerability), as a strong
  judge model might. That is the one place where gold reaches a calibration, and only through the judge's
  verdict on a disagreement; the engine itself reads no label. The categorical axis applies only where the
  first batch of baseline outputs yields a short label (the table shows where: n/a elsewhere).
- StructuredRAG uses the f-string prompts only, with gpt-4o as the baseline: a claude baseline would need
  its llama3 candidate replayed on the Anthropic wire, and replays across wire formats are not supported.
- One capture per prompt: the recordings hold one answer per prompt (five for llm_stability), so the
  budget of pairs is at most the number of recorded prompts of a slice.`;
