import { createHash } from "node:crypto";
import type { PromptIdentity } from "../../src/prompts/identify.ts";
import type { Case } from "./prompt-identity-corpus.ts";

export const GOLDEN_PATH = new URL("./prompt-identity.golden.json", import.meta.url).pathname;

/** Templates past this length are pinned by digest: the hostile and huge cases would triple the file. */
const STORED_TEMPLATE = 2_000;

export interface GoldenCase extends Omit<PromptIdentity, "template"> {
  name: string;
  /** A digest of the input, so a changed corpus fails as "regenerate", not as a changed output. */
  inputDigest: string;
  /** A key into Golden.templates: many cases share one template. */
  template: string;
}

export interface Golden {
  templates: Record<string, string>;
  cases: GoldenCase[];
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function inputDigest(c: Case): string {
  return sha256(JSON.stringify(c.input) ?? "").slice(0, 16);
}

/** How the fixture records a template: the text itself, or a full digest and the length when long. */
export function templateRecord(template: string): string {
  return template.length <= STORED_TEMPLATE ? template : `sha256:${sha256(template)} length:${template.length}`;
}

export function buildGolden(results: Array<[Case, PromptIdentity]>): Golden {
  const keys = new Map<string, string>();
  const golden: Golden = { templates: {}, cases: [] };
  for (const [c, { template, ...identity }] of results) {
    const record = templateRecord(template);
    let key = keys.get(record);
    if (key === undefined) {
      key = `t${keys.size}`;
      keys.set(record, key);
      golden.templates[key] = record;
    }
    golden.cases.push({ name: c.name, inputDigest: inputDigest(c), ...identity, template: key });
  }
  return golden;
}
