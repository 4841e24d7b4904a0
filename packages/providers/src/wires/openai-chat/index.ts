import type { Wire } from "../../wire.ts";
import { chatAssemble } from "./assemble.ts";
import { openaiErrorBody } from "./errors.ts";
import { chatStructuredReplyText, chatStructuredRequest } from "./structured.ts";
import { chatTemplateParts } from "./template.ts";
import { validateChat } from "./validate.ts";

/** OpenAI chat completions: the hub every translatable wire maps to and back (so it has no `hub` itself). */
export const openaiChat: Wire = {
  name: "openai-chat",
  endpoint: "chat.completions",
  provider: "openai",
  upstreamPath: "/chat/completions",
  streams: true,
  requiredHeaders: {},
  authHeaders: openaiAuthHeaders,
  validate: validateChat,
  assemble: chatAssemble,
  templateParts: chatTemplateParts,
  errorBody: openaiErrorBody,
  structured: { request: chatStructuredRequest, replyText: chatStructuredReplyText },
};

export function openaiAuthHeaders(apiKey: string): Record<string, string> {
  return { authorization: `Bearer ${apiKey}` };
}
