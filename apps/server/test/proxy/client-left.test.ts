import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { CaptureRecord } from "@proofgate/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActiveRoute, RouteTable } from "../../src/proxy/route-table.ts";
import { devKey, startHarness, type Harness } from "./harness.ts";

/**
 * A client that leaves early is the client's doing: its capture says so, and the upstream error metric
 * (which operators are paged on) does not move. An upstream that breaks off is still counted.
 */

// "<candidate>-routed" is a switched prompt served by <candidate> on the same wire; text streams pass as they come.
const routes: RouteTable = {
  resolve(promptId, requestedModel) {
    if (!requestedModel.endsWith("-routed")) return { route: "baseline", model: requestedModel };
    const candidateModel = requestedModel.slice(0, -"-routed".length);
    const routed: ActiveRoute = {
      promptId, version: 1, baselineModel: requestedModel, candidateModel, candidateProvider: "openai",
      check: () => ({ ok: true, violations: [] }), json: false, timeoutMs: 5_000, report: () => {},
    };
    return { route: "candidate", model: candidateModel, routed };
  },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ routes, file: { upstream: { timeoutMs: 10_000 } } });
});
afterAll(async () => {
  await h.close();
});

async function streamErrors(): Promise<number> {
  const text = await (await fetch(`${h.url}/metrics`)).text();
  const match = /^proofgate_upstream_errors_total\{provider="openai",kind="stream"\} (\d+)$/m.exec(text);
  return match ? Number(match[1]) : 0;
}

async function captureOf(id: string): Promise<CaptureRecord> {
  for (;;) {
    const found = h.sink.records.find((r) => r.id === id);
    if (found) return found;
    await h.sink.waitFor(h.sink.records.length + 1);
  }
}

/** Sends a chat request, reads the head (and the first body bytes when `readFirst`), then goes away. */
async function leaveEarly(model: string, stream: boolean, readFirst = true): Promise<string> {
  const controller = new AbortController();
  const res = await fetch(`${h.url}/v1/chat/completions`, {
    method: "POST",
    signal: controller.signal,
    headers: { authorization: `Bearer ${devKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "Hi" }] }),
  });
  const id = res.headers.get("x-proofgate-request-id")!;
  if (readFirst) await res.body!.getReader().read();
  controller.abort();
  return id;
}

const clientLeft = "the client closed the connection before the response ended";

describe("the client leaves mid-response", () => {
  it("baseline stream: captured as the client leaving, not counted as an upstream failure", async () => {
    const before = await streamErrors();
    const capture = await captureOf(await leaveEarly("upstream-drip", true));
    expect(capture).toMatchObject({ status: 200, error: clientLeft, outputText: "first" });
    expect(await streamErrors()).toBe(before);
  });

  it("baseline, not streamed: the same, with half the body read", async () => {
    const before = await streamErrors();
    const capture = await captureOf(await leaveEarly("upstream-slow-body", false));
    expect(capture).toMatchObject({ status: 200, error: clientLeft });
    expect(await streamErrors()).toBe(before);
  });

  it("routed stream: the same", async () => {
    const before = await streamErrors();
    const capture = await captureOf(await leaveEarly("upstream-drip-routed", true));
    expect(capture).toMatchObject({ route: "candidate", status: 200, error: clientLeft });
    expect(await streamErrors()).toBe(before);
  });

  it("before any answer, baseline and routed: 499 and the client's doing", async () => {
    const before = await streamErrors();
    for (const [model, words] of [["upstream-slow", "upstream"], ["upstream-slow-routed", "candidate"]] as const) {
      const controller = new AbortController();
      const seen = h.upstream.seen.length;
      const sent = fetch(`${h.url}/v1/chat/completions`, {
        method: "POST",
        signal: controller.signal,
        headers: { authorization: `Bearer ${devKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "Hi" }] }),
      }).catch(() => null);
      while (h.upstream.seen.length === seen) await new Promise((r) => setTimeout(r, 5));
      const count = h.sink.records.length;
      controller.abort();
      await sent;
      const [capture] = (await h.sink.waitFor(count + 1)).slice(count);
      expect(capture).toMatchObject({ status: 499, error: `the client closed the connection before the ${words} answered` });
    }
    expect(await streamErrors()).toBe(before);
  });
});

describe("a client that stops reading, then leaves", () => {
  it("routed stream: captured, not left waiting for a drain that never comes", async () => {
    // An upstream that streams until its socket is full, then says so: proofgate has stopped reading it
    // because the client stopped reading proofgate.
    let full!: () => void;
    const blocked = new Promise<void>((resolve) => (full = resolve));
    const flood = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        const event = `data: ${JSON.stringify({ id: "f", object: "chat.completion.chunk", created: 1, model: "flood", choices: [{ index: 0, delta: { content: "x".repeat(16_000) }, finish_reason: null }] })}\n\n`;
        const write = () => {
          while (res.write(event));
          full();
        };
        write();
      });
    });
    await new Promise<void>((resolve) => flood.listen(0, "127.0.0.1", resolve));
    const other = await startHarness({ routes, env: { OPENAI_UPSTREAM_URL: `http://127.0.0.1:${(flood.address() as AddressInfo).port}/v1` } });
    try {
      const controller = new AbortController();
      const res = await fetch(`${other.url}/v1/chat/completions`, {
        method: "POST",
        signal: controller.signal,
        headers: { authorization: `Bearer ${devKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "flood-routed", stream: true, messages: [{ role: "user", content: "Hi" }] }),
      });
      await res.body!.getReader().read();
      await blocked;
      controller.abort();
      const [capture] = await other.sink.waitFor(1, 5_000);
      expect(capture).toMatchObject({ route: "candidate", error: clientLeft });
    } finally {
      flood.closeAllConnections();
      flood.close();
      await other.close();
    }
  });
});

describe("the upstream breaks off mid-stream", () => {
  it("is still counted, baseline and routed, and the capture says the upstream broke off", async () => {
    for (const model of ["upstream-break", "upstream-break-routed"]) {
      const before = await streamErrors();
      const res = await fetch(`${h.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${devKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "Hi" }] }),
      });
      const id = res.headers.get("x-proofgate-request-id")!;
      await res.text().catch(() => "");
      const capture = await captureOf(id);
      expect(capture.error).toMatch(/broke off/);
      expect(await streamErrors()).toBe(before + 1);
    }
  });
});
