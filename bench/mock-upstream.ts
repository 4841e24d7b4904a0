import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The fastest upstream we can make: a fixed chat completion (non-streamed), or a short SSE stream whose
 * first event leaves with the head and whose rest follows a few milliseconds later, like a model's tokens.
 * Prints its port on stdout. Used by `pnpm bench:proxy` and the soak script, never by tests.
 */
const completion = Buffer.from(
  JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 1_760_000_000,
    model: "gpt-4o-mini",
    choices: [{ index: 0, message: { role: "assistant", content: "The answer is 42, as always.", refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 48, completion_tokens: 9, total_tokens: 57 },
  }),
);
const chunk = (content: string, finish: string | null) =>
  `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_760_000_000, model: "gpt-4o-mini", choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;
const streamTail = ["The", " answer", " is", " 42."].map((t) => chunk(t, null)).join("") + chunk("", "stop") + "data: [DONE]\n\n";
const headers = { "content-type": "application/json", "content-length": String(completion.length), "x-request-id": "req_bench", "x-ratelimit-remaining-requests": "9999" };

const server = createServer((req, res) => {
  let stream = false;
  req.on("data", (c: Buffer) => {
    // The bench's stream requests say so near the start of the body; no JSON parse, to keep the mock cheap.
    if (!stream && c.includes('"stream":true')) stream = true;
  });
  req.on("end", () => {
    if (!stream) {
      res.writeHead(200, headers);
      res.end(completion);
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req_bench" });
    res.write(chunk("", null));
    setTimeout(() => res.end(streamTail), 5);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`ready ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => process.exit(0));
