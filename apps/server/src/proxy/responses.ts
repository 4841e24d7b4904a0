import { endpointSpecs } from "@proofgate/providers";
import type { Handler } from "hono";
import type { AppEnv } from "../http/env.ts";
import { forward } from "./forward.ts";
import type { ProxyContext } from "./context.ts";

/** POST /v1/responses (OpenAI Responses API). */
export function responses(ctx: ProxyContext): Handler<AppEnv> {
  const spec = endpointSpecs.responses;
  return (c) => forward(c, spec, ctx);
}
