import type { EventSourceMessage } from "eventsource-parser";
import { assembleReply } from "../../assemble-common.ts";
import { errorMessage, isObject, num, type JsonObject as Json } from "../../json.ts";
import { eventJson } from "../../sse.ts";
import type { Assembled, Usage } from "../../wire.ts";

export function openaiUsage(usage: unknown): Usage | null {
  if (!isObject(usage)) return null;
  // Chat reports prompt/completion tokens, Responses and embeddings input/output; both include cached input.
  const details = usage["prompt_tokens_details"] ?? usage["input_tokens_details"];
  return {
    inputTokens: num(usage["prompt_tokens"] ?? usage["input_tokens"]),
    outputTokens: num(usage["completion_tokens"] ?? usage["output_tokens"]),
    cacheReadTokens: isObject(details) ? num(details["cached_tokens"]) : 0,
    cacheWriteTokens: 0,
  };
}

function firstChoiceMessage(body: Json): Json | null {
  const choices = body["choices"];
  if (!Array.isArray(choices)) return null;
  const first: unknown = choices.find((c) => isObject(c) && num(c["index"]) === 0) ?? choices[0];
  return isObject(first) && isObject(first["message"]) ? first["message"] : null;
}

export function chatFromJson(body: unknown): Assembled {
  if (!isObject(body)) return { response: body ?? null, outputText: null, toolCalls: null, usage: null, error: null };
  const message = firstChoiceMessage(body);
  const content = message?.["content"];
  const toolCalls = message?.["tool_calls"];
  return {
    response: body,
    outputText: typeof content === "string" ? content : null,
    toolCalls: Array.isArray(toolCalls) && toolCalls.length > 0 ? toolCalls : null,
    usage: openaiUsage(body["usage"]),
    error: errorMessage(body),
  };
}

interface ToolCallParts {
  id: string;
  type: string;
  name: string;
  arguments: string;
}

interface ChoiceParts {
  role: string;
  content: string[];
  refusal: string[];
  toolCalls: Map<number, ToolCallParts>;
  finishReason: unknown;
}

/** Rebuilds the chat.completion object a non-streamed call would have returned, from the chunks. */
export function chatFromStream(events: readonly EventSourceMessage[]): Assembled {
  const choices = new Map<number, ChoiceParts>();
  let head: Json | null = null;
  let usage: unknown = null;
  let error: string | null = null;
  for (const event of events) {
    const chunk = eventJson(event);
    if (!isObject(chunk)) continue;
    if (chunk["error"] !== undefined) {
      error = errorMessage(chunk) ?? JSON.stringify(chunk["error"]);
      continue;
    }
    head ??= chunk;
    if (isObject(chunk["usage"])) usage = chunk["usage"];
    const deltas = chunk["choices"];
    if (!Array.isArray(deltas)) continue;
    for (const choice of deltas) {
      if (!isObject(choice)) continue;
      const index = num(choice["index"]);
      let parts = choices.get(index);
      if (!parts) {
        parts = { role: "assistant", content: [], refusal: [], toolCalls: new Map(), finishReason: null };
        choices.set(index, parts);
      }
      if (choice["finish_reason"] != null) parts.finishReason = choice["finish_reason"];
      const delta = choice["delta"];
      if (!isObject(delta)) continue;
      if (typeof delta["role"] === "string") parts.role = delta["role"];
      if (typeof delta["content"] === "string") parts.content.push(delta["content"]);
      if (typeof delta["refusal"] === "string") parts.refusal.push(delta["refusal"]);
      const calls = delta["tool_calls"];
      if (Array.isArray(calls)) for (const call of calls) addToolCall(parts.toolCalls, call);
    }
  }
  const built = [...choices.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, parts]) => {
      const toolCalls = [...parts.toolCalls.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, c]) => ({ id: c.id, type: c.type, function: { name: c.name, arguments: c.arguments } }));
      const message: Json = {
        role: parts.role,
        content: parts.content.length > 0 ? parts.content.join("") : null,
        refusal: parts.refusal.length > 0 ? parts.refusal.join("") : null,
      };
      if (toolCalls.length > 0) message["tool_calls"] = toolCalls;
      return { index, message, finish_reason: parts.finishReason };
    });
  const response: Json | null = head
    ? {
        id: head["id"],
        object: "chat.completion",
        created: head["created"],
        model: head["model"],
        system_fingerprint: head["system_fingerprint"] ?? null,
        choices: built,
        usage: usage ?? null,
      }
    : null;
  const first = response ? chatFromJson(response) : null;
  return {
    response,
    outputText: first?.outputText ?? null,
    toolCalls: first?.toolCalls ?? null,
    usage: openaiUsage(usage),
    error,
  };
}

function addToolCall(calls: Map<number, ToolCallParts>, call: unknown) {
  if (!isObject(call)) return;
  const index = num(call["index"]);
  let parts = calls.get(index);
  if (!parts) {
    parts = { id: "", type: "function", name: "", arguments: "" };
    calls.set(index, parts);
  }
  if (typeof call["id"] === "string") parts.id = call["id"];
  if (typeof call["type"] === "string") parts.type = call["type"];
  const fn = call["function"];
  if (isObject(fn)) {
    if (typeof fn["name"] === "string") parts.name += fn["name"];
    if (typeof fn["arguments"] === "string") parts.arguments += fn["arguments"];
  }
}

export function chatAssemble(text: string, eventStream: boolean): Assembled {
  return assembleReply(text, eventStream, chatFromJson, chatFromStream);
}
