import {
  assemble,
  chatReplyToMessages,
  chatRequestToMessages,
  endpointSpecs,
  messagesReplyToChat,
  messagesRequestToChat,
  structuredOutputTool,
  type Assembled,
  type Endpoint,
  type Provider,
} from "@proofgate/providers";
import { NonRetryableError } from "@proofgate/queue";

type Json = Record<string, unknown>;

export interface ReplayRequest {
  /** The endpoint the replay is sent to: the captured one, or its counterpart on the model's wire. */
  endpoint: Endpoint;
  body: Json;
  /** Puts the reply back in the captured wire format, so it is compared like for like with the capture. */
  toCapturedWire(assembled: Assembled, model: string): Assembled;
}

/**
 * The captured request for `model`: unchanged but for the model (and no stream) on the captured wire;
 * translated by packages/providers when the model is served on the other one (chat completions and
 * messages only). The reply comes back in the captured format.
 */
export function replayRequest(capturedEndpoint: Endpoint, captured: unknown, model: string, provider: Provider): ReplayRequest {
  const { stream: _stream, stream_options: _options, ...rest } = (captured ?? {}) as Json;
  const spec = endpointSpecs[capturedEndpoint];
  if (spec.provider === provider) {
    return { endpoint: capturedEndpoint, body: { ...rest, model }, toCapturedWire: (a) => a };
  }
  if (capturedEndpoint === "chat.completions") {
    // A structured-output request goes out as one forced tool; its input is read back as the JSON content.
    const options = { jsonTool: structuredOutputTool(rest)?.["name"] as string | undefined };
    return {
      endpoint: "messages",
      body: chatRequestToMessages(rest, model),
      toCapturedWire: (a, m) => ({ ...assemble("chat.completions", JSON.stringify(messagesReplyToChat(a.response as Json, m, options)), false), usage: a.usage }),
    };
  }
  if (capturedEndpoint === "messages") {
    return {
      endpoint: "chat.completions",
      body: messagesRequestToChat(rest, model),
      toCapturedWire: (a, m) => ({ ...assemble("messages", JSON.stringify(chatReplyToMessages(a.response as Json, m)), false), usage: a.usage }),
    };
  }
  throw new NonRetryableError(`${model} is served on the ${provider} wire and prompts captured on ${capturedEndpoint} cannot be translated to it`);
}
