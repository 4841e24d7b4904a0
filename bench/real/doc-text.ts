// Fixed prose of docs/real.md; the numbers around it are written by the run.

export const INTRO = `# Proof on real recorded outputs

proofgate's claims must hold on outputs of real models that no one here wrote. \`pnpm bench:real\` replays
public recordings of real models (../shared/datasets, see its MANIFEST.txt) through the whole product: the
simulator's recorded mode plays the providers, the application's prompts go through the proxy and are
captured in Postgres, and one calibration per slice runs on the calibration workers (replay, judge,
evaluate) and the parity engine, exactly as \`pnpm start\` runs them. Separately, the data sets' own gold
labels say which candidates were in fact safe. The engine never sees a gold label.`;

export const READING = `## How to read it`;

export const METHOD = `## Method`;
