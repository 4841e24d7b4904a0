import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An OpenAI-compatible chat upstream that answers after a short delay and stamps each answer with its
 * own x-request-id, so a test can check that every call the upstream served was captured.
 */
export async function startChatUpstream(delayMs = 10) {
  const served: string[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { model?: string };
      const id = `up-${++n}`;
      setTimeout(() => {
        const text = JSON.stringify({
          id: `chatcmpl-${n}`, object: "chat.completion", created: 1_760_000_000, model: body.model ?? "gpt-4o-mini",
          choices: [{ index: 0, message: { role: "assistant", content: "billing", refusal: null }, logprobs: null, finish_reason: "stop" }],
          usage: { prompt_tokens: 20, completion_tokens: 1, total_tokens: 21 },
        });
        res.writeHead(200, { "content-type": "application/json", "x-request-id": id });
        res.end(text);
        served.push(id);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    served,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A chat request from one template with varying input, as a client application sends it. */
export function chatRequest(i: number) {
  return {
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: "Classify the support ticket into billing, technical or account." },
      { role: "user", content: `Ticket #${1000 + i}\nFrom: user${i}@example.com\n\nMessage:\nI was charged ${i} times this month.` },
    ],
  };
}
