import type { Endpoint } from "../endpoints.ts";
import { messagesFromJson, messagesFromStream } from "./anthropic-messages.ts";
import { chatFromJson, chatFromStream, openaiUsage } from "./openai-chat.ts";
import { responsesFromJson, responsesFromStream } from "./openai-responses.ts";
import { parseSse } from "./sse.ts";
import { errorMessage, isObject, type Assembled } from "./types.ts";

export type { Assembled, Usage } from "./types.ts";
export { decodeBody } from "./decode.ts";

/**
 * Embedding vectors are large and say nothing about a prompt's behaviour; the capture keeps the rest of
 * the response and the vectors' count and dimension.
 */
function embeddingsFromJson(body: unknown): Assembled {
  if (!isObject(body)) return { response: body ?? null, outputText: null, toolCalls: null, usage: null, error: null };
  const data = Array.isArray(body["data"]) ? (body["data"] as unknown[]) : null;
  const first = data?.[0];
  const vector = isObject(first) ? first["embedding"] : undefined;
  const response = data
    ? {
        ...body,
        data: undefined,
        vectors: data.length,
        dimensions: Array.isArray(vector) ? vector.length : null,
      }
    : body;
  return { response, outputText: null, toolCalls: null, usage: openaiUsage(body["usage"]), error: errorMessage(body) };
}

/**
 * Turns a response's text (already decoded) into what the capture keeps. `eventStream` says the body is
 * SSE; a streamed request answered with a JSON error is read as JSON.
 */
export function assemble(endpoint: Endpoint, text: string, eventStream: boolean): Assembled {
  if (eventStream) {
    const events = parseSse(text);
    if (endpoint === "chat.completions") return chatFromStream(events);
    if (endpoint === "responses") return responsesFromStream(events);
    if (endpoint === "messages") return messagesFromStream(events);
  }
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    return { response: text, outputText: null, toolCalls: null, usage: null, error: "response body is not JSON" };
  }
  const assembled = fromJson(endpoint, body);
  if (assembled.response === body && typeof body === "object" && body !== null) assembled.verbatim = true;
  return assembled;
}

function fromJson(endpoint: Endpoint, body: unknown): Assembled {
  switch (endpoint) {
    case "chat.completions":
      return chatFromJson(body);
    case "responses":
      return responsesFromJson(body);
    case "messages":
      return messagesFromJson(body);
    case "embeddings":
      return embeddingsFromJson(body);
  }
}
