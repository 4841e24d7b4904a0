/**
 * Rewrites prompt-identity.golden.json from the current identifyPrompt. Run it only when an output change
 * is intended (a new masking rule), and review the diff: a changed fingerprint moves a prompt's id.
 *   node apps/server/test/storage/write-prompt-identity-golden.ts
 */
import { writeFileSync } from "node:fs";
import { identifyPrompt } from "../../src/prompts/identify.ts";
import { buildGolden, GOLDEN_PATH } from "./prompt-identity-golden.ts";
import { identityCorpus } from "./prompt-identity-corpus.ts";

const golden = buildGolden(identityCorpus().map((c) => [c, identifyPrompt(c.input)]));
writeFileSync(GOLDEN_PATH, `${JSON.stringify(golden, null, 1)}\n`);
console.log(`wrote ${golden.cases.length} cases, ${Object.keys(golden.templates).length} templates to ${GOLDEN_PATH}`);
