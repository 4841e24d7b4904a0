import type { IncomingHttpHeaders } from "node:http";
import { isObject, upstreamRequestHeaders, type Crossing, type ReplyOptions, type UpstreamRequest, type Upstreams } from "@proofgate/providers";
import type { Prepared } from "../prepare.ts";
import type { ActiveRoute } from "../route-table.ts";

/** A candidate's call, and what reading its reply back in the client's format needs. */
export interface CandidateRequest {
  /** Sent to the candidate's registry provider (a models-table name or provider/model resolves like the baseline's). */
  request: Omit<UpstreamRequest, "signal">;
  /** The model a translated reply names: the candidate as the route has it, as a same-wire reply does. */
  model: string;
  /** The model id the candidate is sent as: it prices the call. */
  upstreamModel: string;
  back: ReplyOptions;
  /** Whether the client asked for usage in its stream (chat's stream_options.include_usage). */
  includeUsage: boolean;
}

/**
 * The same request with the candidate's model, on the candidate's wire. The client's headers pass through
 * the allow-list; a translated request also asks for identity encoding (translation reads the bytes as
 * they come), says it is JSON, and carries the headers its target wire requires (anthropic-version).
 */
export function candidateRequest(
  crossing: Crossing,
  prepared: Prepared,
  route: ActiveRoute,
  incoming: IncomingHttpHeaders,
  upstreams: Pick<Upstreams, "apiKey" | "registry">,
): CandidateRequest {
  const target = crossing.target;
  // The same resolution as the baseline's: a candidate may be a models-table name or provider/model.
  const to = upstreams.registry.resolve(route.candidateProvider, route.candidateModel);
  const { body, back } = crossing.request(prepared.body, to.model);
  const headers = upstreamRequestHeaders(target.provider, incoming, upstreams.apiKey(to.provider));
  if (!crossing.same) {
    headers["accept-encoding"] = "identity";
    headers["content-type"] = "application/json";
    for (const [name, value] of Object.entries(target.requiredHeaders)) headers[name] ??= value;
  }
  const options = prepared.body["stream_options"];
  const includeUsage = isObject(options) && Boolean(options["include_usage"]);
  return {
    request: { provider: to.provider, path: target.upstreamPath, method: "POST", headers, body: Buffer.from(JSON.stringify(body)) },
    model: route.candidateModel,
    upstreamModel: to.model,
    back,
    includeUsage,
  };
}
