export { answerText } from "./answer-text.ts";
export { callUpstream, serverHeaders } from "./call.ts";
export type { UpstreamReply } from "./call.ts";
export { lastUserInput, replayBody, taskText, UnreadableCapture } from "./captured.ts";
export { crossWire } from "./cross-wire.ts";
export type { Crossing } from "./cross-wire.ts";
export { decodeBody } from "./decode.ts";
export { errorKinds } from "./error-kinds.ts";
export type { ErrorBodyInput, ErrorKind } from "./error-kinds.ts";
export { errorBody, requestIdHeader } from "./errors.ts";
export { copyResponseHeaders, upstreamRequestHeaders, upstreamRequestId } from "./headers.ts";
export type { ResponseHeaders } from "./headers.ts";
export { jsonDepthExceeds, MAX_JSON_DEPTH, nestsDeeperThan } from "./json-depth.ts";
export { isObject, num } from "./json.ts";
export type { JsonObject, JsonValue } from "./json.ts";
export { PriceBook } from "./prices.ts";
export { isPreset, presets } from "./presets.ts";
export type { Preset } from "./presets.ts";
export { ProviderRegistry, providerSpecs, resolveModel, routeRequest } from "./provider-registry.ts";
export type { ModelEntry, ModelTarget, ProviderEntry, ProviderSpec, Routing } from "./provider-registry.ts";
export type { PriceOverride } from "./prices.ts";
export { assemble, chatWireOf, endpointSpecs, isEndpoint, modelsPath, validateRequest, wireOf, wires } from "./registry.ts";
export { retryAfterMsFrom } from "./retry-after.ts";
export { Upstreams, UpstreamCancelled, classifyUpstreamError } from "./upstream.ts";
export type { UpstreamControl, UpstreamHandler, UpstreamOptions, UpstreamRequest, UpstreamResponse } from "./upstream.ts";
export type {
  Assembled,
  Endpoint,
  EndpointSpec,
  HubTranslation,
  Provider,
  ReplyOptions,
  StreamTranslator,
  StructuredRequest,
  StructuredWire,
  TemplateParts,
  Usage,
  Validated,
  Wire,
  WireName,
} from "./wire.ts";
export { ANTHROPIC_VERSION } from "./wires/anthropic-messages/version.ts";
export { chatReplyToMessages, finishReasonOf, messagesReplyToChat, stopReasonOf, type ChatReplyOptions } from "./wires/anthropic-messages/hub-replies.ts";
export { chatRequestToMessages, DEFAULT_MAX_TOKENS, JSON_OBJECT_TOOL, messagesRequestToChat, structuredOutputTool } from "./wires/anthropic-messages/hub-requests.ts";
export { anthropicToChatStream, chatToAnthropicStream } from "./wires/anthropic-messages/hub-streams.ts";
