import type { Context } from "hono";
import type { AppEnv } from "./env.ts";

/**
 * A request header by lower-case name. Under the Node server it reads Node's own header object: asking
 * the web Request instead makes the adapter build a full Headers object on every request.
 */
export function header(c: Context<AppEnv>, name: string): string | undefined {
  const incoming = c.env?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
