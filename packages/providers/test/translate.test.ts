import { describe, expect, it } from "vitest";
import {
  anthropicToChatStream,
  assemble,
  chatReplyToMessages,
  chatRequestToMessages,
  chatToAnthropicStream,
  messagesReplyToChat,
  messagesRequestToChat,
  type StreamTranslator,
} from "../src/index.ts";

const sse = (type: string, body: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;
const anthropicStream = [
  sse("message_start", { message: { id: "msg_1", type: "message", role: "assistant", model: "claude", content: [], stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } } }),
  sse("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
  sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Label: " } }),
  sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: "billing — été" } }),
  sse("content_block_stop", { index: 0 }),
  sse("content_block_start", { index: 1, content_block: { type: "tool_use", id: "toolu_1", name: "route", input: {} } }),
  sse("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: '{"queue":' } }),
  sse("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: '"billing"}' } }),
  sse("content_block_stop", { index: 1 }),
  sse("message_delta", { delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 9 } }),
  sse("message_stop", {}),
].join("");

const chunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const chatStream = [
  chunk({ role: "assistant", content: "" }),
  chunk({ content: "Label: " }),
  chunk({ content: "billing — été" }),
  chunk({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "route", arguments: "" } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"queue":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"billing"}' } }] }),
  chunk({}, "tool_calls"),
  `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt", choices: [], usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 } })}\n\n`,
  "data: [DONE]\n\n",
].join("");

/** Feeds the stream in pieces cut at arbitrary byte offsets, as a socket may deliver it. */
function feed(t: StreamTranslator, text: string, seed: number): string {
  const bytes = Buffer.from(text);
  let out = "";
  let at = 0;
  let x = seed;
  while (at < bytes.length) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const size = 1 + (x % 40);
    // Whole characters only: the proxy decodes each chunk as UTF-8 before translating.
    let end = Math.min(bytes.length, at + size);
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end++;
    out += t.push(bytes.subarray(at, end).toString("utf8"));
    at = end;
  }
  return out + t.end();
}

describe("stream translation", () => {
  it("Anthropic events become chat chunks that assemble to the same answer, however the bytes are cut", () => {
    const source = assemble("messages", anthropicStream, true);
    for (let seed = 1; seed <= 25; seed++) {
      const translated = assemble("chat.completions", feed(anthropicToChatStream("claude", true), anthropicStream, seed), true);
      expect(translated.outputText).toBe(source.outputText);
      expect(JSON.stringify(translated.toolCalls)).toContain('"queue\\":\\"billing\\"');
      expect(translated.usage).toMatchObject({ inputTokens: 12, outputTokens: 9 });
      expect((translated.response as { choices: { finish_reason: string }[] }).choices[0]!.finish_reason).toBe("tool_calls");
    }
  });

  it("chat chunks become Anthropic events that assemble to the same answer", () => {
    const source = assemble("chat.completions", chatStream, true);
    for (let seed = 1; seed <= 25; seed++) {
      const translated = assemble("messages", feed(chatToAnthropicStream("gpt"), chatStream, seed), true);
      expect(translated.outputText).toBe(source.outputText);
      expect(translated.usage).toMatchObject({ inputTokens: 12, outputTokens: 9 });
      expect((translated.response as { stop_reason: string }).stop_reason).toBe("tool_use");
      expect(JSON.stringify(translated.response)).toContain('"input":{"queue":"billing"}');
    }
  });

  it("invents no ending for a stream cut short", () => {
    const cut = anthropicStream.slice(0, anthropicStream.indexOf("message_delta"));
    expect(feed(anthropicToChatStream("claude", true), cut, 3)).not.toContain("[DONE]");
  });
});

describe("request and reply translation", () => {
  it("carries system, turns, tools and limits across and back", () => {
    const chat = {
      model: "gpt-4o",
      messages: [
        { role: "system", content: "Route the ticket." },
        { role: "user", content: "I was charged twice." },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "route", arguments: '{"queue":"billing"}' } }] },
        { role: "tool", tool_call_id: "call_1", content: "ok" },
      ],
      max_tokens: 64,
      temperature: 0,
      stop: "END",
      tools: [{ type: "function", function: { name: "route", description: "route it", parameters: { type: "object" } } }],
      tool_choice: "required",
    };
    const messages = chatRequestToMessages(chat, "claude-3-5-haiku-latest");
    expect(messages).toMatchObject({
      model: "claude-3-5-haiku-latest",
      system: "Route the ticket.",
      max_tokens: 64,
      temperature: 0,
      stop_sequences: ["END"],
      tool_choice: { type: "any" },
      tools: [{ name: "route", description: "route it", input_schema: { type: "object" } }],
    });
    expect((messages["messages"] as { role: string }[]).map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    const back = messagesRequestToChat(messages, "gpt-4o");
    expect((back["messages"] as { role: string }[]).map((m) => m.role)).toEqual(["system", "user", "assistant", "tool"]);
    expect(back).toMatchObject({ max_completion_tokens: 64, stop: ["END"], tool_choice: "required" });
    expect(chatRequestToMessages({ messages: [{ role: "user", content: "hi" }] }, "c")["max_tokens"]).toBe(4096);
  });

  it("translates replies with text, tool calls, stop reasons and usage", () => {
    const message = { id: "m1", type: "message", role: "assistant", content: [{ type: "text", text: "billing" }], stop_reason: "max_tokens", usage: { input_tokens: 5, output_tokens: 2 } };
    const chat = messagesReplyToChat(message, "claude");
    expect(chat).toMatchObject({ object: "chat.completion", model: "claude", choices: [{ message: { content: "billing" }, finish_reason: "length" }], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } });
    const again = chatReplyToMessages(chat, "claude");
    expect(again).toMatchObject({ type: "message", content: [{ type: "text", text: "billing" }], stop_reason: "max_tokens", usage: { input_tokens: 5, output_tokens: 2 } });
  });
});
