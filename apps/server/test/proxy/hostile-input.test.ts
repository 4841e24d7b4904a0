import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ActiveRoute, RouteTable } from "../../src/proxy/route-table.ts";
import { devKey, startHarness, type Harness } from "./harness.ts";

/**
 * What a hostile or careless client can put in the few places proofgate reads: the model name (echoed in
 * a response header), the prompt name header, deeply nested schemas, and what the provider's headers
 * would tell it about the account behind the server's key.
 */

// Requests for these models are switched to a candidate: one on the same wire, one on the other.
const routes: RouteTable = {
  resolve(promptId, requestedModel) {
    const candidate = { "routed-same": ["gpt-4o-mini", "openai"], "routed-cross": ["claude-haiku-4-5", "anthropic"] }[requestedModel];
    if (!candidate) return { route: "baseline", model: requestedModel };
    const routed: ActiveRoute = {
      promptId, version: 1, baselineModel: requestedModel, candidateModel: candidate[0]!, candidateProvider: candidate[1] as "openai" | "anthropic",
      check: () => ({ ok: true, violations: [] }), json: true, timeoutMs: 5_000, report: () => {},
    };
    return { route: "candidate", model: routed.candidateModel, routed };
  },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ routes });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.upstream.seen.length = 0;
});

/** Sends raw header bytes (Node's client writes header strings as latin1, one byte per character). */
function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const payload = Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: any }>((resolve, reject) => {
    const url = new URL(h.url + path);
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { authorization: `Bearer ${devKey}`, "content-type": "application/json", ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode!, headers: res.headers, json: text.startsWith("{") ? JSON.parse(text) : text });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const chat = (model: string) => ({ model, messages: [{ role: "user", content: "Hi" }] });

describe("model names", () => {
  for (const [what, model] of [
    ["an emoji", "gpt-4o-😀"],
    ["a NUL", "gpt-4o\u0000"],
    ["CR/LF", "gpt-4o\r\nx-injected: 1"],
    ["300 characters", "m".repeat(300)],
  ] as const) {
    it(`${what}: 400 in the caller's shape before any upstream call`, async () => {
      const openai = await post("/v1/chat/completions", chat(model));
      expect(openai.status).toBe(400);
      expect(openai.json.error).toMatchObject({ type: "invalid_request_error", param: "model", code: "invalid_value" });
      expect(openai.headers["x-should-retry"]).toBe("false");
      const anthropic = await post("/v1/messages", { ...chat(model), max_tokens: 5 });
      expect(anthropic.status).toBe(400);
      expect(anthropic.json).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
      expect(h.upstream.seen).toHaveLength(0);
    });
  }

  it("unusual but real model ids pass, and x-proofgate-model carries them as they are", async () => {
    for (const model of ["accounts/fireworks/models/llama-v3p1-8b-instruct", "ft:gpt-4o-mini:org:custom:id", "claude-3-5-sonnet@20240620"]) {
      const res = await post("/v1/chat/completions", chat(model));
      expect(res.status).toBe(200);
      expect(res.headers["x-proofgate-model"]).toBe(model);
    }
    // Space and "%" are percent-encoded, so the header always decodes back to the name.
    const spaced = await post("/v1/chat/completions", chat("my model 100%"));
    expect(spaced.status).toBe(200);
    expect(spaced.headers["x-proofgate-model"]).toBe("my%20model%20100%25");
    expect(decodeURIComponent(spaced.headers["x-proofgate-model"] as string)).toBe("my model 100%");
    expect(h.upstream.seen).toHaveLength(4);
  });
});

describe("prompt names from x-proofgate-prompt", () => {
  const latin1 = (text: string) => Buffer.from(text, "utf8").toString("latin1");

  it("a UTF-8 name is stored intact, sent as UTF-8 bytes or as latin1 bytes", async () => {
    const before = h.sink.records.length;
    const utf8 = await post("/v1/chat/completions", chat("gpt-4o-mini"), { "x-proofgate-prompt": latin1("Résumé triage") });
    const plain = await post("/v1/chat/completions", chat("gpt-4o-mini"), { "x-proofgate-prompt": "Résumé triage" });
    expect([utf8.status, plain.status]).toEqual([200, 200]);
    expect(utf8.headers["x-proofgate-prompt"]).toBe(plain.headers["x-proofgate-prompt"]);
    const records = (await h.sink.waitFor(before + 2)).slice(before);
    expect(records.map((r) => r.promptName)).toEqual(["Résumé triage", "Résumé triage"]);
  });

  it("400 for a name over 200 characters or with a control character, before any upstream call", async () => {
    const long = await post("/v1/chat/completions", chat("gpt-4o-mini"), { "x-proofgate-prompt": "p".repeat(300) });
    expect(long.status).toBe(400);
    expect(long.json.error.code).toBe("invalid_prompt_name");
    expect(long.json.error.message).toMatch(/at most 200 characters/);
    const tab = await post("/v1/messages", { ...chat("claude-haiku-4-5"), max_tokens: 5 }, { "x-proofgate-prompt": "a\tb" });
    expect(tab.status).toBe(400);
    expect(tab.json).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    // U+0085 (NEL) as UTF-8 bytes: a control character once decoded.
    const nel = await post("/v1/chat/completions", chat("gpt-4o-mini"), { "x-proofgate-prompt": latin1("a\u0085b") });
    expect(nel.status).toBe(400);
    expect(h.upstream.seen).toHaveLength(0);
    // 200 characters of a two-unit emoji is 200 characters, not 400.
    const emoji = await post("/v1/chat/completions", chat("gpt-4o-mini"), { "x-proofgate-prompt": latin1("😀".repeat(200)) });
    expect(emoji.status).toBe(200);
  });
});

describe("provider response headers", () => {
  it("the account's and unknown headers stay behind; ids, rate limits and retry advice pass", async () => {
    const ok = await post("/v1/chat/completions", chat("gpt-4o-mini"));
    for (const name of ["openai-organization", "openai-project", "x-envoy-upstream-service-time"]) expect(ok.headers[name], name).toBeUndefined();
    expect(ok.headers).toMatchObject({ "x-request-id": expect.stringMatching(/^req_up_/), "x-ratelimit-remaining-requests": "4999", "openai-processing-ms": "3" });
    const limited = await post("/v1/chat/completions", chat("upstream-429"));
    expect(limited.headers).toMatchObject({ "retry-after": "1", "retry-after-ms": "1000", "x-should-retry": "false" });
    const claude = await post("/v1/messages", { ...chat("claude-haiku-4-5"), max_tokens: 5 });
    expect(claude.headers["anthropic-organization-id"]).toBeUndefined();
    expect(claude.headers).toMatchObject({ "request-id": expect.stringMatching(/^req_up_/), "anthropic-ratelimit-requests-remaining": "49" });
  });
});

/** How deeply a JSON value nests (a scalar is 0, `{}` is 1). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  let deepest = 0;
  for (const v of Object.values(value)) deepest = Math.max(deepest, depthOf(v));
  return deepest + 1;
}

/** A request body built around a JSON Schema nested so deep that the whole body is exactly `depth` levels. */
function atDepth(depth: number, make: (schema: unknown) => Record<string, unknown>): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: "string" };
  for (;;) {
    const body = make(schema);
    const missing = depth - depthOf(body);
    if (missing === 0) return body;
    schema = missing >= 2 ? { type: "object", properties: { a: schema } } : { type: "array", items: schema };
  }
}

