/** Token counts in one shape for both providers. inputTokens is the total, cached tokens included. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** What the capture keeps of a response: the message (streams reassembled), its text, tool calls, usage. */
export interface Assembled {
  response: unknown;
  /** True when `response` is the body text parsed and nothing else, so the text itself may be kept. */
  verbatim?: boolean;
  outputText: string | null;
  toolCalls: unknown[] | null;
  usage: Usage | null;
  error: string | null;
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** The message of a provider error body ({"error":{"message"}} in both formats). */
export function errorMessage(body: unknown): string | null {
  if (!isObject(body)) return null;
  const error = body["error"];
  if (isObject(error) && typeof error["message"] === "string") return error["message"];
  if (typeof error === "string") return error;
  return null;
}
