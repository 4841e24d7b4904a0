import type { Context } from "hono";
import type { z } from "zod";
import { HttpError } from "../http/errors.ts";

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}

/** Parses a JSON body against a schema; a bad body is the caller's mistake (400), never a 500. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new HttpError("invalid_request", "The request body must be JSON.", { code: "invalid_json" });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]?.path.join(".") || null;
    throw new HttpError("invalid_request", describe(parsed.error), { param: first, code: "invalid_body" });
  }
  return parsed.data;
}

export function query<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) {
    const first = parsed.error.issues[0]?.path.join(".") || null;
    throw new HttpError("invalid_request", describe(parsed.error), { param: first, code: "invalid_query" });
  }
  return parsed.data;
}
