import { endpointSpecs } from "@proofgate/providers";
import type { Handler } from "hono";
import type { AppEnv } from "../http/env.ts";
import { forward } from "./forward.ts";
import type { ProxyContext } from "./context.ts";

/** POST /v1/messages (Anthropic Messages). */
export function messages(ctx: ProxyContext): Handler<AppEnv> {
  const spec = endpointSpecs.messages;
  return (c) => forward(c, spec, ctx);
}
