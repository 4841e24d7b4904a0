import { hash } from "node:crypto";
import { isObject, wireOf, type Endpoint } from "@proofgate/providers";
import { BoundedMemo } from "./bounded-memo.ts";
import { canonicalJson } from "./canonical-json.ts";
import { fingerprintKey, isBareInput, maskText, SLOT } from "./mask.ts";

export interface PromptIdentity {
  /** Stable id: from the header name when given, else from the template fingerprint. */
  promptId: string;
  /** The header name, or null when the prompt was found by fingerprint. */
  promptName: string | null;
  /** sha-256 (hex) of the template; set for named prompts too, so a template change is visible. */
  fingerprint: string;
  /** Readable skeleton: instructions, the user turn with variable spans masked, schemas. */
  template: string;
}

export interface IdentifyInput {
  endpoint: Endpoint;
  body: unknown;
  promptHeader?: string | null | undefined;
}

/** One-shot hash: on short inputs it costs half of createHash().update().digest() (no Hash object). */
function sha256(text: string): string {
  return hash("sha256", text, "hex");
}

/** Ids are short (80 bits) and prefixed by origin, so a named prompt never collides with a fingerprinted one. */
function idFrom(kind: "n" | "f", digest: string): string {
  return `p${kind}_${digest.slice(0, 20)}`;
}

/**
 * Pure results that repeat across one template's requests: its system prompt (masking one costs more than
 * the rest of identifyPrompt together), its skeleton and its header name. A few MB at most; exported so
 * tests can check the bounds and empty them.
 */
export const memos = {
  instructions: new BoundedMemo((text) => maskText(text, { kind: "instructions" }), { entries: 512, keyLength: 32_000, chars: 2_000_000 }),
  fingerprint: new BoundedMemo((template) => sha256(fingerprintKey(template)), { entries: 512, keyLength: 32_000, chars: 1_000_000 }),
  namedId: new BoundedMemo((name) => idFrom("n", sha256(name)), { entries: 512, keyLength: 200, chars: 100_000 }),
};

/** Resolves which production prompt a request belongs to. Pure; runs on every request. */
export function identifyPrompt({ endpoint, body, promptHeader }: IdentifyInput): PromptIdentity {
  const json = isObject(body) ? body : {};
  const model = typeof json.model === "string" ? json.model : "";
  // What names the template is the wire's to say: each reads its own body shape.
  const parts = wireOf(endpoint).templateParts(json);
  const instructions = parts.instructions.map((t) => memos.instructions.get(t)).filter(Boolean);
  let user = "";
  if (parts.user !== null) {
    user = instructions.length > 0 && isBareInput(parts.user) ? SLOT : maskText(parts.user, { kind: "user" });
  }
  const sections = [`endpoint: ${endpoint}`, `model: ${model}`];
  if (instructions.length > 0) sections.push(`[instructions]\n${instructions.join("\n---\n")}`);
  if (parts.user !== null) sections.push(`[user]\n${user}`);
  if (parts.schemas.length > 0) sections.push(`[schemas]\n${parts.schemas.map(canonicalJson).join("\n")}`);
  const template = sections.join("\n\n");
  const fingerprint = memos.fingerprint.get(template);

  const name = typeof promptHeader === "string" ? promptHeader.trim() : "";
  if (name) return { promptId: memos.namedId.get(name), promptName: name, fingerprint, template };
  return { promptId: idFrom("f", fingerprint), promptName: null, fingerprint, template };
}
