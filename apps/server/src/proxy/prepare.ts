import type { JsonObject, Wire } from "@proofgate/providers";
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
}

/**
 * Everything before the upstream is chosen to answer: the body read within the in-flight budget, checked
 * on its wire, the model and prompt names checked, the prompt identified and its route resolved. The one
 * place where what a request is, and who serves it, is settled; the reservation is released if it fails.
 */
export async function prepare(c: Context<AppEnv>, wire: Wire, ctx: ProxyContext): Promise<Prepared> {
  const { incoming } = bindings(c);
  const { raw, reservation } = await readBody(incoming, ctx.budget);
  try {
    const valid = wire.validate(raw);
    if (!valid.ok) throw new HttpError("invalid_request", valid.message, { param: valid.param, code: valid.code });
    checkModelName(valid.model);
    const promptHeader = promptNameFromHeader(incoming.headers["x-proofgate-prompt"]);
    const identity = identifyPrompt({ endpoint: wire.endpoint, body: valid.body, promptHeader });
    // Routing: an in-memory lookup, before the upstream call.
    const decision = ctx.routes.resolve(identity.promptId, valid.model);
    c.set("logFields", { endpoint: wire.endpoint, model: decision.model, prompt: identity.promptId, route: decision.route });
    return { wire, raw, body: valid.body, model: valid.model, stream: valid.stream, identity, decision, reservation };
  } catch (error) {
    reservation.release();
    throw error;
  }
}
