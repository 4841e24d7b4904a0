import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { MiddlewareHandler } from "hono";
import { uuidv7 } from "./ids.ts";
import type { AppEnv } from "./env.ts";
import { header } from "./headers.ts";

/**
 * Gives every request its id (a UUIDv7, which is also the id of its capture, so a log line, an error body and
 * a stored exchange join on one value) and decides which protocol its errors speak: Anthropic's on
 * /v1/messages and wherever the caller sent anthropic-version, OpenAI's elsewhere.
 */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = uuidv7();
    c.set("startedAt", performance.now());
    c.set("requestId", id);
    const path = c.req.path;
    const anthropic = path.startsWith("/v1/messages") || header(c, "anthropic-version") !== undefined;
    c.set("protocol", anthropic ? "anthropic" : "openai");
    c.set("clientKeyId", null);
    await next();
    // The proxy writes its own head (with this header) straight to the socket.
    if (c.res !== RESPONSE_ALREADY_SENT) c.res.headers.set("x-proofgate-request-id", id);
  };
}
