import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small local stand-in for the OpenAI and Anthropic APIs: deterministic answers (fixed ids and
 * timestamps, so the same request always gets the same bytes), streamed in several writes, and a few
 * models that misbehave on purpose.
 */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface LocalUpstream {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

type Json = Record<string, any>;

const created = 1_760_000_000;

function sse(res: ServerResponse, events: Array<{ event?: string; data: unknown }>, headers: Record<string, string>) {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", ...headers });
  let i = 0;
  const next = () => {
    if (i >= events.length) return res.end();
    const e = events[i++]!;
    const data = typeof e.data === "string" ? e.data : JSON.stringify(e.data);
    res.write(`${e.event ? `event: ${e.event}\n` : ""}data: ${data}\n\n`);
    setTimeout(next, 1);
  };
  next();
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function chat(body: Json, res: ServerResponse, h: Record<string, string>) {
  const id = `chatcmpl-${body.model}`;
  const tool = Array.isArray(body.tools) && body.tools.length > 0;
  const text = body.response_format?.type === "json_schema" ? '{"answer":"yes","confidence":0.9}' : "Hello from the upstream.";
  const call = { id: "call_1", type: "function", function: { name: body.tools?.[0]?.function?.name ?? "f", arguments: '{"city":"Paris"}' } };
  const usage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, prompt_tokens_details: { cached_tokens: 2 } };
  if (!body.stream) {
    const message = tool ? { role: "assistant", content: null, tool_calls: [call], refusal: null } : { role: "assistant", content: text, refusal: null };
    return json(res, 200, { id, object: "chat.completion", created, model: body.model, choices: [{ index: 0, message, logprobs: null, finish_reason: tool ? "tool_calls" : "stop" }], usage }, h);
  }
  const base = { id, object: "chat.completion.chunk", created, model: body.model };
  const events: Array<{ data: unknown }> = [{ data: { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] } }];
  if (tool) {
    events.push({ data: { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: call.function.name, arguments: "" } }] }, finish_reason: null }] } });
    for (const part of ['{"city"', ':"Paris"}']) events.push({ data: { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: part } }] }, finish_reason: null }] } });
  } else {
    for (const part of text.match(/.{1,6}/g)!) events.push({ data: { ...base, choices: [{ index: 0, delta: { content: part }, finish_reason: null }] } });
  }
  events.push({ data: { ...base, choices: [{ index: 0, delta: {}, finish_reason: tool ? "tool_calls" : "stop" }] } });
  if (body.stream_options?.include_usage) events.push({ data: { ...base, choices: [], usage } });
  events.push({ data: "[DONE]" });
  sse(res, events, h);
}

function responses(body: Json, res: ServerResponse, h: Record<string, string>) {
  const tool = Array.isArray(body.tools) && body.tools.length > 0;
  const output = tool
    ? [{ type: "function_call", id: "fc_1", call_id: "call_1", name: body.tools[0].name, arguments: '{"city":"Paris"}', status: "completed" }]
    : [{ type: "message", id: "msg_1", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Responses hello.", annotations: [] }] }];
  const response = {
    id: `resp_${body.model}`, object: "response", created_at: created, status: "completed", model: body.model, output,
    usage: { input_tokens: 20, output_tokens: 4, total_tokens: 24, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
  };
  if (!body.stream) return json(res, 200, response, h);
  const started = { ...response, status: "in_progress", output: [], usage: null };
  const events: Array<{ event: string; data: unknown }> = [{ event: "response.created", data: { type: "response.created", sequence_number: 0, response: started } }];
  if (!tool) {
    for (const [n, delta] of ["Responses", " hello."].entries()) {
      events.push({ event: "response.output_text.delta", data: { type: "response.output_text.delta", sequence_number: n + 1, item_id: "msg_1", output_index: 0, content_index: 0, delta } });
    }
  }
  events.push({ event: "response.completed", data: { type: "response.completed", sequence_number: 9, response } });
  sse(res, events, h);
}

function messages(body: Json, res: ServerResponse, h: Record<string, string>) {
  const tool = Array.isArray(body.tools) && body.tools.length > 0;
  const content = tool
    ? [{ type: "tool_use", id: "toolu_1", name: body.tools[0].name, input: { city: "Paris" } }]
    : [{ type: "text", text: "Bonjour from Claude." }];
  const message = {
    id: `msg_${body.model}`, type: "message", role: "assistant", model: body.model, content,
    stop_reason: tool ? "tool_use" : "end_turn", stop_sequence: null,
    usage: { input_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 10, output_tokens: 9 },
  };
  if (!body.stream) return json(res, 200, message, h);
  const start = { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } };
  const events: Array<{ event: string; data: unknown }> = [{ event: "message_start", data: { type: "message_start", message: start } }];
  if (tool) {
    events.push({ event: "content_block_start", data: { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_1", name: body.tools[0].name, input: {} } } });
    for (const part of ['{"city":', ' "Paris"}']) events.push({ event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: part } } });
  } else {
    events.push({ event: "content_block_start", data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } } });
    events.push({ event: "ping", data: { type: "ping" } });
    for (const part of ["Bonjour ", "from Claude."]) events.push({ event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: part } } });
  }
  events.push({ event: "content_block_stop", data: { type: "content_block_stop", index: 0 } });
  events.push({ event: "message_delta", data: { type: "message_delta", delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: 9 } } });
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  sse(res, events, h);
}

