import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  anthropicToChatStream,
  assemble,
  chatReplyToMessages,
  chatRequestToMessages,
  chatToAnthropicStream,
  crossWire,
  messagesReplyToChat,
  messagesRequestToChat,
  structuredOutputTool,
  wireOf,
  type Assembled,
  type Endpoint,
  type JsonObject,
} from "../src/index.ts";

// The translators stamp ids and `created` from the clock: one fixed instant makes two runs comparable.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2025-03-01T12:00:00Z"));
});
afterAll(() => {
  vi.useRealTimers();
});

/**
 * The proxy's translation before crossWire (apps/server/src/proxy/candidate-wire.ts, the cross-provider
 * branch), pasted as the oracle: the request body, a whole reply and the stream translator.
 */
function proxyBefore(client: Endpoint, body: JsonObject, candidateModel: string) {
  const toAnthropic = client === "chat.completions";
  const translated = toAnthropic ? chatRequestToMessages(body, candidateModel) : messagesRequestToChat(body, candidateModel);
  const includeUsage = Boolean((body["stream_options"] as { include_usage?: boolean } | undefined)?.include_usage);
  const model = candidateModel;
  const options = { jsonTool: toAnthropic ? (structuredOutputTool(body)?.["name"] as string | undefined) : undefined };
  const stream = () => (toAnthropic ? anthropicToChatStream(model, includeUsage, options) : chatToAnthropicStream(model));
  return {
    body: translated,
    includeUsage,
    reply(text: string, eventStream: boolean): string {
      if (eventStream) {
        const t = stream();
        return t.push(text) + t.end();
      }
      const parsed = JSON.parse(text) as Record<string, unknown>;
      return JSON.stringify(toAnthropic ? messagesReplyToChat(parsed, model, options) : chatReplyToMessages(parsed, model));
    },
    stream,
  };
}

/** The replay's translation before crossWire (apps/worker/src/calibration/replay-request.ts), pasted as the oracle. */
function replayBefore(captured: Endpoint, rest: JsonObject, model: string) {
  if (captured === "chat.completions") {
    const options = { jsonTool: structuredOutputTool(rest)?.["name"] as string | undefined };
    return {
      body: chatRequestToMessages(rest, model),
      toCapturedWire: (a: Assembled, m: string) => ({
        ...assemble("chat.completions", JSON.stringify(messagesReplyToChat(a.response as JsonObject, m, options)), false),
        usage: a.usage,
      }),
    };
  }
  return {
    body: messagesRequestToChat(rest, model),
    toCapturedWire: (a: Assembled, m: string) => ({
      ...assemble("messages", JSON.stringify(chatReplyToMessages(a.response as JsonObject, m)), false),
      usage: a.usage,
    }),
  };
}

// Fixtures as in translate.test.ts.
const sse = (type: string, body: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;
const anthropicStream = [
  sse("message_start", {
    message: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude",
      content: [],
      stop_reason: null,
      usage: { input_tokens: 12, output_tokens: 1 },
    },
  }),
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
const schema = { type: "object", properties: { sku: { type: "string" }, quantity: { type: "integer" } }, required: ["sku", "quantity"] };
const input = { sku: "SKU-9", quantity: 2, note: "été" };
const toolReply = {
  id: "m2",
  type: "message",
  role: "assistant",
  content: [{ type: "tool_use", id: "toolu_9", name: "order", input }],
  stop_reason: "tool_use",
  usage: { input_tokens: 20, output_tokens: 11 },
};
const textReply = {
  id: "m1",
  type: "message",
  role: "assistant",
  content: [{ type: "text", text: "billing" }],
  stop_reason: "max_tokens",
  usage: { input_tokens: 5, output_tokens: 2 },
};
const chatReply = {
  id: "c9",
  object: "chat.completion",
  created: 1,
  model: "gpt",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: "billing",
        tool_calls: [{ id: "call_1", type: "function", function: { name: "route", arguments: '{"queue":"billing"}' } }],
      },
      finish_reason: "tool_calls",
    },
  ],
  usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
};
const toolStream = [
  sse("message_start", {
    message: {
      id: "msg_2",
      type: "message",
      role: "assistant",
      model: "claude",
      content: [],
      stop_reason: null,
      usage: { input_tokens: 20, output_tokens: 1 },
    },
  }),
  sse("content_block_start", { index: 0, content_block: { type: "tool_use", id: "toolu_9", name: "order", input: {} } }),
  sse("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: JSON.stringify(input) } }),
  sse("content_block_stop", { index: 0 }),
  sse("message_delta", { delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 11 } }),
  sse("message_stop", {}),
].join("");

const chatRequests: JsonObject[] = [
  {
    model: "gpt-4o",
    messages: [
      { role: "system", content: "Route the ticket." },
      { role: "user", content: "I was charged twice." },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "route", arguments: '{"queue":"billing"}' } }],
      },
      { role: "tool", tool_call_id: "call_1", content: "ok" },
    ],
    max_tokens: 64,
    temperature: 0,
    stop: "END",
    tools: [{ type: "function", function: { name: "route", description: "route it", parameters: { type: "object" } } }],
    tool_choice: "required",
  },
  {
    model: "gpt-4o",
    stream: true,
    stream_options: { include_usage: true },
    messages: [
      { role: "system", content: "Extract the order." },
      { role: "user", content: "Two of SKU-9, please." },
    ],
    response_format: { type: "json_schema", json_schema: { name: "order", strict: true, schema } },
  },
  { model: "gpt-4o", stream: true, messages: [{ role: "user", content: "hi" }], response_format: { type: "json_object" } },
];
const messagesRequests: JsonObject[] = [
  {
    model: "claude",
    system: "Route the ticket.",
    max_tokens: 64,
    messages: [{ role: "user", content: "I was charged twice." }],
    tools: [{ name: "route", input_schema: { type: "object" } }],
    tool_choice: { type: "any" },
  },
  { model: "claude", stream: true, max_tokens: 10, messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] },
];

