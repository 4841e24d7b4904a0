import { endpointSpecs } from "@proofgate/providers";
import type { Handler } from "hono";
import type { AppEnv } from "../http/env.ts";
import { forward, type ProxyContext } from "./forward.ts";

/** POST /v1/responses (OpenAI Responses API). */
export function responses(ctx: ProxyContext): Handler<AppEnv> {
  const spec = endpointSpecs.responses;
  return (c) => forward(c, spec, ctx);
}
