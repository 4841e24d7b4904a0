// Readers of a captured request body on any wire: OpenAI chat (messages), Responses (instructions, input)
// and Anthropic (system, messages). Stored bodies are whatever the client sent, so every field is checked.
import { isObject, type JsonObject, type JsonValue } from "./json.ts";

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map(textOf)
      .filter((t) => t.length > 0)
      .join("\n");
  if (content !== null && typeof content === "object") {
    const part = content as { text?: unknown; content?: unknown };
    if (typeof part.text === "string") return part.text;
    if (part.content !== undefined) return textOf(part.content);
  }
  return "";
}

/** The instructions and inputs of a captured request, as the task both answers respond to (the judge's <task>). */
export function taskText(request: JsonValue | unknown): string {
  if (request === null || typeof request !== "object") return "";
  const r = request as { system?: unknown; instructions?: unknown; messages?: unknown; input?: unknown };
  const parts: string[] = [];
  for (const field of [r.system, r.instructions]) {
    const text = textOf(field);
    if (text) parts.push(text);
  }
  const turns = Array.isArray(r.messages) ? r.messages : Array.isArray(r.input) ? r.input : typeof r.input === "string" ? [r.input] : [];
  for (const turn of turns) {
    const text = textOf(turn);
    if (text) parts.push(text);
  }
  return parts.join("\n\n");
}

/** The last user turn of a captured request (or a Responses string input), as text; null when it has none. */
export function lastUserInput(request: JsonValue | unknown): string | null {
  const body = request as { messages?: { role?: string; content?: unknown }[]; input?: unknown } | null;
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  const last = [...messages].reverse().find((m) => m.role === "user");
  const content = last?.content ?? (typeof body?.input === "string" ? body.input : null);
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    // Only string parts: String() of a client's nested array recurses (Array.prototype.join) and can overflow.
    const text = content
      .map((part) => (typeof part === "object" && part && "text" in part && typeof part.text === "string" ? part.text : ""))
      .join("\n")
      .trim();
    return text || null;
  }
  return null;
}

/** A captured request that is not a JSON object: it cannot be replayed. */
export class UnreadableCapture extends Error {
  readonly code = "unreadable_capture";
}

/** The captured request for `model` on its own wire: unchanged but for the model, and never streamed. */
export function replayBody(captured: JsonValue | unknown, model: string): JsonObject {
  if (!isObject(captured)) throw new UnreadableCapture("the captured request is not a JSON object");
  const { stream: _stream, stream_options: _options, ...rest } = captured;
  return { ...rest, model };
}
