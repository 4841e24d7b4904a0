import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { assemble, decodeBody } from "../src/index.ts";
import { copyResponseHeaders, upstreamRequestHeaders } from "../src/headers.ts";
import { validateRequest } from "../src/index.ts";

const sse = (events: Array<[string | null, unknown]>) =>
  events.map(([event, data]) => `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`).join("");

describe("stream reassembly", () => {
  it("chat: parallel tool calls split across chunks, and a choice's refusal", () => {
    const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "m" };
    const text = sse([
      [null, { ...base, choices: [{ index: 0, delta: { role: "assistant", tool_calls: [{ index: 0, id: "a", type: "function", function: { name: "f", arguments: "" } }, { index: 1, id: "b", type: "function", function: { name: "g", arguments: "{" } }] } }] }],
      [null, { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: "}" } }, { index: 0, function: { arguments: '{"x":1}' } }] } }] }],
      [null, { ...base, choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }], usage: null }],
      [null, "[DONE]"],
    ]);
    const out = assemble("chat.completions", text, true);
    expect(out.toolCalls).toEqual([
      { id: "a", type: "function", function: { name: "f", arguments: '{"x":1}' } },
      { id: "b", type: "function", function: { name: "g", arguments: "{}" } },
    ]);
    expect(out.outputText).toBeNull();
    expect(out.usage).toBeNull();
    expect(out.error).toBeNull();
  });

  it("chat: an error event mid-stream is kept", () => {
    const text = sse([[null, { id: "c", choices: [{ index: 0, delta: { content: "Hi" } }] }], [null, { error: { message: "overloaded" } }]]);
    expect(assemble("chat.completions", text, true)).toMatchObject({ outputText: "Hi", error: "overloaded" });
  });

  it("messages: thinking, text and cached usage; a cut stream is flagged", () => {
    const events: Array<[string, unknown]> = [
      ["message_start", { type: "message_start", message: { id: "m", type: "message", role: "assistant", content: [], model: "claude", usage: { input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 1 } } }],
      ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "hmm" } }],
      ["content_block_start", { type: "content_block_start", index: 1, content_block: { type: "text", text: "" } }],
      ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Yes" } }],
      ["message_delta", { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 12 } }],
    ];
    const cut = assemble("messages", sse(events), true);
    expect(cut.outputText).toBe("Yes");
    expect(cut.usage).toEqual({ inputTokens: 125, outputTokens: 12, cacheReadTokens: 100, cacheWriteTokens: 20 });
    expect(cut.error).toMatch(/before message_stop/);
    const whole = assemble("messages", sse([...events, ["message_stop", { type: "message_stop" }]]), true);
    expect(whole.error).toBeNull();
    expect((whole.response as any).content[0]).toEqual({ type: "thinking", thinking: "hmm" });
  });

  it("responses: without response.completed the deltas are kept and the gap reported", () => {
    const text = sse([["response.output_text.delta", { type: "response.output_text.delta", delta: "par" }]]);
    expect(assemble("responses", text, true)).toMatchObject({ outputText: "par", error: "stream ended before response.completed" });
  });

  it("a JSON error answer to a streamed request is read as JSON", () => {
    const out = assemble("messages", JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }), false);
    expect(out.error).toBe("Overloaded");
  });

  it("gzip-encoded bodies are decoded for the capture", () => {
    const body = JSON.stringify({ a: 1 });
    expect(decodeBody([gzipSync(body)], "gzip")).toBe(body);
  });
});

describe("headers", () => {
  it("forwards only allowed client headers and sets the server key", () => {
    const out = upstreamRequestHeaders(
      "openai",
      { authorization: "Bearer client", "x-api-key": "client", cookie: "c=1", host: "evil", "openai-organization": "org", "x-stainless-retry-count": "0", "content-type": "application/json" },
      "sk-server",
    );
    expect(out).toEqual({ authorization: "Bearer sk-server", "openai-organization": "org", "x-stainless-retry-count": "0", "content-type": "application/json" });
    expect(upstreamRequestHeaders("anthropic", { "x-api-key": "client", "anthropic-beta": "b" }, "sk-ant")).toEqual({ "x-api-key": "sk-ant", "anthropic-beta": "b" });
  });

  it("passes only allowed response headers: ids, rate limits, retry advice; never the account's or unknown ones", () => {
    const out = copyResponseHeaders(
      {
        "transfer-encoding": "chunked", connection: "keep-alive", "set-cookie": ["a"], "x-request-id": "r", "retry-after": "2", "retry-after-ms": "1500",
        "x-ratelimit-remaining-tokens": "9", "anthropic-ratelimit-requests-remaining": "4", "openai-processing-ms": "3", "x-should-retry": "false",
        "openai-organization": "org-secret", "openai-project": "proj_secret", "anthropic-organization-id": "org-uuid", "x-envoy-upstream-service-time": "7", "cf-ray": "x",
      },
      { "x-proofgate-model": "m" },
    );
    expect(out).toEqual({
      "x-proofgate-model": "m", "x-request-id": "r", "retry-after": "2", "retry-after-ms": "1500", "x-ratelimit-remaining-tokens": "9",
      "anthropic-ratelimit-requests-remaining": "4", "openai-processing-ms": "3", "x-should-retry": "false",
    });
  });

  it("an upstream cannot overwrite proofgate's own response headers", () => {
    expect(copyResponseHeaders({ "content-type": "text/plain" }, { "content-type": "application/json" })).toEqual({ "content-type": "application/json" });
  });
});

describe("validateRequest", () => {
  it("keeps what it parsed and names the field at fault", () => {
    const ok = validateRequest("chat.completions", Buffer.from('{"model":"m","messages":[{"role":"user","content":"x"}],"stream":true}'));
    expect(ok).toMatchObject({ ok: true, model: "m", stream: true });
    expect(validateRequest("embeddings", Buffer.from('{"model":"m"}'))).toMatchObject({ ok: false, param: "input" });
    expect(validateRequest("messages", Buffer.from('{"model":"m","messages":[1]}'))).toMatchObject({ ok: false, param: "messages[0]" });
    expect(validateRequest("responses", Buffer.from("[]"))).toMatchObject({ ok: false, code: "invalid_json" });
    expect(validateRequest("responses", Buffer.from(""))).toMatchObject({ ok: false, code: "invalid_json" });
  });
});
