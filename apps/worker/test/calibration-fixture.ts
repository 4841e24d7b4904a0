import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { fileSchema, type FileConfig } from "@proofgate/config";
import { insertCaptureBatch, type CaptureRecord, type Db } from "@proofgate/db";
import { PriceBook, Upstreams } from "@proofgate/providers";
import { generateTraffic, loadScenario, startSimulator, type Scenario, type Simulator } from "@proofgate/simulator";

/** A UUID-shaped id from a name, so the same seeded traffic gives the same captures and the same sample. */
function stableUuid(name: string): string {
  const h = createHash("sha256").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function scenarioPath(name: string): string {
  return fileURLToPath(new URL(`../../../fixtures/scenarios/${name}.json`, import.meta.url));
}

/** proofgate.config.json for a scenario: its models and prices, its candidates, small batches. */
export function configFor(scenario: Scenario, budgets: { maxPairs: number; batchSize: number; maxCostUsd?: number }): FileConfig {
  const models = Object.fromEntries(
    scenario.models.map((m) => [m.name, { provider: m.provider, inputPerMTok: m.price?.input ?? 0, outputPerMTok: m.price?.output ?? 0 }]),
  );
  return fileSchema.parse({
    models,
    candidates: { [scenario.baseline ?? ""]: scenario.candidates },
    margins: scenario.margins,
    budgets: { maxCostUsd: 1_000, ...budgets },
  });
}

export interface SimulatedUpstream {
  simulator: Simulator;
  scenario: Scenario;
  upstreams: Upstreams;
  prices: PriceBook;
  close(): Promise<void>;
}

export async function simulatedUpstream(name: string, seed = 1): Promise<SimulatedUpstream> {
  const scenario = loadScenario(scenarioPath(name));
  const simulator = await startSimulator({ scenario, seed, latency: false });
  const upstreams = new Upstreams({
    openaiUrl: `${simulator.url}/v1`,
    anthropicUrl: simulator.url,
    openaiKey: "sk-test",
    anthropicKey: "sk-ant-test",
    timeoutMs: 30_000,
    connections: 16,
  });
  const prices = new PriceBook(
    Object.fromEntries(scenario.models.map((m) => [m.name, { inputPerMTok: m.price?.input ?? 0, outputPerMTok: m.price?.output ?? 0 }])),
  );
  return {
    simulator,
    scenario,
    upstreams,
    prices,
    close: async () => {
      await upstreams.close();
      await simulator.close();
    },
  };
}

/**
 * Production traffic for one family, answered by the simulated baseline and stored as captures, as the
 * proxy would have stored them (one capture a minute, so they spread over hours).
 */
export async function seedCaptures(
  db: Db,
  upstream: SimulatedUpstream,
  family: string,
  n: number,
  options: { promptId?: string; seed?: number } = {},
): Promise<CaptureRecord[]> {
  const { promptId = family, seed = 7 } = options;
  const traffic = generateTraffic({ scenario: upstream.scenario, family, n, seed });
  const start = Date.now() - n * 60_000;
  const records: CaptureRecord[] = [];
  for (const [i, request] of traffic.entries()) {
    const response = await fetch(`${upstream.simulator.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request.body),
    });
    const body = (await response.json()) as {
      choices: { message: { content: string | null } }[];
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    records.push({
      id: stableUuid(`${promptId}/${seed}/${i}`),
      promptId,
      promptName: promptId,
      fingerprint: promptId,
      template: family,
      endpoint: "chat.completions",
      provider: "openai",
      stream: false,
      requestedModel: request.model,
      servedModel: request.model,
      route: "baseline",
      status: response.status,
      request: request.body,
      response: body,
      outputText: body.choices[0]?.message.content ?? null,
      toolCalls: null,
      error: null,
      inputTokens: body.usage.prompt_tokens,
      outputTokens: body.usage.completion_tokens,
      costUsd: null,
      latencyMs: 10,
      ttfbMs: null,
      clientKeyId: null,
      upstreamRequestId: null,
      createdAt: new Date(start + i * 60_000),
    });
  }
  await insertCaptureBatch(db, records);
  return records;
}
