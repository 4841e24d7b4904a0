import type { Context } from "hono";
import type { AppEnv } from "../http/env.ts";
import { HttpError } from "../http/errors.ts";

/** The raw request and response; every proxy route streams through them. */
export function bindings(c: Context<AppEnv>) {
  const { incoming, outgoing } = c.env ?? {};
  if (!incoming || !outgoing) throw new HttpError("internal", "Proxy routes run only under the Node.js HTTP server.");
  return { incoming, outgoing };
}
