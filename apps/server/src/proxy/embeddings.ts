import { endpointSpecs } from "@proofgate/providers";
import type { Handler } from "hono";
import type { AppEnv } from "../http/env.ts";
import { forward } from "./forward.ts";
import type { ProxyContext } from "./context.ts";

/** POST /v1/embeddings (OpenAI embeddings, passed through and captured without the vectors). */
export function embeddings(ctx: ProxyContext): Handler<AppEnv> {
  const spec = endpointSpecs.embeddings;
  return (c) => forward(c, spec, ctx);
}
