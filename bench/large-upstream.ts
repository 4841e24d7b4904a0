import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An upstream for bench/large-bodies.ts: reads and discards whatever body it is sent, then answers a short
 * chat completion; a request whose model is `reply-<N>mb` gets an SSE stream of about N MB instead, written
 * as fast as the connection takes it. Prints `ready <port>`.
 */
const completion = JSON.stringify({
  id: "chatcmpl-large",
  object: "chat.completion",
  created: 1_760_000_000,
  model: "gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content: "Read it all.", refusal: null }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 8_000_000, completion_tokens: 4, total_tokens: 8_000_004 },
});
const event = (content: string, finish: string | null) =>
  `data: ${JSON.stringify({ id: "chatcmpl-large", object: "chat.completion.chunk", created: 1_760_000_000, model: "gpt-4o-mini", choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;
const piece = Buffer.from(event("lorem ipsum dolor sit amet ".repeat(2_400), null));

const server = createServer((req, res) => {
  let head = "";
  req.on("data", (chunk: Buffer) => {
    if (head.length < 256) head += chunk.subarray(0, 256).toString("latin1");
  });
  req.on("end", () => {
    const mb = /"model":"reply-(\d+)mb"/.exec(head)?.[1];
    if (!mb) {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(completion.length), "x-request-id": "req_large" });
      res.end(completion);
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req_large" });
    let left = Math.ceil((Number(mb) * 1024 * 1024) / piece.length);
    const write = () => {
      while (left > 0) {
        left--;
        if (!res.write(piece)) return void res.once("drain", write);
      }
      res.end(event("", "stop") + "data: [DONE]\n\n");
    };
    write();
  });
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`ready ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => process.exit(0));
