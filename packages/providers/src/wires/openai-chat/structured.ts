import type { JsonObject } from "../../json.ts";
import type { Assembled, StructuredRequest } from "../../wire.ts";

/** A JSON-output request on chat completions: a strict json_schema response format. */
export function chatStructuredRequest(model: string, request: StructuredRequest): JsonObject {
  return {
    model,
    messages: [
      { role: "system", content: request.system },
      { role: "user", content: request.user },
    ],
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    response_format: { type: "json_schema", json_schema: { name: request.schemaName, schema: request.schema, strict: true } },
  };
}

/** The reply as text for the tolerant parsers: a tool input if one came back, else the message. */
export function chatStructuredReplyText(assembled: Assembled): string {
  const call = assembled.toolCalls?.[0] as { input?: unknown } | undefined;
  if (call?.input !== undefined) return JSON.stringify(call.input);
  return assembled.outputText ?? "";
}
