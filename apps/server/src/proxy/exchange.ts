import type { Wire } from "@proofgate/providers";
import type { Context } from "hono";
import type { AppEnv } from "../http/env.ts";
import { headerValue } from "../http/header-value.ts";
import type { PromptIdentity } from "../prompts/identify.ts";
import { KeptReply, type Reservation } from "./in-flight.ts";
import type { ActiveRoute, RouteDecision } from "./route-table.ts";

/** Everything known about one exchange when its response has ended; the capture is built from it later. */
export interface Exchange {
  id: string;
  /** The client's wire: the capture's endpoint and provider, and how its reply is read. */
  wire: Wire;
  createdAt: Date;
  startedAt: number;
  /** The client's request bytes (JSON that validation parsed), captured as sent. */
  requestBody: Buffer;
  requestedModel: string;
  stream: boolean;
  identity: PromptIdentity;
  decision: RouteDecision;
  clientKeyId: string | null;
  status: number;
  headers: Record<string, string | string[] | undefined> | null;
  /** The reply's body as it went out, kept for the capture (or why it was not). */
  reply: KeptReply;
  firstByteAt: number | null;
  endedAt: number;
  /** Set when the exchange failed in proofgate or on the wire (unreachable, timeout, cut stream). */
  failure: string | null;
  /** The registry provider that served (the baseline's resolved provider, or the candidate's): it prices the call. */
  servedProvider?: string;
  /** The model id the call went upstream as, when the registry mapped it: it prices the call. */
  upstreamModel?: string;
  /** The switched route a candidate served for: told how its attempt ended. */
  route?: ActiveRoute;
  /** The exchange's share of the in-flight budget: given back once the capture is handed over. */
  reservation?: Reservation;
}

/** What an exchange is opened from: a prepared request (named here so that capture's types need not load prepare's). */
export interface ExchangeRequest {
  wire: Wire;
  raw: Buffer;
  model: string;
  stream: boolean;
  identity: PromptIdentity;
  reservation: Reservation;
}

/**
 * The one place an exchange is opened, whichever model serves it. Its reply is kept within the request's
 * reservation: held for a candidate's contract check, then kept for the capture.
 */
export function openExchange(
  c: Context<AppEnv>,
  request: ExchangeRequest,
  decision: RouteDecision,
  captureReplyBytes: number,
  served: { provider: string; model: string } | null,
  route?: ActiveRoute,
): Exchange {
  const exchange: Exchange = {
    id: c.get("requestId"),
    wire: request.wire,
    createdAt: new Date(),
    startedAt: c.get("startedAt"),
    requestBody: request.raw,
    requestedModel: request.model,
    stream: request.stream,
    identity: request.identity,
    decision,
    clientKeyId: c.get("clientKeyId"),
    status: 0,
    headers: null,
    reply: new KeptReply(request.reservation, captureReplyBytes),
    firstByteAt: null,
    endedAt: 0,
    failure: null,
    reservation: request.reservation,
  };
  if (served) {
    exchange.servedProvider = served.provider;
    exchange.upstreamModel = served.model;
  }
  if (route) exchange.route = route;
  return exchange;
}

/** proofgate's own response headers, the only place they are made; names go through the header-value encoding. */
export function ownHeaders(requestId: string, identity: PromptIdentity, decision: RouteDecision): Record<string, string> {
  return {
    "x-proofgate-request-id": requestId,
    "x-proofgate-prompt": headerValue(identity.promptId),
    "x-proofgate-route": decision.route,
    "x-proofgate-model": headerValue(decision.model),
  };
}
