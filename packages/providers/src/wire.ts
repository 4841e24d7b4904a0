import type { ErrorBodyInput } from "./error-kinds.ts";
import type { JsonObject } from "./json.ts";

/**
 * The wire formats proofgate speaks, one folder each under wires/. The endpoint decides the wire, and the
 * wire the provider: a body is in that provider's format.
 */
export type Provider = "openai" | "anthropic";
export type Endpoint = "chat.completions" | "responses" | "messages" | "embeddings";
export type WireName = "openai-chat" | "openai-responses" | "openai-embeddings" | "anthropic-messages";

export interface EndpointSpec {
  endpoint: Endpoint;
  provider: Provider;
  /** Path under the provider's upstream base URL (OPENAI_UPSTREAM_URL already ends in /v1). */
  upstreamPath: string;
  /** Whether the body may ask for a stream. */
  streams: boolean;
}

export type Validated =
  | { ok: true; body: JsonObject; model: string; stream: boolean }
  | { ok: false; message: string; param: string | null; code: string };

/** Token counts in one shape for both providers. inputTokens is the total, cached tokens included. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** What the capture keeps of a response: the message (streams reassembled), its text, tool calls, usage. */
export interface Assembled {
  response: unknown;
  /** True when `response` is the body text parsed and nothing else, so the text itself may be kept. */
  verbatim?: boolean;
  outputText: string | null;
  toolCalls: unknown[] | null;
  usage: Usage | null;
  error: string | null;
}

export interface TemplateParts {
  instructions: string[];
  /** The first user turn: the template's input skeleton. Later turns are conversation, not template. */
  user: string | null;
  schemas: unknown[];
}

/** A provider-neutral request for JSON output (parity's JudgeRequest has this shape). */
export interface StructuredRequest {
  system: string;
  user: string;
  maxTokens: number;
  temperature: number;
  schemaName: string;
  schema: Record<string, unknown>;
}

/** What reading a translated reply back needs: the forced tool that carries structured output, if any. */
export interface ReplyOptions {
  jsonTool?: string | undefined;
}

/** Feeds one wire's SSE text in, chunk by chunk, and returns the other wire's SSE text for it. */
export interface StreamTranslator {
  push(text: string): string;
  /** Whatever the end of the stream still owes (closing events), once. */
  end(): string;
}

/** Translation between a wire and the hub wire (openai-chat): every translatable wire maps to it and back. */
export interface HubTranslation {
  requestFromHub(body: JsonObject, model: string): { body: JsonObject; back: ReplyOptions };
  requestToHub(body: JsonObject, model: string): { body: JsonObject; back: ReplyOptions };
  replyToHub(reply: JsonObject, model: string, back: ReplyOptions): JsonObject;
  replyFromHub(reply: JsonObject, model: string, back: ReplyOptions): JsonObject;
  streamToHub(model: string, includeUsage: boolean, back: ReplyOptions): StreamTranslator;
  streamFromHub(model: string, back: ReplyOptions): StreamTranslator;
}

/** JSON output requests (judge calls) on a wire. */
export interface StructuredWire {
  request(model: string, r: StructuredRequest): JsonObject;
  /** The reply as text for the tolerant parsers. */
  replyText(a: Assembled): string;
}

export interface Wire {
  readonly name: WireName;
  /** The capture's endpoint column and the proxy route it serves. */
  readonly endpoint: Endpoint;
  /** Whose upstream pool, key and error shape serve this wire. */
  readonly provider: Provider;
  /** Path under the provider's base URL. */
  readonly upstreamPath: string;
  /** Whether the body may ask for a stream. */
  readonly streams: boolean;
  /** Headers the upstream requires; added to calls proofgate makes itself and to translated requests. */
  readonly requiredHeaders: Readonly<Record<string, string>>;
  /** The server's key as this wire carries it. */
  authHeaders(apiKey: string): Record<string, string>;
  /** Reads and checks the body bytes (shared JSON and depth checks, then this wire's fields). */
  validate(raw: Buffer): Validated;
  /** A reply's decoded text as the capture keeps it; eventStream when the body is SSE. */
  assemble(text: string, eventStream: boolean): Assembled;
  /** What names a request's template, for prompt identity. */
  templateParts(body: JsonObject): TemplateParts;
  /** proofgate's own error body in this wire's shape. */
  errorBody(input: ErrorBodyInput): string;
  /** JSON output requests (judge calls). Absent: no judge runs on this wire. */
  readonly structured?: StructuredWire;
  /** Translation to and from the hub. Absent: requests on this wire are never translated. */
  readonly hub?: HubTranslation;
}
