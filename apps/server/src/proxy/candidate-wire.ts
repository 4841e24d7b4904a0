import type { IncomingHttpHeaders } from "node:http";
import {
  anthropicToChatStream,
  chatReplyToMessages,
  chatRequestToMessages,
  chatToAnthropicStream,
  endpointSpecs,
  messagesReplyToChat,
  messagesRequestToChat,
  structuredOutputTool,
  upstreamRequestHeaders,
  type EndpointSpec,
  type StreamTranslator,
  type Upstreams,
} from "@proofgate/providers";
import type { ActiveRoute } from "./route-table.ts";

// The version Anthropic's API requires; an OpenAI client routed to an Anthropic candidate never sends one.
const ANTHROPIC_VERSION = "2023-06-01";

/** How a routed request reaches its candidate, and how the answer comes back in the client's format. */
export interface CandidateWire {
  spec: EndpointSpec;
  /** The registry provider the candidate is called on, and the model id it is sent as (it prices the call). */
  provider: string;
  model: string;
  body: Buffer;
  headers: Record<string, string>;
  /** The candidate speaks the client's wire: its bytes go to the client unchanged. */
  same: boolean;
  /** A whole reply (decoded text) in the client's format. */
  reply(text: string, eventStream: boolean): Buffer;
  /** A stream translator for the candidate's SSE (only when not `same`). */
  stream(): StreamTranslator;
}

/** Endpoints a candidate on the other provider can serve: chat completions and messages, both ways. */
export function translatable(endpoint: string): boolean {
  return endpoint === "chat.completions" || endpoint === "messages";
}

export function candidateWire(
  client: EndpointSpec,
  route: ActiveRoute,
  body: Record<string, unknown>,
  incoming: IncomingHttpHeaders,
  upstreams: Pick<Upstreams, "apiKey" | "registry">,
): CandidateWire {
  // The same resolution as the baseline's: a candidate may be a models-table name or provider/model.
  const target = upstreams.registry.resolve(route.candidateProvider, route.candidateModel);
  if (route.candidateProvider === client.provider) {
    return {
      spec: client,
      provider: target.provider,
      model: target.model,
      body: Buffer.from(JSON.stringify({ ...body, model: target.model })),
      headers: upstreamRequestHeaders(client.provider, incoming, upstreams.apiKey(target.provider)),
      same: true,
      reply: () => {
        throw new Error("a same-wire reply is relayed as it came");
      },
      stream: () => {
        throw new Error("a same-wire stream is relayed as it came");
      },
    };
  }
  const toAnthropic = client.endpoint === "chat.completions";
  const spec = endpointSpecs[toAnthropic ? "messages" : "chat.completions"];
  const translated = toAnthropic ? chatRequestToMessages(body, target.model) : messagesRequestToChat(body, target.model);
  const headers = upstreamRequestHeaders(spec.provider, incoming, upstreams.apiKey(target.provider));
  // Translation reads the bytes as they come: ask for them uncompressed.
  headers["accept-encoding"] = "identity";
  headers["content-type"] = "application/json";
  if (spec.provider === "anthropic") headers["anthropic-version"] ??= ANTHROPIC_VERSION;
  const includeUsage = Boolean((body["stream_options"] as { include_usage?: boolean } | undefined)?.include_usage);
  // The body names the model that served, as a same-wire candidate's reply does.
  const model = route.candidateModel;
  // A structured-output request went out as one forced tool: its input comes back as the JSON content.
  const options = { jsonTool: toAnthropic ? (structuredOutputTool(body)?.["name"] as string | undefined) : undefined };
  const stream = () => (toAnthropic ? anthropicToChatStream(model, includeUsage, options) : chatToAnthropicStream(model));
  return {
    spec,
    provider: target.provider,
    model: target.model,
    body: Buffer.from(JSON.stringify(translated)),
    headers,
    same: false,
    reply(text, eventStream) {
      if (eventStream) {
        const t = stream();
        return Buffer.from(t.push(text) + t.end());
      }
      const parsed = JSON.parse(text) as Record<string, unknown>;
      return Buffer.from(JSON.stringify(toAnthropic ? messagesReplyToChat(parsed, model, options) : chatReplyToMessages(parsed, model)));
    },
    stream,
  };
}
