import { generateTraffic, type Scenario } from "@proofgate/simulator";
import OpenAI from "openai";

export interface SentTraffic {
  /** Prompt name (the x-proofgate-prompt header) to the prompt id proofgate resolved. */
  promptIds: Map<string, string>;
  sent: number;
  failed: number;
}

/**
 * Realistic client traffic through the official OpenAI SDK, as an application would send it: each
 * prompt's requests from the simulator's generator, interleaved across prompts, a few in flight at once.
 */
export async function sendTraffic(o: {
  baseUrl: string;
  apiKey: string;
  scenario: Scenario;
  prompts: readonly { prompt: string; family: string }[];
  perPrompt: number;
  seed: number;
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}): Promise<SentTraffic> {
  const lists = o.prompts.map((p) => ({ prompt: p.prompt, requests: generateTraffic({ scenario: o.scenario, family: p.family, n: o.perPrompt, seed: o.seed }) }));
  const queue = Array.from({ length: o.perPrompt }, (_, i) => lists.map((l) => ({ prompt: l.prompt, body: l.requests[i]!.body }))).flat();
  const client = new OpenAI({ baseURL: `${o.baseUrl}/v1`, apiKey: o.apiKey, maxRetries: 2 });
  const result: SentTraffic = { promptIds: new Map(), sent: 0, failed: 0 };
  let next = 0;
  const worker = async () => {
    for (let item = queue[next++]; item; item = queue[next++]) {
      try {
        const { response } = await client.chat.completions
          .create(item.body as OpenAI.ChatCompletionCreateParamsNonStreaming, { headers: { "x-proofgate-prompt": item.prompt } })
          .withResponse();
        const id = response.headers.get("x-proofgate-prompt");
        if (id) result.promptIds.set(item.prompt, id);
        result.sent++;
      } catch {
        result.failed++;
      }
      o.onProgress?.(result.sent + result.failed, queue.length);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return result;
}
