/** A provider request reduced to what the simulated models read; each wire adapter builds one. */
export type SimRequest = {
  model: string;
  /** all system / developer / instructions text, joined */
  system: string;
  /** the last user message's text */
  user: string;
  /** every message's text in order, for recognising prompts that carry no system message */
  transcript: string;
  responseFormat: "text" | "json_object" | "json_schema";
  schemaName: string | null;
  tools: { name: string }[];
  /** tool the caller forces (tool_choice), or null */
  forcedTool: string | null;
  /** value of the replay header, when present */
  replay: number | null;
  /** the caller's output token limit, when given */
  maxTokens: number | null;
};

export type SimReply = {
  text: string;
  /** set when the reply must be a tool call (forced tool) */
  toolCall: { name: string; arguments: string } | null;
  kind: "family" | "judge" | "recorded" | "generic";
  family: string | null;
};

/** Reads text out of the content shapes both providers use (string, or parts with text). */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (typeof part === "string") return part;
        if (part && typeof part === "object") {
          const p = part as Record<string, unknown>;
          if (typeof p.text === "string") return p.text;
          if (p.type === "tool_result") return textOf(p.content);
          if (p.type === "tool_use" || p.type === "function_call") return JSON.stringify(p.input ?? p.arguments ?? "");
        }
        return "";
      })
      .join("");
  }
  return "";
}

/**
 * Cuts a reply at the caller's token limit (about four characters a token), as providers do; the wire
 * then reports finish_reason "length" / stop_reason "max_tokens".
 */
export function limitReply(reply: SimReply, maxTokens: number | null): { reply: SimReply; truncated: boolean } {
  const limit = maxTokens === null ? Infinity : Math.max(1, maxTokens) * 4;
  const body = reply.toolCall?.arguments ?? reply.text;
  if (body.length <= limit) return { reply, truncated: false };
  if (reply.toolCall) return { reply: { ...reply, toolCall: { ...reply.toolCall, arguments: body.slice(0, limit) } }, truncated: true };
  return { reply: { ...reply, text: body.slice(0, limit) }, truncated: true };
}

export function parseReplay(value: string | undefined | null): number | null {
  if (value === undefined || value === null || value === "") return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : null;
}
