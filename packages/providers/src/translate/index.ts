export { chatRequestToMessages, messagesRequestToChat, DEFAULT_MAX_TOKENS } from "./requests.ts";
export { messagesReplyToChat, chatReplyToMessages, finishReasonOf, stopReasonOf } from "./replies.ts";
export { anthropicToChatStream, chatToAnthropicStream, type StreamTranslator } from "./streams.ts";
