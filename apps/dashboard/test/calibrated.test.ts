import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { ServerType } from "@hono/node-server";
import { fileSchema } from "@proofgate/config";
import { getCalibration, type CaptureRecord, type Database } from "@proofgate/db";
import { PriceBook, Upstreams } from "@proofgate/providers";
import { InProcessDriver } from "@proofgate/queue";
import { generateTraffic, loadScenario, startSimulator, type Scenario, type Simulator } from "@proofgate/simulator";
import { calibrationProcessors, startCalibration, startWorkers, type CalibrationDeps, type RunningWorkers } from "@proofgate/worker";
import { Hono } from "hono";
import type { Browser } from "playwright-core";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard } from "../src/index.ts";
import { close, LAPTOP, launchChromium, listen, PHONE, shoot, signIn } from "./browser-helpers.ts";
import { ADMIN_TOKEN, capture, insertCaptures, setupDatabase } from "./helpers.ts";

// Calibrations run for real: captured traffic answered by the simulator, replayed and judged by the worker
// on the in-process queue, decided by the parity engine. The dashboard then shows what Postgres holds.

const FAMILY = "ticket-triage";
const silent = pino({ level: "silent" });

interface Upstream {
  scenario: Scenario;
  simulator: Simulator;
  deps: CalibrationDeps;
  close(): Promise<void>;
}

async function upstreamFor(name: string, db: Database["db"]): Promise<Upstream> {
  const scenario = loadScenario(fileURLToPath(new URL(`../../../fixtures/scenarios/${name}.json`, import.meta.url)));
  const simulator = await startSimulator({ scenario, seed: 1, latency: false });
  const upstreams = new Upstreams({ openaiUrl: `${simulator.url}/v1`, anthropicUrl: simulator.url, openaiKey: "sk-test", anthropicKey: "sk-ant-test", timeoutMs: 30_000, connections: 16 });
  const prices = Object.fromEntries(scenario.models.map((m) => [m.name, { inputPerMTok: m.price?.input ?? 0, outputPerMTok: m.price?.output ?? 0 }]));
  const config = fileSchema.parse({
    models: Object.fromEntries(scenario.models.map((m) => [m.name, { provider: m.provider, ...prices[m.name] }])),
    candidates: { [scenario.baseline ?? ""]: scenario.candidates },
    margins: scenario.margins,
    budgets: { maxPairs: 400, batchSize: 25, maxCostUsd: 1_000 },
  });
  const queue = new InProcessDriver({
    config: {
      replay: { concurrency: 8, limiter: undefined, groupLimit: undefined, backoff: { delayMs: 20, maxDelayMs: 200 } },
      judge: { concurrency: 8, limiter: undefined, groupLimit: undefined, backoff: { delayMs: 20, maxDelayMs: 200 } },
      evaluate: { backoff: { delayMs: 20, maxDelayMs: 200 } },
    },
  });
  return {
    scenario,
    simulator,
    deps: { db, queue, upstreams, prices: new PriceBook(prices), config },
    async close() {
      await upstreams.close();
      await simulator.close();
    },
  };
}

