import { assembleReply } from "../../assemble-common.ts";
import { errorMessage, isObject } from "../../json.ts";
import type { Assembled } from "../../wire.ts";
import { openaiUsage } from "../openai-chat/assemble.ts";

/**
 * Embedding vectors are large and say nothing about a prompt's behaviour; the capture keeps the rest of
 * the response and the vectors' count and dimension.
 */
export function embeddingsFromJson(body: unknown): Assembled {
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

/** Embeddings never stream: the body is JSON whatever the request asked. */
export function embeddingsAssemble(text: string, _eventStream: boolean): Assembled {
  return assembleReply(text, false, embeddingsFromJson);
}
