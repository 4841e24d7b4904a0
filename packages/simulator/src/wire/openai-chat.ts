import type { Context } from "hono";
import { REPLAY_HEADER } from "@proofgate/parity";
import { limitReply, parseReplay, textOf, type SimReply, type SimRequest } from "../request.ts";
import { countTokens } from "../latency.ts";
import { errorResponse, faultResponse, paceWhole, pieces, sse, usageOf, type Env, type SimContext, type SseEvent } from "./common.ts";

type ChatBody = {
  model?: string;
  messages?: { role: string; content: unknown; tool_calls?: unknown }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type: string; json_schema?: { name?: string } };
  tools?: { type: string; function?: { name: string } }[];
  tool_choice?: string | { type: string; function?: { name: string } };
  max_tokens?: number;
  max_completion_tokens?: number;
};

export function chatToSim(body: ChatBody, replay: string | undefined): SimRequest {
  const messages = body.messages ?? [];
  const system = messages.filter((m) => m.role === "system" || m.role === "developer").map((m) => textOf(m.content)).join("\n");
  const users = messages.filter((m) => m.role === "user");
  const tools = (body.tools ?? []).flatMap((t) => (t.function ? [{ name: t.function.name }] : []));
  const choice = body.tool_choice;
  const forcedTool =
    typeof choice === "object" && choice?.function?.name ? choice.function.name : choice === "required" ? (tools[0]?.name ?? null) : null;
  const rf = body.response_format?.type;
  return {
    model: body.model ?? "",
    system,
    user: textOf(users[users.length - 1]?.content ?? ""),
    transcript: messages.map((m) => textOf(m.content)).join("\n"),
    responseFormat: rf === "json_schema" || rf === "json_object" ? rf : "text",
    schemaName: body.response_format?.json_schema?.name ?? null,
    tools,
    forcedTool,
    replay: parseReplay(replay),
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? null,
  };
}

function message(reply: SimReply, callId: string) {
  if (reply.toolCall) {
    return {
      role: "assistant",
      content: null,
      refusal: null,
      tool_calls: [{ id: callId, type: "function", function: { name: reply.toolCall.name, arguments: reply.toolCall.arguments } }],
    };
  }
  return { role: "assistant", content: reply.text, refusal: null };
}

export async function chatCompletions(c: Context<Env>, ctx: SimContext): Promise<Response> {
  const requestId = ctx.nextId("req_");
  let body: ChatBody;
  try {
    body = (await c.req.json()) as ChatBody;
  } catch {
    return errorResponse(c, "openai", { status: 400, type: "invalid_request_error", message: "Body is not valid JSON." }, requestId);
  }
  if (!body.model || !Array.isArray(body.messages)) {
    return errorResponse(c, "openai", { status: 400, type: "invalid_request_error", message: "model and messages are required." }, requestId);
  }
  if (!ctx.core.hasModel(body.model, "openai")) {
    return errorResponse(c, "openai", { status: 404, type: "model_not_found", message: `The model \`${body.model}\` does not exist.` }, requestId);
  }
  const fault = ctx.faults.decide(body.model, body.stream === true);
  const failed = await faultResponse(c, "openai", fault, requestId);
  if (failed) return failed;
  const req = chatToSim(body, c.req.header(REPLAY_HEADER));
  const { reply, truncated } = limitReply(ctx.core.respond(req), req.maxTokens);
  const usage = usageOf(req, reply);
  const id = ctx.nextId("chatcmpl-");
  const callId = ctx.nextId("call_");
  const created = Math.floor(Date.now() / 1000);
  const finish = truncated ? "length" : reply.toolCall ? "tool_calls" : "stop";
  const openaiUsage = { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output };
  c.header("x-request-id", requestId);
  if (!body.stream) {
    await paceWhole(ctx, body.model, reply.text, c.req.raw.signal);
    return c.json({
      id, object: "chat.completion", created, model: body.model, system_fingerprint: "fp_simulator",
      choices: [{ index: 0, message: message(reply, callId), logprobs: null, finish_reason: finish }],
      usage: openaiUsage,
    });
  }
  const base = { id, object: "chat.completion.chunk", created, model: body.model, system_fingerprint: "fp_simulator" };
  const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null): SseEvent => ({
    data: { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason }] },
  });
  const events: SseEvent[] = [chunk({ role: "assistant", content: reply.toolCall ? null : "", refusal: null })];
  if (reply.toolCall) {
    events.push(chunk({ tool_calls: [{ index: 0, id: callId, type: "function", function: { name: reply.toolCall.name, arguments: "" } }] }));
    for (const p of pieces(reply.toolCall.arguments)) events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: p } }] }));
  } else {
    for (const p of pieces(reply.text)) events.push(chunk({ content: p }));
  }
  events.push(chunk({}, finish));
  if (body.stream_options?.include_usage) events.push({ data: { ...base, choices: [], usage: openaiUsage } });
  const cutAfter = fault?.kind === "stream_cut" ? Math.max(2, Math.floor(events.length / 2)) : null;
  return sse(c, ctx, body.model, events, {
    cutAfter,
    trailer: "data: [DONE]\n\n",
    tokensOf: (e) => {
      const d = (e.data as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content;
      return d ? countTokens(d) : 0;
    },
  });
}
