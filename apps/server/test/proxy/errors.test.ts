import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createdKey, devKey, startHarness, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(h.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${devKey}`, ...headers },
    body,
  });
  return { res, json: (await res.json()) as any };
}

describe("client mistakes get the right status in the caller's protocol", () => {
  it("401 without a key, OpenAI shape with a request id", async () => {
    const { res, json } = await post("/v1/chat/completions", "{}", { authorization: "" });
    expect(res.status).toBe(401);
    expect(json.error.type).toBe("invalid_request_error");
    expect(json.error.code).toBe("missing_api_key");
    expect(json.error).toHaveProperty("param", null);
    expect(json.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-request-id")).toBe(json.request_id);
    expect(res.headers.get("x-should-retry")).toBe("false");
  });

  it("401 with a wrong key on /v1/messages, Anthropic shape", async () => {
    const { res, json } = await post("/v1/messages", "{}", { authorization: "", "x-api-key": "nope-nope-nope" });
    expect(res.status).toBe(401);
    expect(json.type).toBe("error");
    expect(json.error.type).toBe("authentication_error");
    expect(json.error.message).toMatch(/Invalid API key/);
    expect(json.request_id).toBe(res.headers.get("request-id"));
  });

  it("accepts a created key through x-api-key", async () => {
    const { res } = await post("/v1/embeddings", JSON.stringify({ model: "text-embedding-3-small", input: "hi" }), {
      authorization: "",
      "x-api-key": createdKey,
    });
    expect(res.status).toBe(200);
    const [capture] = await h.sink.waitFor(1);
    expect(capture!.clientKeyId).toBe("key_0001");
  });

  it("400 for malformed JSON, missing model, missing messages, wrong types", async () => {
    const bad = await post("/v1/chat/completions", "{not json");
    expect(bad.res.status).toBe(400);
    expect(bad.json.error.code).toBe("invalid_json");
    const noModel = await post("/v1/chat/completions", JSON.stringify({ messages: [{ role: "user", content: "x" }] }));
    expect(noModel.res.status).toBe(400);
    expect(noModel.json.error.param).toBe("model");
    const noMessages = await post("/v1/messages", JSON.stringify({ model: "claude-x", max_tokens: 5 }));
    expect(noMessages.res.status).toBe(400);
    expect(noMessages.json.error.type).toBe("invalid_request_error");
    expect(noMessages.json.error.message).toMatch(/messages/);
    const wrongType = await post("/v1/chat/completions", JSON.stringify({ model: "m", messages: "hi" }));
    expect(wrongType.res.status).toBe(400);
    expect(wrongType.json.error.message).toMatch(/expected an array, got string/);
    const wrongStream = await post("/v1/responses", JSON.stringify({ model: "m", input: "x", stream: "yes" }));
    expect(wrongStream.res.status).toBe(400);
    expect(wrongStream.json.error.param).toBe("stream");
  });

  it("413 over 32 MB, without reading the body", async () => {
    const big = Buffer.alloc(33 * 1024 * 1024, 0x20);
    const res = await fetch(h.url + "/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${devKey}` },
      body: big,
    });
    expect(res.status).toBe(413);
    const json = (await res.json()) as any;
    expect(json.error.code).toBe("request_too_large");
  });

  it("404 for an unknown route, in the protocol of the path", async () => {
    const res = await fetch(h.url + "/v1/nope", { headers: { authorization: `Bearer ${devKey}` } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.message).toBe("Unknown route: GET /v1/nope.");
    const root = await fetch(h.url + "/elsewhere");
    expect(root.status).toBe(404);
  });

  it("passes upstream errors through with status, body and retry headers", async () => {
    const { res, json } = await post("/v1/chat/completions", JSON.stringify({ model: "upstream-429", messages: [{ role: "user", content: "x" }] }));
    expect(res.status).toBe(429);
    expect(json).toEqual({ error: { message: "Rate limit reached.", type: "requests", param: null, code: "rate_limit_exceeded" } });
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.headers.get("x-request-id")).toMatch(/^req_up_/);
  });

  it("504 with x-should-retry when the upstream is too slow", async () => {
    const { res, json } = await post("/v1/messages", JSON.stringify({ model: "upstream-slow", max_tokens: 5, messages: [{ role: "user", content: "x" }] }));
    expect(res.status).toBe(504);
    expect(json.error.type).toBe("timeout_error");
    expect(res.headers.get("x-should-retry")).toBe("true");
  });
});
