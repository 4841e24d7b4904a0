import { endpointSpecs } from "@proofgate/providers";
import type { Handler } from "hono";
import type { AppEnv } from "../http/env.ts";
import { forward } from "./forward.ts";
import type { ProxyContext } from "./context.ts";

/** POST /v1/chat/completions (OpenAI Chat Completions). */
export function chatCompletions(ctx: ProxyContext): Handler<AppEnv> {
  const spec = endpointSpecs["chat.completions"];
  return (c) => forward(c, spec, ctx);
}