describe("crossWire from chat completions to a model on Anthropic", () => {
  const crossing = crossWire(wireOf("chat.completions"), "anthropic")!;

  it.each(chatRequests.map((r, i) => [i, r]))("translates request %i, replies and streams as the proxy did", (_i, body) => {
    const before = proxyBefore("chat.completions", body, "claude-haiku");
    const { body: out, back } = crossing.request(body, "claude-haiku");
    expect(out).toEqual(before.body);
    expect(crossing.target.upstreamPath).toBe("/v1/messages");
    for (const reply of [textReply, toolReply]) {
      expect(crossing.replyText(JSON.stringify(reply), false, "claude-haiku", back, before.includeUsage)).toBe(
        before.reply(JSON.stringify(reply), false),
      );
    }
    for (const stream of [anthropicStream, toolStream]) {
      expect(crossing.replyText(stream, true, "claude-haiku", back, before.includeUsage)).toBe(before.reply(stream, true));
      const t = crossing.stream("claude-haiku", back, before.includeUsage);
      const o = before.stream();
      const cut = stream.indexOf("content_block_delta");
      expect(t.push(stream.slice(0, cut)) + t.push(stream.slice(cut)) + t.end()).toBe(
        o.push(stream.slice(0, cut)) + o.push(stream.slice(cut)) + o.end(),
      );
    }
  });

  it.each(chatRequests.map((r, i) => [i, r]))("reads a replayed reply back as the replay did (request %i)", (_i, body) => {
    const { stream: _s, stream_options: _o, ...rest } = body;
    const before = replayBefore("chat.completions", rest, "claude-haiku");
    const { body: out, back } = crossing.request(rest, "claude-haiku");
    expect(out).toEqual(before.body);
    for (const reply of [textReply, toolReply]) {
      const answered = assemble("messages", JSON.stringify(reply), false);
      expect(crossing.assembled(answered, "claude-haiku", back)).toEqual(before.toCapturedWire(answered, "claude-haiku"));
    }
  });

  it("turns a structured-output request's forced tool back into JSON content", () => {
    const { back } = crossing.request(chatRequests[1]!, "claude-haiku");
    expect(back).toEqual({ jsonTool: "order" });
    const text = crossing.assembled(assemble("messages", JSON.stringify(toolReply), false), "claude-haiku", back).outputText;
    expect(JSON.parse(text ?? "")).toEqual(input);
  });
});

describe("crossWire from messages to a model on OpenAI", () => {
  const crossing = crossWire(wireOf("messages"), "openai")!;

  it.each(messagesRequests.map((r, i) => [i, r]))("translates request %i, replies and streams as the proxy did", (_i, body) => {
    const before = proxyBefore("messages", body, "gpt-mini");
    const { body: out, back } = crossing.request(body, "gpt-mini");
    expect(out).toEqual(before.body);
    expect(crossing.target.upstreamPath).toBe("/chat/completions");
    expect(crossing.replyText(JSON.stringify(chatReply), false, "gpt-mini", back, before.includeUsage)).toBe(
      before.reply(JSON.stringify(chatReply), false),
    );
    expect(crossing.replyText(chatStream, true, "gpt-mini", back, before.includeUsage)).toBe(before.reply(chatStream, true));
    const t = crossing.stream("gpt-mini", back, before.includeUsage);
    const o = before.stream();
    const cut = chatStream.indexOf("tool_calls");
    expect(t.push(chatStream.slice(0, cut)) + t.push(chatStream.slice(cut)) + t.end()).toBe(
      o.push(chatStream.slice(0, cut)) + o.push(chatStream.slice(cut)) + o.end(),
    );
  });

  it.each(messagesRequests.map((r, i) => [i, r]))("reads a replayed reply back as the replay did (request %i)", (_i, body) => {
    const { stream: _s, stream_options: _o, ...rest } = body;
    const before = replayBefore("messages", rest, "gpt-mini");
    const { body: out, back } = crossing.request(rest, "gpt-mini");
    expect(out).toEqual(before.body);
    const answered = assemble("chat.completions", JSON.stringify(chatReply), false);
    expect(crossing.assembled(answered, "gpt-mini", back)).toEqual(before.toCapturedWire(answered, "gpt-mini"));
  });
});

describe("a reply with no body", () => {
  it("cannot be translated back, as before", () => {
    const crossing = crossWire(wireOf("chat.completions"), "anthropic")!;
    const empty = assemble("messages", "", false);
    expect(() => replayBefore("chat.completions", {}, "c").toCapturedWire(empty, "c")).toThrow(TypeError);
    expect(() => crossing.assembled(empty, "c", {})).toThrow(TypeError);
    // A body that is not an object reads as one without content, as before.
    const text = assemble("messages", "not json", false);
    expect(crossing.assembled(text, "c", {})).toEqual(replayBefore("chat.completions", {}, "c").toCapturedWire(text, "c"));
  });
});
