import type { JsonObject } from "../../json.ts";
import type { Assembled, StructuredRequest } from "../../wire.ts";

/** A JSON-output request on messages: one forced tool whose input schema is the requested schema. */
export function messagesStructuredRequest(model: string, request: StructuredRequest): JsonObject {
  return {
    model,
    system: request.system,
    messages: [{ role: "user", content: request.user }],
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    tools: [{ name: request.schemaName, description: "Record the judgment.", input_schema: request.schema }],
    tool_choice: { type: "tool", name: request.schemaName },
  };
}

/** The reply as text for the tolerant parsers: the forced tool's input, else the message text. */
export function messagesStructuredReplyText(assembled: Assembled): string {
  const call = assembled.toolCalls?.[0] as { input?: unknown } | undefined;
  if (call?.input !== undefined) return JSON.stringify(call.input);
  return assembled.outputText ?? "";
}
