import { hash } from "node:crypto";
import { BoundedMemo } from "./bounded-memo.ts";
import { canonicalJson } from "./canonical-json.ts";
import { fingerprintKey, isBareInput, maskText, SLOT } from "./mask.ts";

export type Endpoint = "chat.completions" | "responses" | "messages" | "embeddings";

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

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Text of a message content: a string, or the text parts of a part list (images become a slot). */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const part of content) {
    if (typeof part === "string") parts.push(part);
    else if (isObject(part)) {
      if (typeof part.text === "string") parts.push(part.text);
      else if (typeof part.type === "string") parts.push(`‹${part.type}›`);
    }
  }
  return parts.join("\n");
}

interface Parts {
  instructions: string[];
  /** The first user turn: the template's input skeleton. Later turns are conversation, not template. */
  user: string | null;
  schemas: unknown[];
}

function fromMessages(messages: unknown, parts: Parts): void {
  if (!Array.isArray(messages)) return;
  for (const m of messages) {
    if (!isObject(m)) continue;
    const role = m.role;
    if (role === "system" || role === "developer") parts.instructions.push(contentText(m.content));
    else if (role === "user" && parts.user === null) parts.user = contentText(m.content);
    // Items without a role (Responses API function outputs, etc.) and later turns are inputs.
  }
}

function toolSchemas(tools: unknown): unknown[] {
  if (!Array.isArray(tools)) return [];
  return tools.map((t) => {
    if (!isObject(t)) return t;
    // Chat: {type, function: {name, parameters}}; Responses: {type, name, parameters}; Anthropic: {name, input_schema}.
    const fn = isObject(t.function) ? t.function : t;
    return { type: t.type, name: fn.name, description: fn.description, schema: fn.parameters ?? fn.input_schema };
  });
}

function collect(endpoint: Endpoint, body: Json): Parts {
  const parts: Parts = { instructions: [], user: null, schemas: [] };
  if (endpoint === "chat.completions") {
    fromMessages(body.messages, parts);
    parts.schemas.push(...toolSchemas(body.tools), ...toolSchemas(body.functions));
    if (isObject(body.response_format)) parts.schemas.push({ response_format: body.response_format });
  } else if (endpoint === "responses") {
    if (typeof body.instructions === "string") parts.instructions.push(body.instructions);
    if (typeof body.input === "string") parts.user = body.input;
    else fromMessages(body.input, parts);
    parts.schemas.push(...toolSchemas(body.tools));
    if (isObject(body.text) && isObject(body.text.format)) parts.schemas.push({ format: body.text.format });
  } else if (endpoint === "messages") {
    const system = contentText(body.system);
    if (system) parts.instructions.push(system);
    fromMessages(body.messages, parts);
    parts.schemas.push(...toolSchemas(body.tools));
    if (isObject(body.output_format)) parts.schemas.push({ output_format: body.output_format });
  }
  // Embeddings: the input is all data; the template is the endpoint and the model.
  return parts;
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
  const parts = collect(endpoint, json);
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