describe("schemas nested just within the nesting limit (127 levels)", () => {
  const messages = [{ role: "user", content: "Fill it in" }];
  const cases: Array<[string, string, (model: string) => (schema: unknown) => Record<string, unknown>]> = [
    ["chat response_format", "/v1/chat/completions", (model) => (schema) => ({ model, messages, response_format: { type: "json_schema", json_schema: { name: "deep", schema } } })],
    ["chat tool", "/v1/chat/completions", (model) => (schema) => ({ model, messages, tools: [{ type: "function", function: { name: "deep", parameters: schema } }] })],
    ["responses text.format", "/v1/responses", (model) => (schema) => ({ model, input: "Fill it in", text: { format: { type: "json_schema", name: "deep", schema } } })],
    ["messages tool", "/v1/messages", (model) => (schema) => ({ model, max_tokens: 50, messages, tools: [{ name: "deep", input_schema: schema }] })],
  ];
  for (const [what, path, make] of cases) {
    const models = path === "/v1/messages" ? ["claude-haiku-4-5"] : path === "/v1/responses" ? ["gpt-4.1-mini", "routed-same"] : ["gpt-4o-mini", "routed-same", "routed-cross"];
    it(`${what}: answered, baseline and routed (${models.join(", ")}), streamed and not`, async () => {
      for (const model of models) {
        for (const stream of [false, true]) {
          const body = atDepth(127, make(model));
          if (stream) body["stream"] = true;
          expect(depthOf(body)).toBe(127);
          const res = await post(path, body);
          expect(res.status, `${model} stream=${stream}`).toBe(200);
          if (model.startsWith("routed-")) expect(res.headers["x-proofgate-route"]).toBe("candidate");
        }
      }
    });
  }
});
