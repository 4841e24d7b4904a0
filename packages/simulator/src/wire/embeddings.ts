import type { Context } from "hono";
import { countTokens } from "../latency.ts";
import { rngFor } from "../rng.ts";
import { errorResponse, type Env, type SimContext } from "./common.ts";

type EmbeddingsBody = { model?: string; input?: string | string[]; dimensions?: number; encoding_format?: "float" | "base64" };

/** A unit vector drawn from the text: equal texts embed equally, different texts almost orthogonally. */
export function embed(seed: number | string, model: string, text: string, dimensions: number): number[] {
  const rng = rngFor(seed, model, "embedding", text);
  const v = Array.from({ length: dimensions }, () => rng.next() * 2 - 1);
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/**
 * POST /v1/embeddings, so the proxy's pass-through can be exercised. Any model name is served: scenarios
 * describe chat models, and an embedding model has no behaviour to simulate beyond determinism.
 */
export async function embeddings(c: Context<Env>, ctx: SimContext): Promise<Response> {
  const requestId = ctx.nextId("req_");
  let body: EmbeddingsBody;
  try {
    body = (await c.req.json()) as EmbeddingsBody;
  } catch {
    return errorResponse(c, "openai", { status: 400, type: "invalid_request_error", message: "Body is not valid JSON." }, requestId);
  }
  const inputs = typeof body.input === "string" ? [body.input] : body.input;
  if (!body.model || !Array.isArray(inputs) || inputs.some((x) => typeof x !== "string")) {
    return errorResponse(c, "openai", { status: 400, type: "invalid_request_error", message: "model and input (string or string[]) are required." }, requestId);
  }
  const dims = Math.min(Math.max(1, body.dimensions ?? 16), 3072);
  const data = inputs.map((text, index) => {
    const vector = embed(ctx.core.seed, body.model!, text, dims);
    const embedding = body.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
    return { object: "embedding", index, embedding };
  });
  const tokens = inputs.reduce((n, t) => n + countTokens(t), 0);
  c.header("x-request-id", requestId);
  return c.json({ object: "list", data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}
