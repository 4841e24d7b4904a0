import { jsonText } from "@proofgate/db";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * c.json for bodies that carry stored client JSON (captured requests and replies). Rows stored before the
 * ingress nesting limit can nest 10,000 deep, past what JSON.stringify's recursion survives: those are
 * written by the iterative writer instead, whole and unchanged. Everything else takes the native path.
 */
export function storedJson(c: Context, body: object, status: ContentfulStatusCode = 200): Response {
  try {
    return c.json(body, status);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return c.body(jsonText(body).text, status, { "content-type": "application/json" });
  }
}
