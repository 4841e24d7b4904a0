import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import { stream } from "hono/streaming";
import { setTimeout as sleep } from "node:timers/promises";
import type { SimulatorCore } from "../engine.ts";
import type { FaultDecision, FaultPlan } from "../faults.ts";
import { countTokens, pieces, type Latency } from "../latency.ts";
import type { SimReply, SimRequest } from "../request.ts";

export type Env = { Bindings: HttpBindings };
export type SimContext = { core: SimulatorCore; faults: FaultPlan; latency: Latency; nextId: (prefix: string) => string };
export type Provider = "openai" | "anthropic";

export type ErrorShape = { status: number; type: string; message: string; retryAfterSeconds?: number };

/** Error bodies in each provider's own shape. */
export function errorResponse(c: Context<Env>, provider: Provider, e: ErrorShape, requestId: string): Response {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (e.retryAfterSeconds !== undefined) headers["retry-after"] = String(e.retryAfterSeconds);
  if (provider === "anthropic") {
    headers["request-id"] = requestId;
    return c.body(JSON.stringify({ type: "error", error: { type: e.type, message: e.message }, request_id: requestId }), e.status as 400, headers);
  }
  headers["x-request-id"] = requestId;
  return c.body(JSON.stringify({ error: { message: e.message, type: e.type, param: null, code: e.type } }), e.status as 400, headers);
}

const FAULT_ERRORS: Record<Provider, Record<"rate_limit" | "server_error" | "overloaded", { type: string; message: string; status: number }>> = {
  openai: {
    rate_limit: { status: 429, type: "rate_limit_exceeded", message: "Rate limit reached for requests (simulated)." },
    server_error: { status: 500, type: "server_error", message: "The server had an error while processing your request (simulated)." },
    overloaded: { status: 529, type: "overloaded", message: "The engine is currently overloaded (simulated)." },
  },
  anthropic: {
    rate_limit: { status: 429, type: "rate_limit_error", message: "Number of requests has exceeded your rate limit (simulated)." },
    server_error: { status: 500, type: "api_error", message: "Internal server error (simulated)." },
    overloaded: { status: 529, type: "overloaded_error", message: "Overloaded (simulated)." },
  },
};

/**
 * Applies a fault that ends the request before any output. Returns the response to send, or null to go on.
 * A time-out holds the request open without answering until the client gives up (or timeoutMs passes).
 */
export async function faultResponse(c: Context<Env>, provider: Provider, fault: FaultDecision, requestId: string): Promise<Response | null> {
  if (!fault || fault.kind === "stream_cut") return null;
  if (fault.kind === "timeout") {
    await sleep(fault.timeoutMs, undefined, { signal: c.req.raw.signal }).catch(() => {});
    return errorResponse(c, provider, { status: 504, type: provider === "anthropic" ? "api_error" : "timeout", message: "Request timed out (simulated)." }, requestId);
  }
  const e = FAULT_ERRORS[provider][fault.kind];
  return errorResponse(c, provider, { ...e, retryAfterSeconds: fault.kind === "rate_limit" ? fault.retryAfterSeconds : undefined }, requestId);
}

export type SseEvent = { event?: string; data: unknown };

/**
 * Streams events with the model's pacing. The first event waits for the time to first token; each later
 * one waits for its tokens. With `cutAfter`, the connection is destroyed after that many events.
 */
export function sse(
  c: Context<Env>,
  ctx: SimContext,
  model: string,
  events: SseEvent[],
  opts: { cutAfter: number | null; tokensOf: (e: SseEvent) => number; trailer?: string; headers?: Record<string, string> },
): Response {
  c.header("content-type", "text/event-stream; charset=utf-8");
  c.header("cache-control", "no-cache");
  for (const [k, v] of Object.entries(opts.headers ?? {})) c.header(k, v);
  return stream(c, async (s) => {
    const signal = c.req.raw.signal;
    await ctx.latency.firstToken(model, signal);
    const firstTokenAt = performance.now();
    let tokens = 0;
    for (let i = 0; i < events.length; i++) {
      if (opts.cutAfter !== null && i >= opts.cutAfter) {
        // a real mid-stream failure: the connection drops, no terminating event. The body is piped to the
        // socket asynchronously, so let what was written reach the client before the drop.
        await sleep(25);
        c.env?.incoming?.socket?.destroy();
        await s.abort();
        return;
      }
      const e = events[i] as SseEvent;
      tokens += opts.tokensOf(e);
      await ctx.latency.until(model, firstTokenAt, tokens, signal);
      if (s.aborted) return;
      await s.write(`${e.event ? `event: ${e.event}\n` : ""}data: ${JSON.stringify(e.data)}\n\n`);
    }
    if (opts.trailer) await s.write(opts.trailer);
  });
}

export async function paceWhole(ctx: SimContext, model: string, text: string, signal: AbortSignal): Promise<void> {
  await ctx.latency.firstToken(model, signal);
  await ctx.latency.tokens(model, countTokens(text), signal);
}

export function usageOf(req: SimRequest, reply: SimReply): { input: number; output: number } {
  return { input: countTokens(req.system + req.transcript), output: countTokens(reply.toolCall?.arguments ?? reply.text) };
}

export { pieces };