function route(req: IncomingMessage, res: ServerResponse, raw: string, n: number) {
  const anthropic = req.url!.startsWith("/anthropic");
  // Besides what clients need, each provider names the account behind the key and its own machinery:
  // headers proofgate must not pass on.
  const h: Record<string, string> = anthropic
    ? { "request-id": `req_up_${n}`, "anthropic-ratelimit-requests-remaining": "49", "anthropic-organization-id": "org-upstream-account", "x-envoy-upstream-service-time": "5" }
    : {
        "x-request-id": `req_up_${n}`, "x-ratelimit-remaining-requests": "4999", "openai-processing-ms": "3",
        "openai-organization": "org-upstream-account", "openai-project": "proj_upstream", "x-envoy-upstream-service-time": "5",
      };
  const path = req.url!.replace(/^\/(openai|anthropic)/, "").split("?")[0];
  if (req.method === "GET" && (path === "/v1/models" || path?.startsWith("/v1/models/"))) {
    return json(res, 200, { object: "list", data: [{ id: "gpt-4o-mini", object: "model", created, owned_by: "openai" }] }, h);
  }
  let body: Json;
  try {
    body = JSON.parse(raw);
  } catch {
    return json(res, 400, { error: { message: "upstream: bad json", type: "invalid_request_error", param: null, code: null } }, h);
  }
  if (body.model === "upstream-429") {
    const error = anthropic ? { type: "error", error: { type: "rate_limit_error", message: "Slow down." } } : { error: { message: "Rate limit reached.", type: "requests", param: null, code: "rate_limit_exceeded" } };
    return json(res, 429, error, { ...h, "retry-after": "1", "retry-after-ms": "1000", "x-should-retry": "false" });
  }
  if (body.model === "upstream-slow") return void setTimeout(() => json(res, 200, {}, h), 5_000).unref();
  if (body.model === "upstream-drip") {
    // One event now, the rest 300 ms later: a proxy that buffers cannot deliver the first one early.
    res.writeHead(200, { "content-type": "text/event-stream", ...h });
    res.write('data: {"id":"d","object":"chat.completion.chunk","created":1,"model":"upstream-drip","choices":[{"index":0,"delta":{"content":"first"},"finish_reason":null}]}\n\n');
    return void setTimeout(() => res.end("data: [DONE]\n\n"), 300);
  }
  if (body.model === "upstream-slow-body") {
    // A whole JSON reply whose second half comes 300 ms after its head and first half.
    const text = JSON.stringify({ id: "slow", object: "chat.completion", created, model: body.model, choices: [{ index: 0, message: { role: "assistant", content: "late" }, finish_reason: "stop" }] });
    res.writeHead(200, { "content-type": "application/json", "content-length": String(text.length), ...h });
    res.write(text.slice(0, 20));
    return void setTimeout(() => res.end(text.slice(20)), 300);
  }
  if (body.model === "upstream-break") {
    res.writeHead(200, { "content-type": "text/event-stream", ...h });
    res.write('data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"upstream-break","choices":[{"index":0,"delta":{"content":"par"},"finish_reason":null}]}\n\n');
    return void setTimeout(() => res.destroy(), 20);
  }
  if (path === "/v1/chat/completions") return chat(body, res, h);
  if (path === "/v1/responses") return responses(body, res, h);
  if (path === "/v1/messages") return messages(body, res, h);
  if (path === "/v1/embeddings") {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const data = inputs.map((_: unknown, index: number) => ({ object: "embedding", index, embedding: [0.1, 0.2, 0.3, 0.4] }));
    return json(res, 200, { object: "list", data, model: body.model, usage: { prompt_tokens: 5, total_tokens: 5 } }, h);
  }
  json(res, 404, { error: { message: "upstream: no such route", type: "invalid_request_error", param: null, code: null } }, h);
}

/** Serves OpenAI under /openai/v1 and Anthropic under /anthropic/v1, so tests can tell which one was called. */
export async function startUpstream(): Promise<LocalUpstream> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      route(req, res, body, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
