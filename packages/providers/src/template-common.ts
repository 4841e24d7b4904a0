// The parts of a request that name its template, shared by the wires whose bodies carry messages. Copied
// verbatim from the prompt identifier, so fingerprints stay exactly as they are.
import { isObject } from "./json.ts";
import type { TemplateParts } from "./wire.ts";

/** Text of a message content: a string, or the text parts of a part list (images become a slot). */
export function contentText(content: unknown): string {
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

export function fromMessages(messages: unknown, parts: TemplateParts): void {
  if (!Array.isArray(messages)) return;
  for (const m of messages) {
    if (!isObject(m)) continue;
    const role = m.role;
    if (role === "system" || role === "developer") parts.instructions.push(contentText(m.content));
    else if (role === "user" && parts.user === null) parts.user = contentText(m.content);
    // Items without a role (Responses API function outputs, etc.) and later turns are inputs.
  }
}

export function toolSchemas(tools: unknown): unknown[] {
  if (!Array.isArray(tools)) return [];
  return tools.map((t) => {
    if (!isObject(t)) return t;
    // Chat: {type, function: {name, parameters}}; Responses: {type, name, parameters}; Anthropic: {name, input_schema}.
    const fn = isObject(t.function) ? t.function : t;
    return { type: t.type, name: fn.name, description: fn.description, schema: fn.parameters ?? fn.input_schema };
  });
}

export function emptyParts(): TemplateParts {
  return { instructions: [], user: null, schemas: [] };
}
