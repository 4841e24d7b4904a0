import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpError } from "../../src/http/errors.ts";
import { InFlightBudget, KeptReply } from "../../src/proxy/in-flight.ts";
import { devKey, startHarness, type Harness } from "./harness.ts";

const MB = 1024 * 1024;

describe("the in-flight budget", () => {
  it("lets in what fits at once, queues the rest first-fit, and gives a waiter its share when bytes come back", async () => {
    const budget = new InFlightBudget(100, 5_000);
    const a = budget.acquire(60);
    expect(a).not.toBeInstanceOf(Promise);
    const big = budget.acquire(50) as Promise<unknown>;
    expect(big).toBeInstanceOf(Promise);
    // A small one does not queue behind the large one that waits.
    expect(budget.acquire(30)).not.toBeInstanceOf(Promise);
    expect(budget.used).toBe(90);
    (a as Exclude<typeof a, Promise<unknown>>).release();
    await big;
    expect(budget.used).toBe(80);
    expect(budget.peak).toBe(90);
  });

  it("503 with retry advice after the wait; a body larger than the whole budget is let in alone", async () => {
    const budget = new InFlightBudget(100, 20);
    const held = budget.acquire(90);
    const refused = await Promise.resolve(budget.acquire(20)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ status: 503, code: "in_flight_limit", retry: true, retryAfterSeconds: 1 });
    (held as Exclude<typeof held, Promise<unknown>>).release();
    const huge = budget.acquire(500);
    expect(huge).not.toBeInstanceOf(Promise);
    expect(budget.used).toBe(500);
    (huge as Exclude<typeof huge, Promise<unknown>>).release();
    (huge as Exclude<typeof huge, Promise<unknown>>).release();
    expect(budget.used).toBe(0);
  });

  it("a kept reply past its limit, or past the budget, is let go and says why", () => {
    const budget = new InFlightBudget(100, 20);
    const reservation = budget.acquire(10) as Exclude<ReturnType<InFlightBudget["acquire"]>, Promise<unknown>>;
    const kept = new KeptReply(reservation, 50);
    kept.add(Buffer.alloc(30));
    expect(budget.used).toBe(40);
    kept.add(Buffer.alloc(30));
    expect(kept).toMatchObject({ chunks: [], bytes: 0, dropped: expect.stringMatching(/larger than limits.captureReplyBytes \(50 bytes\)/) });
    expect(budget.used).toBe(10);
    budget.acquire(85);
    const crowded = new KeptReply(reservation, 50);
    crowded.add(Buffer.alloc(10));
    expect(crowded.dropped).toMatch(/did not fit in the in-flight budget/);
    expect(budget.used).toBe(95);
  });
});

describe("large bodies through the proxy", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ file: { upstream: { timeoutMs: 5_000 }, limits: { inFlightBytes: 40 * MB, inFlightWaitMs: 10_000, captureReplyBytes: 256 } } });
  });
  afterAll(async () => {
    await h.close();
  });

  async function metric(name: string): Promise<number> {
    const text = await (await fetch(`${h.url}/metrics`)).text();
    return Number(new RegExp(`^${name} ([\\d.e+-]+)$`, "m").exec(text)?.[1] ?? NaN);
  }

  it("4 concurrent 31 MB requests with a 40 MB budget: each is served or refused with 503, and the budget is never exceeded", async () => {
    const text = "x".repeat(31 * MB);
    const body = Buffer.from(JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: text }] }));
    const sent = h.sink.records.length;
    const statuses = await Promise.all(
      Array.from({ length: 4 }, () => fetch(`${h.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${devKey}`, "content-type": "application/json" }, body }).then(async (res) => (await res.arrayBuffer(), res.status))),
    );
    for (const status of statuses) expect([200, 503]).toContain(status);
    expect(statuses).toContain(200);
    expect(await metric("proofgate_inflight_budget_bytes")).toBe(40 * MB);
    const peak = await metric("proofgate_inflight_bytes_peak");
    expect(peak).toBeGreaterThanOrEqual(body.length);
    expect(peak).toBeLessThanOrEqual(40 * MB);
    // Only one of them fitted at a time, so the others waited; once all are captured, nothing is held.
    expect(await metric("proofgate_inflight_waits_total")).toBeGreaterThanOrEqual(1);
    const captured = await h.sink.waitFor(sent + statuses.filter((s) => s === 200).length, 10_000);
    expect(captured.at(-1)!.request).toMatchObject({ model: "gpt-4o-mini" });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await metric("proofgate_inflight_bytes")).toBe(0);
  });

  it("a request that cannot get its share waits unread, then gets 503 with retry-after in its caller's shape", async () => {
    const small = await startHarness({ file: { limits: { inFlightBytes: 1 * MB, inFlightWaitMs: 100 } } });
    try {
      // Declares 900 KB and sends none of it yet: its share is reserved while proofgate waits to read it.
      const holder = request(`${small.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${devKey}`, "content-type": "application/json", "content-length": String(900 * 1024) } });
      holder.on("error", () => {});
      holder.flushHeaders();
      const metrics = () => fetch(`${small.url}/metrics`).then((r) => r.text());
      while (!/^proofgate_inflight_bytes 921600$/m.test(await metrics())) await new Promise((resolve) => setTimeout(resolve, 10));
      const payload = JSON.stringify({ model: "claude-haiku-4-5", max_tokens: 5, messages: [{ role: "user", content: "y".repeat(400 * 1024) }] });
      const res = await fetch(`${small.url}/v1/messages`, { method: "POST", headers: { "x-api-key": devKey, "content-type": "application/json" }, body: payload });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("1");
      expect(res.headers.get("x-should-retry")).toBe("true");
      expect(await res.json()).toMatchObject({ type: "error", error: { type: "api_error", message: expect.stringMatching(/limits.inFlightBytes/) } });
      // Without a content-length the body is reserved chunk by chunk: the same wait, the same answer.
      const chunked = await new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
        const req = request(`${small.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${devKey}`, "content-type": "application/json" } }, (r) => {
          r.resume();
          resolve({ status: r.statusCode!, retryAfter: r.headers["retry-after"] as string | undefined });
        });
        req.on("error", reject);
        req.write(JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "z".repeat(200 * 1024) }] }));
        req.end();
      });
      expect(chunked).toEqual({ status: 503, retryAfter: "1" });
      expect(small.upstream.seen).toHaveLength(0);
      holder.destroy();
    } finally {
      await small.close();
    }
  });

  it("a reply larger than limits.captureReplyBytes reaches the client whole and is captured without its body, saying why", async () => {
    const sent = h.sink.records.length;
    const res = await fetch(`${h.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${devKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }], stream: true }),
    });
    const text = await res.text();
    expect(text).toContain("data: [DONE]");
    expect(text.length).toBeGreaterThan(256);
    const [capture] = (await h.sink.waitFor(sent + 1)).slice(sent);
    expect(capture).toMatchObject({ status: 200, response: null, outputText: null, error: expect.stringMatching(/larger than limits.captureReplyBytes \(256 bytes\): relayed in full, captured without its body/) });
    expect(capture!.request).toMatchObject({ model: "gpt-4o-mini" });
  });
});
