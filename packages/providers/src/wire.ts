/** The wire formats proofgate speaks. The endpoint decides the provider: its body is in that provider's format. */
export type Provider = "openai" | "anthropic";
export type Endpoint = "chat.completions" | "responses" | "messages" | "embeddings";

export interface EndpointSpec {
  endpoint: Endpoint;
  provider: Provider;
  /** Path under the provider's upstream base URL (OPENAI_UPSTREAM_URL already ends in /v1). */
  upstreamPath: string;
  /** Whether the body may ask for a stream. */
  streams: boolean;
}

export const endpointSpecs = {
  "chat.completions": { endpoint: "chat.completions", provider: "openai", upstreamPath: "/chat/completions", streams: true },
  responses: { endpoint: "responses", provider: "openai", upstreamPath: "/responses", streams: true },
  messages: { endpoint: "messages", provider: "anthropic", upstreamPath: "/v1/messages", streams: true },
  embeddings: { endpoint: "embeddings", provider: "openai", upstreamPath: "/embeddings", streams: false },
} as const satisfies Record<Endpoint, EndpointSpec>;

/** Path of the model list under each provider's base URL. */
export const modelsPath = { openai: "/models", anthropic: "/v1/models" } as const satisfies Record<Provider, string>;
