import type { EventSourceMessage } from "eventsource-parser";
import { assembleReply } from "../../assemble-common.ts";
import { errorMessage, isObject, type JsonObject as Json } from "../../json.ts";
import { eventJson } from "../../sse.ts";
import type { Assembled } from "../../wire.ts";
import { openaiUsage } from "../openai-chat/assemble.ts";

/** Output item types that are calls the caller must act on (function tools and custom tools). */
const callItemTypes = new Set(["function_call", "custom_tool_call"]);

export function responsesFromJson(body: unknown): Assembled {
  if (!isObject(body)) return { response: body ?? null, outputText: null, toolCalls: null, usage: null, error: null };
  const output = Array.isArray(body["output"]) ? (body["output"] as unknown[]) : [];
  const texts: string[] = [];
  const calls: unknown[] = [];
  for (const item of output) {
    if (!isObject(item)) continue;
    if (item["type"] === "message" && Array.isArray(item["content"])) {
      for (const part of item["content"]) {
        if (isObject(part) && part["type"] === "output_text" && typeof part["text"] === "string") texts.push(part["text"]);
      }
    } else if (typeof item["type"] === "string" && callItemTypes.has(item["type"])) {
      calls.push(item);
    }
  }
  const failure = isObject(body["error"]) ? errorMessage(body) : null;
  return {
    response: body,
    outputText: texts.length > 0 ? texts.join("") : null,
    toolCalls: calls.length > 0 ? calls : null,
    usage: openaiUsage(body["usage"]),
    error: failure,
  };
}

/**
 * A Responses stream ends with response.completed (or .incomplete / .failed) carrying the whole response;
 * that object is the capture. A stream cut before it keeps the text deltas that did arrive.
 */
export function responsesFromStream(events: readonly EventSourceMessage[]): Assembled {
  let final: Json | null = null;
  let started: Json | null = null;
  const deltas: string[] = [];
  let error: string | null = null;
  for (const event of events) {
    const payload = eventJson(event);
    if (!isObject(payload)) continue;
    const type = payload["type"] ?? event.event;
    if (type === "response.output_text.delta" && typeof payload["delta"] === "string") {
      deltas.push(payload["delta"]);
    } else if (type === "response.completed" || type === "response.incomplete" || type === "response.failed") {
      if (isObject(payload["response"])) final = payload["response"];
    } else if (type === "response.created" && isObject(payload["response"])) {
      started = payload["response"];
    } else if (type === "error") {
      error = typeof payload["message"] === "string" ? payload["message"] : (errorMessage(payload) ?? "stream error");
    }
  }
  if (final) {
    const assembled = responsesFromJson(final);
    return { ...assembled, error: error ?? assembled.error };
  }
  return {
    response: started,
    outputText: deltas.length > 0 ? deltas.join("") : null,
    toolCalls: null,
    usage: null,
    error: error ?? "stream ended before response.completed",
  };
}

export function responsesAssemble(text: string, eventStream: boolean): Assembled {
  return assembleReply(text, eventStream, responsesFromJson, responsesFromStream);
}
