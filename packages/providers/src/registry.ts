import { anthropicMessages } from "./wires/anthropic-messages/index.ts";
import { openaiChat } from "./wires/openai-chat/index.ts";
import { openaiEmbeddings } from "./wires/openai-embeddings/index.ts";
import { openaiResponses } from "./wires/openai-responses/index.ts";
import type { Assembled, Endpoint, EndpointSpec, Provider, Validated, Wire, WireName } from "./wire.ts";

/** Every wire proofgate speaks. A new wire is a folder under wires/ and one line here. */
export const wires: Readonly<Record<WireName, Wire>> = {
  "openai-chat": openaiChat,
  "openai-responses": openaiResponses,
  "anthropic-messages": anthropicMessages,
  "openai-embeddings": openaiEmbeddings,
};

const byEndpoint = Object.fromEntries(Object.values(wires).map((w) => [w.endpoint, w])) as Record<Endpoint, Wire>;

export function isEndpoint(value: string): value is Endpoint {
  return Object.hasOwn(byEndpoint, value);
}

/** The wire of an endpoint. Throws on anything else: stored captures name their endpoint as text. */
export function wireOf(endpoint: Endpoint): Wire {
  if (!isEndpoint(endpoint)) throw new Error(`unknown endpoint ${String(endpoint)}`);
  return byEndpoint[endpoint];
}

/** The chat wire of a provider: its error shape, its key header, and where its judge calls and translations go. */
export function chatWireOf(provider: Provider): Wire {
  return provider === "anthropic" ? anthropicMessages : openaiChat;
}

/** Each endpoint's provider, upstream path and streaming, read off its wire. */
export const endpointSpecs: Record<Endpoint, EndpointSpec> = Object.fromEntries(
  Object.values(wires).map((w) => [w.endpoint, { endpoint: w.endpoint, provider: w.provider, upstreamPath: w.upstreamPath, streams: w.streams }]),
) as Record<Endpoint, EndpointSpec>;

/** Path of the model list under each provider's base URL. */
export const modelsPath = { openai: "/models", anthropic: "/v1/models" } as const satisfies Record<Provider, string>;

/** Reads and checks a request body on an endpoint's wire. */
export function validateRequest(endpoint: Endpoint, raw: Buffer): Validated {
  return wireOf(endpoint).validate(raw);
}

/** A reply's decoded text as the capture keeps it, read by the endpoint's wire. */
export function assemble(endpoint: Endpoint, text: string, eventStream: boolean): Assembled {
  return wireOf(endpoint).assemble(text, eventStream);
}
