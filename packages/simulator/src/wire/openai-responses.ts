import type { Context } from "hono";
import { REPLAY_HEADER } from "@proofgate/parity";
import { limitReply, parseReplay, textOf, type SimReply, type SimRequest } from "../request.ts";
import { countTokens } from "../latency.ts";
import { errorResponse, faultResponse, paceWhole, pieces, sse, usageOf, type Env, type SimContext, type SseEvent } from "./common.ts";

type ResponsesBody = {
  model?: string;
  input?: string | { role?: string; type?: string; content?: unknown }[];
  instructions?: string;
  stream?: boolean;
  text?: { format?: { type: string; name?: string } };
  tools?: { type: string; name?: string }[];
  tool_choice?: string | { type: string; name?: string };
  max_output_tokens?: number;
};

export function responsesToSim(body: ResponsesBody, replay: string | undefined): SimRequest {
  const items = typeof body.input === "string" ? [{ role: "user", content: body.input }] : (body.input ?? []);
  const system = [body.instructions ?? "", ...items.filter((m) => m.role === "system" || m.role === "developer").map((m) => textOf(m.content))]
    .filter(Boolean)
    .join("\n");
  const users = items.filter((m) => (m.role ?? "user") === "user");
  const tools = (body.tools ?? []).flatMap((t) => (t.type === "function" && t.name ? [{ name: t.name }] : []));
  const choice = body.tool_choice;
  const forcedTool = typeof choice === "object" && choice.name ? choice.name : choice === "required" ? (tools[0]?.name ?? null) : null;
  const f = body.text?.format?.type;
  return {
    model: body.model ?? "",
    system,
    user: textOf(users[users.length - 1]?.content ?? ""),
    transcript: items.map((m) => textOf(m.content)).join("\n"),
    responseFormat: f === "json_schema" || f === "json_object" ? f : "text",
    schemaName: body.text?.format?.name ?? null,
    tools,
    forcedTool,
    replay: parseReplay(replay),
    maxTokens: body.max_output_tokens ?? null,
  };
}

function outputItem(reply: SimReply, ids: { msg: string; fc: string; call: string }) {
  if (reply.toolCall) {
    return { type: "function_call", id: ids.fc, call_id: ids.call, name: reply.toolCall.name, arguments: reply.toolCall.arguments, status: "completed" };
  }
  return { type: "message", id: ids.msg, status: "completed", role: "assistant", content: [{ type: "output_text", text: reply.text, annotations: [] }] };
}

export async function responses(c: Context<Env>, ctx: SimContext): Promise<Response> {
  const requestId = ctx.nextId("req_");
  let body: ResponsesBody;
  try {
    body = (await c.req.json()) as ResponsesBody;
  } catch {
    return errorResponse(c, "openai", { status: 400, type: "invalid_request_error", message: "Body is not valid JSON." }, requestId);
  }
  if (!body.model || body.input === undefined) {
    return errorResponse(c, "openai", { status: 400, type: "invalid_request_error", message: "model and input are required." }, requestId);
  }
  if (!ctx.core.hasModel(body.model, "openai")) {
    return errorResponse(c, "openai", { status: 404, type: "model_not_found", message: `The model \`${body.model}\` does not exist.` }, requestId);
  }
  const fault = ctx.faults.decide(body.model, body.stream === true);
  const failed = await faultResponse(c, "openai", fault, requestId);
  if (failed) return failed;
  const req = responsesToSim(body, c.req.header(REPLAY_HEADER));
  const { reply, truncated } = limitReply(ctx.core.respond(req), req.maxTokens);
  const u = usageOf(req, reply);
  const ids = { resp: ctx.nextId("resp_"), msg: ctx.nextId("msg_"), fc: ctx.nextId("fc_"), call: ctx.nextId("call_") };
  const usage = {
    input_tokens: u.input, input_tokens_details: { cached_tokens: 0 },
    output_tokens: u.output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: u.input + u.output,
  };
  const item = outputItem(reply, ids);
  const finalStatus = truncated ? "incomplete" : "completed";
  const response = (status: string, output: unknown[], withUsage: boolean) => ({
    id: ids.resp, object: "response", created_at: Math.floor(Date.now() / 1000), status, model: body.model,
    output, parallel_tool_calls: true, tool_choice: body.tool_choice ?? "auto", tools: body.tools ?? [],
    text: body.text ?? { format: { type: "text" } }, usage: withUsage ? usage : null, error: null,
    incomplete_details: status === "incomplete" ? { reason: "max_output_tokens" } : null,
  });
  c.header("x-request-id", requestId);
  if (!body.stream) {
    await paceWhole(ctx, body.model, reply.text, c.req.raw.signal);
    return c.json(response(finalStatus, [item], true));
  }
  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>): SseEvent => ({ event: type, data: { type, sequence_number: seq++, ...data } });
  const events: SseEvent[] = [ev("response.created", { response: response("in_progress", [], false) }), ev("response.in_progress", { response: response("in_progress", [], false) })];
  if (reply.toolCall) {
    events.push(ev("response.output_item.added", { output_index: 0, item: { ...item, arguments: "", status: "in_progress" } }));
    for (const p of pieces(reply.toolCall.arguments)) events.push(ev("response.function_call_arguments.delta", { item_id: ids.fc, output_index: 0, delta: p }));
    events.push(ev("response.function_call_arguments.done", { item_id: ids.fc, output_index: 0, arguments: reply.toolCall.arguments }));
  } else {
    const at = { item_id: ids.msg, output_index: 0, content_index: 0 };
    events.push(ev("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", content: [] } }));
    events.push(ev("response.content_part.added", { ...at, part: { type: "output_text", text: "", annotations: [] } }));
    for (const p of pieces(reply.text)) events.push(ev("response.output_text.delta", { ...at, delta: p, logprobs: [] }));
    events.push(ev("response.output_text.done", { ...at, text: reply.text, logprobs: [] }));
    events.push(ev("response.content_part.done", { ...at, part: { type: "output_text", text: reply.text, annotations: [] } }));
  }
  events.push(ev("response.output_item.done", { output_index: 0, item }));
  events.push(truncated
    ? ev("response.incomplete", { response: response("incomplete", [item], true) })
    : ev("response.completed", { response: response("completed", [item], true) }));
  const cutAfter = fault?.kind === "stream_cut" ? Math.max(2, Math.floor(events.length / 2)) : null;
  return sse(c, ctx, body.model, events, {
    cutAfter,
    tokensOf: (e) => {
      const d = (e.data as { type: string; delta?: string }).delta;
      return typeof d === "string" ? countTokens(d) : 0;
    },
  });
}
