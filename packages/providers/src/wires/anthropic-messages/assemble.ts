import type { EventSourceMessage } from "eventsource-parser";
import { assembleReply } from "../../assemble-common.ts";
import { errorMessage, isObject, num, type JsonObject as Json } from "../../json.ts";
import { eventJson } from "../../sse.ts";
import type { Assembled, Usage } from "../../wire.ts";

/** Anthropic reports uncached, cache-write and cache-read input separately; the total is their sum. */
export function anthropicUsage(usage: unknown): Usage | null {
  if (!isObject(usage)) return null;
  const cacheRead = num(usage["cache_read_input_tokens"]);
  const cacheWrite = num(usage["cache_creation_input_tokens"]);
  return {
    inputTokens: num(usage["input_tokens"]) + cacheRead + cacheWrite,
    outputTokens: num(usage["output_tokens"]),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}

export function messagesFromJson(body: unknown): Assembled {
  if (!isObject(body)) return { response: body ?? null, outputText: null, toolCalls: null, usage: null, error: null };
  const content = Array.isArray(body["content"]) ? (body["content"] as unknown[]) : [];
  const texts: string[] = [];
  const calls: unknown[] = [];
  for (const block of content) {
    if (!isObject(block)) continue;
    if (block["type"] === "text" && typeof block["text"] === "string") texts.push(block["text"]);
    else if (block["type"] === "tool_use") calls.push({ id: block["id"], name: block["name"], input: block["input"] });
  }
  return {
    response: body,
    outputText: texts.length > 0 ? texts.join("") : null,
    toolCalls: calls.length > 0 ? calls : null,
    usage: anthropicUsage(body["usage"]),
    error: body["type"] === "error" ? errorMessage(body) : null,
  };
}

/** Rebuilds the Message a non-streamed call would have returned, from the stream's events. */
export function messagesFromStream(events: readonly EventSourceMessage[]): Assembled {
  let message: Json | null = null;
  const blocks: Json[] = [];
  const partialJson = new Map<number, string>();
  let usage: Json = {};
  let error: string | null = null;
  let stopped = false;
  for (const event of events) {
    const payload = eventJson(event);
    if (!isObject(payload)) continue;
    switch (payload["type"]) {
      case "message_start":
        if (isObject(payload["message"])) {
          message = { ...payload["message"] };
          if (isObject(message["usage"])) usage = { ...message["usage"] };
        }
        break;
      case "content_block_start":
        if (isObject(payload["content_block"])) blocks[num(payload["index"])] = { ...payload["content_block"] };
        break;
      case "content_block_delta":
        applyDelta(blocks, partialJson, num(payload["index"]), payload["delta"]);
        break;
      case "message_delta":
        if (message && isObject(payload["delta"])) Object.assign(message, payload["delta"]);
        // Counts in message_delta are cumulative: they replace the ones from message_start.
        if (isObject(payload["usage"])) {
          for (const [key, value] of Object.entries(payload["usage"])) if (value != null) usage[key] = value;
        }
        break;
      case "message_stop":
        stopped = true;
        break;
      case "error":
        error = errorMessage(payload) ?? "stream error";
        break;
    }
  }
  for (const [index, json] of partialJson) {
    const block = blocks[index];
    if (!block) continue;
    try {
      block["input"] = json.length > 0 ? JSON.parse(json) : {};
    } catch {
      block["input"] = json;
    }
  }
  if (message) {
    message["content"] = blocks.filter((b) => b !== undefined);
    message["usage"] = usage;
  }
  const assembled = messagesFromJson(message);
  return { ...assembled, error: error ?? (stopped || !message ? null : "stream ended before message_stop") };
}

function applyDelta(blocks: Json[], partialJson: Map<number, string>, index: number, delta: unknown) {
  const block = blocks[index];
  if (!block || !isObject(delta)) return;
  switch (delta["type"]) {
    case "text_delta":
      block["text"] = String(block["text"] ?? "") + String(delta["text"] ?? "");
      break;
    case "input_json_delta":
      partialJson.set(index, (partialJson.get(index) ?? "") + String(delta["partial_json"] ?? ""));
      break;
    case "thinking_delta":
      block["thinking"] = String(block["thinking"] ?? "") + String(delta["thinking"] ?? "");
      break;
    case "signature_delta":
      block["signature"] = String(block["signature"] ?? "") + String(delta["signature"] ?? "");
      break;
    case "citations_delta":
      block["citations"] = [...(Array.isArray(block["citations"]) ? block["citations"] : []), delta["citation"]];
      break;
  }
}

export function messagesAssemble(text: string, eventStream: boolean): Assembled {
  return assembleReply(text, eventStream, messagesFromJson, messagesFromStream);
}
