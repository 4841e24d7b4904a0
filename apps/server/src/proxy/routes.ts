import { wires } from "@proofgate/providers";
import { Hono, type MiddlewareHandler } from "hono";
import type { KeyVerifier } from "../deps.ts";
import { clientAuth } from "../http/auth.ts";
import type { AppEnv } from "../http/env.ts";
import type { ProxyContext } from "./context.ts";
import { proxyHandler } from "./handler.ts";
import { models } from "./models.ts";

/** The provider-compatible routes under /v1, behind the client key check. */
export function proxyRoutes(ctx: ProxyContext, keys: KeyVerifier, devKey: string | undefined, admit?: MiddlewareHandler<AppEnv>) {
  const app = new Hono<AppEnv>();
  app.use("*", clientAuth(keys, devKey));
  // The key's limits, before the body is read or an upstream is called.
  if (admit) app.use("*", admit);
  app.post("/chat/completions", proxyHandler(wires["openai-chat"], ctx));
  app.post("/responses", proxyHandler(wires["openai-responses"], ctx));
  app.post("/messages", proxyHandler(wires["anthropic-messages"], ctx));
  app.post("/embeddings", proxyHandler(wires["openai-embeddings"], ctx));
  app.get("/models", models(ctx));
  app.get("/models/:model", models(ctx));
  return app;
}
