import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { StreamTranslator } from "../../wire.ts";
import { finishReasonOf, stopReasonOf, type ChatReplyOptions } from "./hub-replies.ts";

type Json = Record<string, unknown>;

function parse(data: string): Json | undefined {
  if (!data.startsWith("{")) return undefined;
  try {
    return JSON.parse(data) as Json;
  } catch {
    return undefined;
  }
}

function translator(onEvent: (event: EventSourceMessage, out: string[]) => void, onEnd: (out: string[]) => void): StreamTranslator {
  let out: string[] = [];
  let ended = false;
  const parser = createParser({ onEvent: (event) => onEvent(event, out) });
  const drain = () => {
    const text = out.join("");
    out = [];
    return text;
  };
  return {
    push(text) {
      parser.feed(text);
      return drain();
    },
    end() {
      if (ended) return "";
      ended = true;
      parser.reset({ consume: true });
      onEnd(out);
      return drain();
    },
  };
}

/**
 * Anthropic message events as OpenAI chat.completion.chunk events (usage last, when asked for). With
 * `jsonTool`, that tool's partial input streams as content, as `messagesReplyToChat` reads a whole reply.
 */
export function anthropicToChatStream(model: string, includeUsage: boolean, options: ChatReplyOptions = {}): StreamTranslator {
  const id = `chatcmpl-${Date.now().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  let input = 0;
  let output = 0;
  let tools = -1;
  let done = false;
  // The content block index of the structured-output tool, and whether any of its JSON has been sent.
  let jsonBlock: unknown = null;
  let jsonSeen = false;
  let jsonSent = false;
  const chunk = (delta: Json, finish: string | null = null) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  const close = (out: string[]) => {
    if (done) return;
    done = true;
    if (includeUsage) {
      out.push(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output } })}\n\n`);
    }
    out.push("data: [DONE]\n\n");
  };
  return translator(
    (event, out) => {
      const e = parse(event.data);
      if (!e) return;
      const type = e["type"];
      if (type === "message_start") {
        const usage = ((e["message"] as Json | undefined)?.["usage"] ?? {}) as Json;
        input = Number(usage["input_tokens"] ?? 0) + Number(usage["cache_read_input_tokens"] ?? 0) + Number(usage["cache_creation_input_tokens"] ?? 0);
        out.push(chunk({ role: "assistant", content: "" }));
      } else if (type === "content_block_start") {
        const block = (e["content_block"] ?? {}) as Json;
        if (block["type"] === "tool_use" && options.jsonTool !== undefined && block["name"] === options.jsonTool) {
          jsonBlock = e["index"];
          jsonSeen = true;
          jsonSent = false;
        } else if (block["type"] === "tool_use") {
          tools += 1;
          out.push(chunk({ tool_calls: [{ index: tools, id: block["id"], type: "function", function: { name: block["name"], arguments: "" } }] }));
        }
      } else if (type === "content_block_delta") {
        const delta = (e["delta"] ?? {}) as Json;
        if (delta["type"] === "text_delta") out.push(chunk({ content: delta["text"] }));
        else if (delta["type"] === "input_json_delta" && jsonSeen && e["index"] === jsonBlock) {
          const part = String(delta["partial_json"] ?? "");
          if (part) out.push(chunk({ content: part }));
          jsonSent ||= part.length > 0;
        } else if (delta["type"] === "input_json_delta") out.push(chunk({ tool_calls: [{ index: tools, function: { arguments: delta["partial_json"] } }] }));
      } else if (type === "content_block_stop") {
        // An empty input may stream no JSON at all; a whole reply reads it as {}, and so does the stream.
        if (jsonSeen && e["index"] === jsonBlock && !jsonSent) out.push(chunk({ content: "{}" }));
        if (e["index"] === jsonBlock) jsonBlock = null;
      } else if (type === "message_delta") {
        output = Number(((e["usage"] ?? {}) as Json)["output_tokens"] ?? output);
        const stop = ((e["delta"] ?? {}) as Json)["stop_reason"];
        out.push(chunk({}, jsonSeen && stop === "tool_use" ? "stop" : finishReasonOf(stop)));
      } else if (type === "message_stop") close(out);
    },
    // A stream that ends without message_stop was cut: no closing events are invented for it.
    () => {},
  );
}

/** OpenAI chat.completion.chunk events as Anthropic message events. */
export function chatToAnthropicStream(model: string): StreamTranslator {
  const id = `msg_${Date.now().toString(36)}`;
  let started = false;
  let index = -1;
  let open: "text" | "tool" | null = null;
  let stop = "end_turn";
  let input = 0;
  let output = 0;
  let finished = false;
  const event = (type: string, body: Json) => `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;
  const start = (out: string[]) => {
    if (started) return;
    started = true;
    out.push(event("message_start", { message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } } }));
  };
  const closeBlock = (out: string[]) => {
    if (open) out.push(event("content_block_stop", { index }));
    open = null;
  };
  const finish = (out: string[]) => {
    if (finished) return;
    finished = true;
    start(out);
    closeBlock(out);
    out.push(event("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { input_tokens: input, output_tokens: output } }));
    out.push(event("message_stop", {}));
  };
  return translator(
    (e, out) => {
      if (e.data === "[DONE]") return finish(out);
      const c = parse(e.data);
      if (!c) return;
      start(out);
      const usage = c["usage"] as Json | undefined;
      if (usage) {
        input = Number(usage["prompt_tokens"] ?? input);
        output = Number(usage["completion_tokens"] ?? output);
      }
      const choice = ((c["choices"] as Json[] | undefined) ?? [])[0];
      if (!choice) return;
      const delta = (choice["delta"] ?? {}) as Json;
      if (typeof delta["content"] === "string" && delta["content"]) {
        if (open !== "text") {
          closeBlock(out);
          index += 1;
          open = "text";
          out.push(event("content_block_start", { index, content_block: { type: "text", text: "" } }));
        }
        out.push(event("content_block_delta", { index, delta: { type: "text_delta", text: delta["content"] } }));
      }
      for (const call of (delta["tool_calls"] as Json[] | undefined) ?? []) {
        const fn = (call["function"] ?? {}) as Json;
        if (call["id"]) {
          closeBlock(out);
          index += 1;
          open = "tool";
          out.push(event("content_block_start", { index, content_block: { type: "tool_use", id: call["id"], name: fn["name"], input: {} } }));
        }
        if (typeof fn["arguments"] === "string" && fn["arguments"]) {
          out.push(event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: fn["arguments"] } }));
        }
      }
      if (choice["finish_reason"]) stop = stopReasonOf(choice["finish_reason"]);
    },
    () => {},
  );
}
