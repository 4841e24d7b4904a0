import { describe, expect, it } from "vitest";
import {
  anthropicToChatStream,
  assemble,
  chatReplyToMessages,
  chatRequestToMessages,
  chatToAnthropicStream,
  JSON_OBJECT_TOOL,
  messagesReplyToChat,
  messagesRequestToChat,
  structuredOutputTool,
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

describe("structured output to the Anthropic wire", () => {
  const schema = { type: "object", properties: { sku: { type: "string" }, quantity: { type: "integer" } }, required: ["sku", "quantity"] };
  const jsonRequest = {
    model: "gpt-4o",
    messages: [
      { role: "system", content: "Extract the order." },
      { role: "user", content: "Two of SKU-9, please." },
    ],
    response_format: { type: "json_schema", json_schema: { name: "order", strict: true, schema } },
  };
  const input = { sku: "SKU-9", quantity: 2, note: "été" };
  const toolReply = { id: "m2", type: "message", role: "assistant", content: [{ type: "tool_use", id: "toolu_9", name: "order", input }], stop_reason: "tool_use", usage: { input_tokens: 20, output_tokens: 11 } };
  const json = JSON.stringify(input);
  const toolStream = (name: string, parts: string[]) =>
    [
      sse("message_start", { message: { id: "msg_2", type: "message", role: "assistant", model: "claude", content: [], stop_reason: null, usage: { input_tokens: 20, output_tokens: 1 } } }),
      sse("content_block_start", { index: 0, content_block: { type: "tool_use", id: "toolu_9", name, input: {} } }),
      ...parts.map((p) => sse("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: p } })),
      sse("content_block_stop", { index: 0 }),
      sse("message_delta", { delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 11 } }),
      sse("message_stop", {}),
    ].join("");

  it("asks for a json_schema format with one tool named after the schema, forced", () => {
    const out = chatRequestToMessages(jsonRequest, "claude-3-5-haiku-latest");
    expect(out["tools"]).toEqual([{ name: "order", input_schema: schema }]);
    expect(out["tool_choice"]).toEqual({ type: "tool", name: "order" });
    expect(out).not.toHaveProperty("response_format");
    expect(structuredOutputTool(jsonRequest)).toEqual({ name: "order", input_schema: schema });
  });

  it("asks for a json_object format with an object tool, and leaves requests with their own tools or text alone", () => {
    const object = chatRequestToMessages({ ...jsonRequest, response_format: { type: "json_object" } }, "c");
    expect(object["tools"]).toEqual([{ name: JSON_OBJECT_TOOL, input_schema: { type: "object" } }]);
    expect(object["tool_choice"]).toEqual({ type: "tool", name: JSON_OBJECT_TOOL });
    const ownTools = { ...jsonRequest, tools: [{ type: "function", function: { name: "route", parameters: { type: "object" } } }], tool_choice: "auto" };
    expect(chatRequestToMessages(ownTools, "c")).toMatchObject({ tools: [{ name: "route" }], tool_choice: { type: "auto" } });
    expect(structuredOutputTool(ownTools)).toBeUndefined();
    const text = chatRequestToMessages({ ...jsonRequest, response_format: { type: "text" } }, "c");
    expect(text).not.toHaveProperty("tools");
    expect(text).not.toHaveProperty("tool_choice");
  });

  it("reads the forced tool's input back as bare JSON content, without tool calls", () => {
    const chat = messagesReplyToChat(toolReply, "claude", { jsonTool: "order" });
    const choice = (chat["choices"] as { message: Record<string, unknown>; finish_reason: string }[])[0]!;
    expect(choice.message["content"]).toBe(json);
    expect(choice.message).not.toHaveProperty("tool_calls");
    expect(choice.finish_reason).toBe("stop");
    expect(JSON.parse(String(choice.message["content"]))).toEqual(input);
    // Truncated JSON still says so.
    const cut = messagesReplyToChat({ ...toolReply, stop_reason: "max_tokens" }, "claude", { jsonTool: "order" });
    expect((cut["choices"] as { finish_reason: string }[])[0]!.finish_reason).toBe("length");
    // Without the option (no structured output asked for), a tool call stays a tool call.
    const plain = messagesReplyToChat(toolReply, "claude");
    expect((plain["choices"] as { message: { content: unknown; tool_calls: unknown[] }; finish_reason: string }[])[0]).toMatchObject({ message: { content: null }, finish_reason: "tool_calls" });
    // Another tool than the structured-output one is a tool call as before.
    const other = messagesReplyToChat({ ...toolReply, content: [{ ...toolReply.content[0]!, name: "route" }] }, "claude", { jsonTool: "order" });
    expect((other["choices"] as { message: { tool_calls: unknown[] } }[])[0]!.message.tool_calls).toHaveLength(1);
  });

  it("streams the forced tool's partial JSON as content that assembles to the whole reply's, however the bytes are cut", () => {
    const whole = (messagesReplyToChat(toolReply, "claude", { jsonTool: "order" })["choices"] as { message: { content: string } }[])[0]!.message.content;
    const stream = toolStream("order", ["", json.slice(0, 7), json.slice(7, 19), json.slice(19)]);
    for (let seed = 1; seed <= 25; seed++) {
      const translated = assemble("chat.completions", feed(anthropicToChatStream("claude", true, { jsonTool: "order" }), stream, seed), true);
      expect(translated.outputText).toBe(whole);
      expect(JSON.parse(translated.outputText ?? "")).toEqual(input);
      expect(translated.toolCalls ?? []).toEqual([]);
      expect(translated.usage).toMatchObject({ inputTokens: 20, outputTokens: 11 });
      expect((translated.response as { choices: { finish_reason: string }[] }).choices[0]!.finish_reason).toBe("stop");
    }
    // An empty input that streamed no JSON reads as {}, as the whole reply does.
    const empty = assemble("chat.completions", feed(anthropicToChatStream("claude", false, { jsonTool: "order" }), toolStream("order", [""]), 5), true);
    expect(empty.outputText).toBe("{}");
    // Without the option, the same stream is a tool call.
    const call = assemble("chat.completions", feed(anthropicToChatStream("claude", true), stream, 7), true);
    expect(call.outputText).toBe("");
    expect((call.response as { choices: { finish_reason: string }[] }).choices[0]!.finish_reason).toBe("tool_calls");
  });
});
