import type { IncomingHttpHeaders } from "node:http";
import { isObject, upstreamRequestHeaders, type Crossing, type ReplyOptions, type UpstreamRequest, type Upstreams } from "@proofgate/providers";
import type { Prepared } from "../prepare.ts";
import type { ActiveRoute } from "../route-table.ts";

/** A candidate's call, and what reading its reply back in the client's format needs. */
export interface CandidateRequest {
  request: Omit<UpstreamRequest, "signal">;
  model: string;
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
  upstreams: Pick<Upstreams, "apiKey">,
): CandidateRequest {
  const target = crossing.target;
  const model = route.candidateModel;
  const { body, back } = crossing.request(prepared.body, model);
  const headers = upstreamRequestHeaders(target.provider, incoming, upstreams.apiKey(target.provider));
  if (!crossing.same) {
    headers["accept-encoding"] = "identity";
    headers["content-type"] = "application/json";
    for (const [name, value] of Object.entries(target.requiredHeaders)) headers[name] ??= value;
  }
  const options = prepared.body["stream_options"];
  const includeUsage = isObject(options) && Boolean(options["include_usage"]);
  return {
    request: { provider: target.provider, path: target.upstreamPath, method: "POST", headers, body: Buffer.from(JSON.stringify(body)) },
    model,
    back,
    includeUsage,
  };
}
