import { crossWire, type UpstreamResponse } from "@proofgate/providers";
import type { Context } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { bindings } from "../bindings.ts";
import type { ProxyContext } from "../context.ts";
import { openExchange, ownHeaders } from "../exchange.ts";
import { settle } from "../outcome.ts";
import type { Prepared } from "../prepare.ts";
import type { ActiveRoute } from "../route-table.ts";
import { CandidateFailure, type FallbackReason } from "./failure.ts";
import { candidateGuard, type CandidateGuard } from "./guard.ts";
import { holdCandidate } from "./hold.ts";
import { candidateRequest } from "./request.ts";
import { streamCandidate } from "./stream.ts";

/** How a candidate's attempt ended: it answered, its client left, or the baseline must answer, and why. */
export type CandidateAttempt = { kind: "served" } | { kind: "client_left" } | { kind: "fell_back"; reason: FallbackReason; message: string };

async function drain(response: UpstreamResponse): Promise<void> {
  await response.body.dump().catch(() => {});
}

function fallbackOf(error: unknown, guard: CandidateGuard, timeoutMs: number): CandidateFailure {
  if (error instanceof CandidateFailure) return error;
  if (guard.timedOut) return new CandidateFailure("timeout", `the candidate did not answer within ${timeoutMs} ms`);
  return new CandidateFailure("error", `the candidate could not be reached: ${(error as Error).message}`);
}

/**
 * A switched prompt: the same request, with the candidate's model, to the candidate. Nothing is sent to
 * the client until the candidate has proved itself for this request: a complete, contract-valid reply
 * (non-streamed, or streamed under a JSON contract), or a first body byte (text streams: past it a
 * fallback would duplicate output). Any failure before then (error status, time-out, unreachable,
 * contract violation) comes back as `fell_back`, with nothing written: the caller lets the baseline answer.
 */
export async function serveCandidate(c: Context<AppEnv>, request: Prepared, route: ActiveRoute, ctx: ProxyContext): Promise<CandidateAttempt> {
  const { incoming, outgoing } = bindings(c);
  const guard = candidateGuard(outgoing, route.timeoutMs);
  const decision = { route: "candidate", model: route.candidateModel } as const;
  const crossing = crossWire(request.wire, route.candidateProvider);
  // What served is known once the candidate is resolved, inside the attempt: a failure there falls back.
  const exchange = openExchange(c, request, decision, ctx.captureReplyBytes, null, route);
  let response: UpstreamResponse | null = null;
  try {
    if (!crossing) throw new CandidateFailure("error", `a ${route.candidateProvider} candidate cannot serve the ${request.wire.endpoint} endpoint`);
    const call = candidateRequest(crossing, request, route, incoming.headers, ctx.upstreams);
    exchange.servedProvider = call.request.provider;
    exchange.upstreamModel = call.upstreamModel;
    response = await ctx.upstreams.request({ ...call.request, signal: guard.signal });
    if (response.statusCode < 200 || response.statusCode >= 300) {
      await drain(response);
      throw new CandidateFailure("error", `the candidate answered ${response.statusCode}`);
    }
    const type = response.headers["content-type"];
    const eventStream = typeof type === "string" && type.startsWith("text/event-stream");
    const own = ownHeaders(exchange.id, request.identity, decision);
    const answering = { response, eventStream, crossing, call, route, guard, exchange, own, outgoing };
    const outcome = !request.stream || route.json ? await holdCandidate(answering) : await streamCandidate(answering);
    guard.close();
    settle(ctx, exchange, outcome);
    return { kind: "served" };
  } catch (error) {
    guard.close();
    if (response) await drain(response);
    if (guard.clientLeft || outgoing.destroyed) {
      settle(ctx, exchange, { kind: "client_left", failure: "the client closed the connection before the candidate answered" });
      return { kind: "client_left" };
    }
    const fallback = fallbackOf(error, guard, route.timeoutMs);
    // What was held of the candidate's reply leaves the budget; the baseline's exchange keeps the reservation.
    exchange.reply.drop(fallback.message);
    return { kind: "fell_back", reason: fallback.reason, message: fallback.message };
  }
}
