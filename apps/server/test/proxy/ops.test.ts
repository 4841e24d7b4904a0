import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminToken, devKey, startHarness, type Harness } from "./harness.ts";

let h: Harness;
let down: Harness;
let noAdmin: Harness;
beforeAll(async () => {
  [h, down, noAdmin] = await Promise.all([
    startHarness(),
    // Port 9 on loopback: nothing listens there, so every upstream call is refused.
    startHarness({ env: { OPENAI_UPSTREAM_URL: "http://127.0.0.1:9/v1" } }),
    startHarness({ env: { PROOFGATE_ADMIN_TOKEN: undefined } }),
  ]);
});
afterAll(async () => {
  await Promise.all([h.close(), down.close(), noAdmin.close()]);
});

describe("health, metrics and logs", () => {
  it("/healthz answers without a key", async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("x-proofgate-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("one log line per request, with no key in it, and request metrics by route", async () => {
    const openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: devKey, maxRetries: 0 });
    const before = h.logs.length;
    const { response } = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] }).withResponse();
    await h.sink.waitFor(1);
    const lines = h.logs.slice(before).map((l) => JSON.parse(l));
    const line = lines.find((l) => l.reqId === response.headers.get("x-proofgate-request-id"));
    expect(line).toMatchObject({ msg: "request", method: "POST", path: "/v1/chat/completions", status: 200, endpoint: "chat.completions", model: "gpt-4o-mini" });
    expect(lines.filter((l) => l.reqId === line.reqId)).toHaveLength(1);
    const all = h.logs.join("");
    expect(all).not.toContain(devKey);
    expect(all).not.toContain("sk-upstream-openai-secret");

    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/proofgate_http_requests_total\{route="\/v1\/chat\/completions",status="200"\} [1-9]/);
    expect(metrics).toMatch(/proofgate_http_request_duration_seconds_count\{route="\/v1\/chat\/completions"\} [1-9]/);
    expect(metrics).toMatch(/proofgate_upstream_ttfb_seconds_count\{provider="openai"\} [1-9]/);
  });
});

describe("upstream unreachable", () => {
  it("502 in the caller's protocol with x-should-retry, counted and captured", async () => {
    const res = await fetch(`${down.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${devKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] }),
    });
    expect(res.status).toBe(502);
    expect(res.headers.get("x-should-retry")).toBe("true");
    const body = (await res.json()) as any;
    expect(body.error).toMatchObject({ type: "api_error", code: "upstream_unreachable" });
    expect(body.error.message).toMatch(/OpenAI upstream could not be reached \(ECONNREFUSED\)/);
    const [capture] = await down.sink.waitFor(1);
    expect(capture).toMatchObject({ status: 502, response: null, error: body.error.message, ttfbMs: null });
    expect(capture!.id).toBe(body.request_id);
    const metrics = await (await fetch(`${down.url}/metrics`)).text();
    expect(metrics).toContain('proofgate_upstream_errors_total{provider="openai",kind="unreachable"} 1');
    const line = down.logs.map((l) => JSON.parse(l)).find((l) => l.reqId === body.request_id);
    expect(line).toMatchObject({ status: 502, error: "upstream_unreachable", endpoint: "chat.completions" });
  });

  it("the OpenAI SDK retries a 502 and then reports it", async () => {
    const openai = new OpenAI({ baseURL: `${down.url}/v1`, apiKey: devKey, maxRetries: 1, timeout: 5_000 });
    const seenBefore = down.sink.records.length;
    await expect(openai.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 502 });
    await down.sink.waitFor(seenBefore + 2);
  });
});

describe("admin API guard", () => {
  it("503 when no admin token is configured", async () => {
    const res = await fetch(`${noAdmin.url}/api/prompts`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error.message).toMatch(/PROOFGATE_ADMIN_TOKEN/);
    expect(res.headers.get("x-should-retry")).toBe("false");
  });

  it("401 for a wrong token, and a client key is not an admin token", async () => {
    for (const token of ["wrong-token-wrong-token", devKey]) {
      const res = await fetch(`${h.url}/api/prompts`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
    }
  });

  it("503 with the right token when the app has no database", async () => {
    const res = await fetch(`${h.url}/api/prompts`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error.code).toBe("no_database");
  });
});

describe("key store down", () => {
  it("503 with x-should-retry when a key cannot be checked, never a 500", async () => {
    const broken = await startHarness({ keys: { verify: () => Promise.reject(new Error("connection refused")) } });
    try {
      const res = await fetch(`${broken.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer some-created-key-0002", "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("x-should-retry")).toBe("true");
      expect(((await res.json()) as any).error.code).toBe("key_check_unavailable");
    } finally {
      await broken.close();
    }
  });
});

describe("client goes away", () => {
  it("closing a stream early stops the upstream read and captures what came", async () => {
    const controller = new AbortController();
    const res = await fetch(`${h.url}/v1/messages`, {
      method: "POST",
      signal: controller.signal,
      headers: { "x-api-key": devKey, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "claude-haiku-4-5", max_tokens: 5, stream: true, messages: [{ role: "user", content: "Hi" }] }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    const records = await h.sink.waitFor(h.sink.records.length + 1);
    const capture = records.find((r) => r.requestedModel === "claude-haiku-4-5")!;
    expect(capture.error).toMatch(/client closed/);
    expect(capture.status).toBe(200);
  });
});
