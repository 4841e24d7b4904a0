export { chatRequestToMessages, messagesRequestToChat, structuredOutputTool, DEFAULT_MAX_TOKENS, JSON_OBJECT_TOOL } from "./requests.ts";
export { messagesReplyToChat, chatReplyToMessages, finishReasonOf, stopReasonOf, type ChatReplyOptions } from "./replies.ts";
export { anthropicToChatStream, chatToAnthropicStream, type StreamTranslator } from "./streams.ts";
