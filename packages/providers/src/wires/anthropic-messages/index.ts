import type { HubTranslation, Wire } from "../../wire.ts";
import { messagesAssemble } from "./assemble.ts";
import { anthropicErrorBody } from "./errors.ts";
import { chatReplyToMessages, messagesReplyToChat } from "./hub-replies.ts";
import { chatRequestToMessages, messagesRequestToChat, structuredOutputTool } from "./hub-requests.ts";
import { anthropicToChatStream, chatToAnthropicStream } from "./hub-streams.ts";
import { messagesStructuredReplyText, messagesStructuredRequest } from "./structured.ts";
import { messagesTemplateParts } from "./template.ts";
import { validateMessages } from "./validate.ts";
import { ANTHROPIC_VERSION } from "./version.ts";

const hub: HubTranslation = {
  // A structured-output request goes out as one forced tool: its input comes back as the JSON content.
  requestFromHub: (body, model) => ({
    body: chatRequestToMessages(body, model),
    back: { jsonTool: structuredOutputTool(body)?.["name"] as string | undefined },
  }),
  requestToHub: (body, model) => ({ body: messagesRequestToChat(body, model), back: {} }),
  replyToHub: (reply, model, back) => messagesReplyToChat(reply, model, back),
  replyFromHub: (reply, model) => chatReplyToMessages(reply, model),
  streamToHub: (model, includeUsage, back) => anthropicToChatStream(model, includeUsage, back),
  streamFromHub: (model) => chatToAnthropicStream(model),
};

export const anthropicMessages: Wire = {
  name: "anthropic-messages",
  endpoint: "messages",
  provider: "anthropic",
  upstreamPath: "/v1/messages",
  streams: true,
  requiredHeaders: { "anthropic-version": ANTHROPIC_VERSION },
  authHeaders: (apiKey) => ({ "x-api-key": apiKey }),
  validate: validateMessages,
  assemble: messagesAssemble,
  templateParts: messagesTemplateParts,
  errorBody: anthropicErrorBody,
  structured: { request: messagesStructuredRequest, replyText: messagesStructuredReplyText },
  hub,
};
