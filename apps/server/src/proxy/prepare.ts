import { routeRequest, type JsonObject, type Wire } from "@proofgate/providers";
import type { Context } from "hono";
import type { AppEnv } from "../http/env.ts";
import { HttpError } from "../http/errors.ts";
import { identifyPrompt, type PromptIdentity } from "../prompts/identify.ts";
import { bindings } from "./bindings.ts";
import type { ProxyContext } from "./context.ts";
import type { Reservation } from "./in-flight.ts";
import { checkModelName, promptNameFromHeader } from "./names.ts";
import { readBody } from "./read-body.ts";
import type { RouteDecision } from "./route-table.ts";

/** A request read, checked, named and routed: what either way of serving it starts from. */
export interface Prepared {
  wire: Wire;
  /** The client's bytes, forwarded unchanged on the baseline path. */
  raw: Buffer;
  /** The parsed body; a candidate's request is built from it. Let go once only the raw bytes are needed. */
  body: JsonObject;
  model: string;
  stream: boolean;
  identity: PromptIdentity;
  decision: RouteDecision;
  /** The request's share of the in-flight budget, released when its capture is handed over. */
  reservation: Reservation;
  /** The registry provider the baseline goes to, the model id it is sent as, and the body when that changed it. */
  upstream: { provider: string; model: string; body: Buffer | null };
}

/**
 * Everything before the upstream is chosen to answer: the body read within the in-flight budget, checked
 * on its wire, the model and prompt names checked, the model resolved to its registry provider, the prompt
 * identified and its route resolved. The one place where what a request is, and who serves it, is
 * settled; the reservation is released if it fails.
 */
export async function prepare(c: Context<AppEnv>, wire: Wire, ctx: ProxyContext): Promise<Prepared> {
  const { incoming } = bindings(c);
  const { raw, reservation } = await readBody(incoming, ctx.budget);
  try {
    const valid = wire.validate(raw);
    if (!valid.ok) throw new HttpError("invalid_request", valid.message, { param: valid.param, code: valid.code });
    checkModelName(valid.model);
    const to = routeRequest(ctx.upstreams.registry, wire.provider, wire.endpoint, valid.model);
    if (!to.ok) throw new HttpError(to.kind, to.message, { code: to.code, param: to.param ?? null, retry: false });
    const { provider, model, mapped } = to.target;
    // Only a mapped model rewrites the body; otherwise the baseline sends the client's bytes unchanged.
    const upstream = { provider, model, body: mapped ? Buffer.from(JSON.stringify({ ...valid.body, model })) : null };
    const promptHeader = promptNameFromHeader(incoming.headers["x-proofgate-prompt"]);
    const identity = identifyPrompt({ endpoint: wire.endpoint, body: valid.body, promptHeader });
    // Routing: an in-memory lookup, before the upstream call.
    const decision = ctx.routes.resolve(identity.promptId, valid.model);
    c.set("logFields", { endpoint: wire.endpoint, model: decision.model, prompt: identity.promptId, route: decision.route });
    return { wire, raw, body: valid.body, model: valid.model, stream: valid.stream, identity, decision, reservation, upstream };
  } catch (error) {
    reservation.release();
    throw error;
  }
}