/** A UUID-shaped id from a name: the same traffic gives the same captures, hence the same sample and verdict. */
function stableUuid(name: string): string {
  const h = createHash("sha256").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Production traffic as the proxy would have captured it: answered by the simulated baseline, a minute apart. */
async function seedTraffic(database: Database, upstream: Upstream, promptId: string, n: number): Promise<void> {
  const traffic = generateTraffic({ scenario: upstream.scenario, family: FAMILY, n, seed: 7 });
  const start = Date.now() - n * 60_000;
  const records: CaptureRecord[] = [];
  for (const [i, request] of traffic.entries()) {
    const response = await fetch(`${upstream.simulator.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request.body),
    });
    const body = (await response.json()) as { choices: { message: { content: string | null } }[]; usage: { prompt_tokens: number; completion_tokens: number } };
    records.push(
      capture({
        id: stableUuid(`${promptId}/7/${i}`),
        promptId,
        promptName: promptId,
        template: `[user]\n${FAMILY}: ‹…›`,
        requestedModel: request.model,
        servedModel: request.model,
        request: request.body,
        response: body,
        outputText: body.choices[0]?.message.content ?? null,
        inputTokens: body.usage.prompt_tokens,
        outputTokens: body.usage.completion_tokens,
        costUsd: (body.usage.prompt_tokens * 2.5 + body.usage.completion_tokens * 10) / 1e6,
        createdAt: new Date(start + i * 60_000),
      }),
    );
  }
  await insertCaptures(database, records);
}

async function finished(db: Database["db"], id: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await getCalibration(db, id))?.status === "running") {
    if (Date.now() > deadline) throw new Error(`calibration ${id} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let setup: Awaited<ReturnType<typeof setupDatabase>>;
let safe: Upstream;
let unsafe: Upstream;
let unsafeWorkers: RunningWorkers | undefined;
let server: ServerType;
let base: string;
let browser: Browser;

beforeAll(async () => {
  setup = await setupDatabase();
  const db = setup.database.db;
  [safe, unsafe] = await Promise.all([upstreamFor("safe-candidate", db), upstreamFor("unsafe-candidate", db)]);
  await seedTraffic(setup.database, safe, "safe/ticket-triage", 400);
  await seedTraffic(setup.database, unsafe, "unsafe/ticket-triage", 400);

  const workers = startWorkers({ driver: safe.deps.queue, processors: calibrationProcessors(safe.deps), logger: silent });
  try {
    const calibration = await startCalibration(safe.deps, { promptId: "safe/ticket-triage", seed: 11 });
    await finished(db, calibration.id);
  } finally {
    await workers.close(5_000);
  }
  // A prompt whose baseline has no candidate configured: starting its calibration is refused.
  await insertCaptures(setup.database, [capture({ promptId: "no-candidate", promptName: "no-candidate", requestedModel: "o3", servedModel: "o3" })]);

  // The unsafe prompt's calibration is started from the page; no worker runs for it until the test starts
  // one, so its progress can be watched.
  const start = async (promptId: string) => {
    const deps = promptId.startsWith("unsafe/") ? unsafe.deps : safe.deps;
    return startCalibration(deps, { promptId, seed: 11 });
  };
  const app = new Hono();
  app.route("/", createDashboard({ db, adminToken: ADMIN_TOKEN, startCalibration: start }));
  ({ server, url: base } = await listen(app));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await unsafeWorkers?.close(5_000);
  await browser?.close();
  await close(server);
  await safe?.close();
  await unsafe?.close();
  await setup?.close();
});

describe("calibrations on the simulator, read in the dashboard", () => {
  it("shows a passing candidate, its projected savings and its report", async () => {
    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    await signIn(page, base, ADMIN_TOKEN);
    const rowOf = (name: string) => page.locator("tbody tr").filter({ has: page.getByRole("link", { name, exact: true }) });
    const row = rowOf("safe/ticket-triage");
    expect(await row.locator(".verdict").textContent()).toBe("pass");
    expect(await row.locator('[data-label="Projected savings"]').textContent()).toMatch(/\$[\d,.]+\/month/);
    expect(await rowOf("unsafe/ticket-triage").textContent()).toContain("no calibration yet");
    await shoot(page, "prompts-calibrated");

    await row.getByRole("link", { name: "gpt-4o-mini" }).click();
    await page.getByRole("heading", { name: /gpt-4o-mini/, level: 1 }).waitFor();
    expect(await page.locator(".verdict-words").textContent()).toContain("Safe to switch.");
    expect(await page.locator("svg.axis-chart").count()).toBeGreaterThan(0);
    expect(await page.locator("main").textContent()).toContain("Switching routes is not available in this version");
    await shoot(page, "report-pass");
    await context.close();
  });

  it("starts a calibration from the prompt page, shows its progress, then its verdict arriving without a reload", async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await signIn(page, base, ADMIN_TOKEN);
    await page.goto(`${base}/prompts/${encodeURIComponent("unsafe/ticket-triage")}`);
    expect(await page.locator("main").textContent()).toContain("No calibration yet.");
    await page.getByRole("button", { name: "Start a calibration" }).click();
    await page.getByRole("status").filter({ hasText: "Calibration started" }).waitFor();
    const history = page.locator("#calibrations");
    expect(await history.locator("h3").first().textContent()).toContain("Running");
    // One calibration at a time: the button is gone while this one runs.
    expect(await page.getByRole("button", { name: "Start a calibration" }).count()).toBe(0);
    expect(await history.locator("progress").count()).toBe(1);
    await shoot(page, "calibration-running");

    unsafeWorkers = startWorkers({ driver: unsafe.deps.queue, processors: calibrationProcessors(unsafe.deps), logger: silent });
    await history.locator("h3", { hasText: "Finished" }).waitFor({ timeout: 90_000 });
    expect(await history.locator(".verdict").first().textContent()).toBe("fail");
    await shoot(page, "calibration-finished");

    // The region stops refreshing once nothing in it runs, so what is read and clicked stays put.
    expect(await history.getAttribute("data-refresh")).toBeNull();
    const candidate = unsafe.scenario.candidates?.[0] ?? "";
    await history.getByRole("link", { name: candidate }).click();
    expect(await page.locator(".verdict-words").textContent()).toContain("Not safe to switch.");
    const examples = page.locator(".example");
    expect(await examples.count()).toBeGreaterThan(0);
    expect(await examples.first().textContent()).toMatch(/judge, baseline's answer shown first: .+ candidate's answer shown\s+first: /);
    await shoot(page, "report-fail-phone");
    await context.close();
  });

  it("says why a calibration could not be started", async () => {
    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    await signIn(page, base, ADMIN_TOKEN);
    await page.goto(`${base}/prompts/no-candidate`);
    await page.getByRole("button", { name: "Start a calibration" }).click();
    expect(await page.getByRole("alert").textContent()).toBe("The calibration was not started: no candidate configured for o3.");
    await context.close();
  });
});
