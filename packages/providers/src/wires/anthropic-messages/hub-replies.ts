// Reply translation (non-streamed) between Anthropic Messages and OpenAI Chat Completions.
import type { ReplyOptions } from "../../wire.ts";

type Json = Record<string, unknown>;

const finishFromStop: Record<string, string> = { end_turn: "stop", stop_sequence: "stop", max_tokens: "length", tool_use: "tool_calls" };
const stopFromFinish: Record<string, string> = { stop: "end_turn", length: "max_tokens", tool_calls: "tool_use", content_filter: "end_turn" };

export function finishReasonOf(stopReason: unknown): string {
  return finishFromStop[String(stopReason)] ?? "stop";
}

export function stopReasonOf(finishReason: unknown): string {
  return stopFromFinish[String(finishReason)] ?? "end_turn";
}

/** How a reply is read back: `jsonTool` names the tool a structured-output request was translated into. */
export type ChatReplyOptions = ReplyOptions;

/**
 * An Anthropic message as an OpenAI chat completion, under the model name the client asked for. With
 * `jsonTool`, that tool's input is the JSON the client asked for: it becomes the message content, not a call.
 */
export function messagesReplyToChat(reply: Json, model: string, options: ChatReplyOptions = {}): Json {
  const blocks = (reply["content"] as Json[] | undefined) ?? [];
  const isJson = (b: Json) => options.jsonTool !== undefined && b["type"] === "tool_use" && b["name"] === options.jsonTool;
  const json = blocks.filter(isJson).map((b) => JSON.stringify(b["input"] ?? {}));
  const text = blocks.filter((b) => b["type"] === "text").map((b) => String(b["text"] ?? "")).join("") + json.join("");
  const calls = blocks
    .filter((b) => b["type"] === "tool_use" && !isJson(b))
    .map((b) => ({ id: b["id"], type: "function", function: { name: b["name"], arguments: JSON.stringify(b["input"] ?? {}) } }));
  const usage = (reply["usage"] ?? {}) as Json;
  const input = Number(usage["input_tokens"] ?? 0) + Number(usage["cache_read_input_tokens"] ?? 0) + Number(usage["cache_creation_input_tokens"] ?? 0);
  const output = Number(usage["output_tokens"] ?? 0);
  return {
    id: `chatcmpl-${String(reply["id"] ?? "")}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: calls.length && !text ? null : text, refusal: null, ...(calls.length ? { tool_calls: calls } : {}) },
        logprobs: null,
        finish_reason: json.length && reply["stop_reason"] === "tool_use" ? "stop" : finishReasonOf(reply["stop_reason"]),
      },
    ],
    usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
  };
}

/** An OpenAI chat completion as an Anthropic message, under the model name the client asked for. */
export function chatReplyToMessages(reply: Json, model: string): Json {
  const choice = ((reply["choices"] as Json[] | undefined) ?? [])[0] ?? {};
  const message = (choice["message"] ?? {}) as Json;
  const content: Json[] = [];
  if (typeof message["content"] === "string" && message["content"]) content.push({ type: "text", text: message["content"] });
  for (const call of (message["tool_calls"] as Json[] | undefined) ?? []) {
    const fn = (call["function"] ?? {}) as Json;
    let input: unknown = {};
    try {
      input = JSON.parse(String(fn["arguments"] ?? "{}"));
    } catch {
      input = { arguments: fn["arguments"] };
    }
    content.push({ type: "tool_use", id: call["id"], name: fn["name"], input });
  }
  const usage = (reply["usage"] ?? {}) as Json;
  return {
    id: `msg_${String(reply["id"] ?? "")}`,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: stopReasonOf(choice["finish_reason"]),
    stop_sequence: null,
    usage: { input_tokens: Number(usage["prompt_tokens"] ?? 0), output_tokens: Number(usage["completion_tokens"] ?? 0) },
  };
}
