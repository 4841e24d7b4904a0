import type { Context } from "hono";
import { REPLAY_HEADER } from "@proofgate/parity";
import { limitReply, parseReplay, textOf, type SimRequest } from "../request.ts";
import { countTokens } from "../latency.ts";
import { errorResponse, faultResponse, paceWhole, pieces, sse, usageOf, type Env, type SimContext, type SseEvent } from "./common.ts";

type MessagesBody = {
  model?: string;
  max_tokens?: number;
  system?: unknown;
  messages?: { role: string; content: unknown }[];
  stream?: boolean;
  tools?: { name: string }[];
  tool_choice?: { type: string; name?: string };
};

export function messagesToSim(body: MessagesBody, replay: string | undefined): SimRequest {
  const messages = body.messages ?? [];
  const users = messages.filter((m) => m.role === "user");
  const tools = (body.tools ?? []).map((t) => ({ name: t.name }));
  const choice = body.tool_choice;
  const forcedTool = choice?.type === "tool" && choice.name ? choice.name : choice?.type === "any" ? (tools[0]?.name ?? null) : null;
  return {
    model: body.model ?? "",
    system: textOf(body.system ?? ""),
    user: textOf(users[users.length - 1]?.content ?? ""),
    transcript: messages.map((m) => textOf(m.content)).join("\n"),
    // the Messages API has no response_format: a forced tool is how callers ask for JSON
    responseFormat: forcedTool ? "json_schema" : "text",
    schemaName: forcedTool,
    tools,
    forcedTool,
    replay: parseReplay(replay),
    maxTokens: body.max_tokens ?? null,
  };
}

function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // a tool call's input must be an object on this wire; keep a broken one readable
    return { answer: text };
  }
}

export async function messages(c: Context<Env>, ctx: SimContext): Promise<Response> {
  const requestId = ctx.nextId("req_");
  let body: MessagesBody;
  try {
    body = (await c.req.json()) as MessagesBody;
  } catch {
    return errorResponse(c, "anthropic", { status: 400, type: "invalid_request_error", message: "Body is not valid JSON." }, requestId);
  }
  if (!body.model || !Array.isArray(body.messages) || typeof body.max_tokens !== "number") {
    return errorResponse(c, "anthropic", { status: 400, type: "invalid_request_error", message: "model, messages and max_tokens are required." }, requestId);
  }
  if (!ctx.core.hasModel(body.model, "anthropic")) {
    return errorResponse(c, "anthropic", { status: 404, type: "not_found_error", message: `model: ${body.model}` }, requestId);
  }
  const fault = ctx.faults.decide(body.model, body.stream === true);
  const failed = await faultResponse(c, "anthropic", fault, requestId);
  if (failed) return failed;
  const req = messagesToSim(body, c.req.header(REPLAY_HEADER));
  const { reply, truncated } = limitReply(ctx.core.respond(req), req.maxTokens);
  const usage = usageOf(req, reply);
  const id = ctx.nextId("msg_");
  const toolId = ctx.nextId("toolu_");
  const stop = truncated ? "max_tokens" : reply.toolCall ? "tool_use" : "end_turn";
  c.header("request-id", requestId);
  const content = reply.toolCall
    ? [{ type: "tool_use", id: toolId, name: reply.toolCall.name, input: parseArgs(reply.toolCall.arguments) }]
    : [{ type: "text", text: reply.text }];
  const message = { id, type: "message", role: "assistant", model: body.model, content, stop_reason: stop, stop_sequence: null };
  if (!body.stream) {
    await paceWhole(ctx, body.model, reply.text, c.req.raw.signal);
    return c.json({ ...message, usage: { input_tokens: usage.input, output_tokens: usage.output } });
  }
  const events: SseEvent[] = [
    { event: "message_start", data: { type: "message_start", message: { ...message, content: [], stop_reason: null, usage: { input_tokens: usage.input, output_tokens: 1 } } } },
  ];
  if (reply.toolCall) {
    events.push({ event: "content_block_start", data: { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: toolId, name: reply.toolCall.name, input: {} } } });
    const json = JSON.stringify(parseArgs(reply.toolCall.arguments));
    for (const p of pieces(json)) events.push({ event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: p } } });
  } else {
    events.push({ event: "content_block_start", data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } } });
    events.push({ event: "ping", data: { type: "ping" } });
    for (const p of pieces(reply.text)) events.push({ event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: p } } });
  }
  events.push({ event: "content_block_stop", data: { type: "content_block_stop", index: 0 } });
  events.push({ event: "message_delta", data: { type: "message_delta", delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output } } });
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  const cutAfter = fault?.kind === "stream_cut" ? Math.max(2, Math.floor(events.length / 2)) : null;
  return sse(c, ctx, body.model, events, {
    cutAfter,
    tokensOf: (e) => {
      const d = (e.data as { delta?: { text?: string; partial_json?: string } }).delta;
      return countTokens(d?.text ?? d?.partial_json ?? "") * (d?.text || d?.partial_json ? 1 : 0);
    },
  });
}
