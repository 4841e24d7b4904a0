import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callUpstream, classifyUpstreamError, UpstreamCancelled, Upstreams, wireOf } from "../src/index.ts";

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let upstreams: Upstreams;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (req.url === "/slow/v1/messages") return; // never answers: the caller cancels
      const body = gzipSync(JSON.stringify({ error: { message: "slow down" } }));
      res.writeHead(429, { "content-type": "application/json", "content-encoding": "gzip", "retry-after": "2" });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  upstreams = new Upstreams({
    openaiUrl: `http://127.0.0.1:${port}/v1`,
    anthropicUrl: `http://127.0.0.1:${port}`,
    openaiKey: "sk-oai",
    anthropicKey: "sk-ant",
    timeoutMs: 5_000,
    connections: 2,
  });
});

afterAll(async () => {
  await upstreams.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("callUpstream", () => {
  it("calls the wire's path with the server's key and required headers, and hands back the decoded reply whatever its status", async () => {
    const reply = await callUpstream(upstreams, wireOf("messages"), { body: { model: "claude", messages: [] }, headers: { "x-replay": "4" } });
    expect(reply.status).toBe(429);
    expect(JSON.parse(reply.text)).toEqual({ error: { message: "slow down" } });
    expect(reply.headers["retry-after"]).toBe("2");
    expect(reply.latencyMs).toBeGreaterThan(0);
    const call = seen.at(-1)!;
    expect(call.path).toBe("/v1/messages");
    expect(call.headers).toMatchObject({
      "x-api-key": "sk-ant",
      "anthropic-version": "2023-06-01",
      "content-type": "application/json",
      "x-replay": "4",
    });
    expect(call.headers["authorization"]).toBeUndefined();
    expect(JSON.parse(call.body)).toEqual({ model: "claude", messages: [] });
  });

  it("carries OpenAI's key as a bearer token and no Anthropic version", async () => {
    await callUpstream(upstreams, wireOf("chat.completions"), { body: { model: "gpt" } });
    const call = seen.at(-1)!;
    expect(call.path).toBe("/v1/chat/completions");
    expect(call.headers["authorization"]).toBe("Bearer sk-oai");
    expect(call.headers["anthropic-version"]).toBeUndefined();
  });
});

describe("cancelling a call", () => {
  it("is classified as aborted when cancelled with UpstreamCancelled, by class", async () => {
    const { port } = server.address() as AddressInfo;
    const slow = new Upstreams({
      openaiUrl: `http://127.0.0.1:${port}/v1`,
      anthropicUrl: `http://127.0.0.1:${port}/slow`,
      timeoutMs: 5_000,
      connections: 1,
    });
    const aborter = new AbortController();
    const pending = callUpstream(slow, wireOf("messages"), { body: { model: "claude" }, signal: aborter.signal });
    while (!seen.some((s) => s.path === "/slow/v1/messages")) await new Promise((resolve) => setImmediate(resolve));
    aborter.abort(new UpstreamCancelled("the client closed the connection"));
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamCancelled);
    expect(classifyUpstreamError(error)).toBe("aborted");
    await slow.close();
  });

  it("reads an abort by its DOMException code and a cancellation by its class, whatever their names", () => {
    const renamed = new UpstreamCancelled("gone");
    renamed.name = "Whatever";
    expect(classifyUpstreamError(renamed)).toBe("aborted");
    expect(classifyUpstreamError(new DOMException("stopped", "AbortError"))).toBe("aborted");
    expect(classifyUpstreamError(new Error("socket hang up"))).toBe("unreachable");
    expect(classifyUpstreamError(Object.assign(new Error("slow"), { code: "UND_ERR_HEADERS_TIMEOUT" }))).toBe("timeout");
  });
});
