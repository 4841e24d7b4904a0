import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fileSchema } from "@proofgate/config";
import { getCalibration, getPrompt, listPrompts, listRouteEvents } from "@proofgate/db";
import { PriceBook, Upstreams } from "@proofgate/providers";
import { InProcessDriver } from "@proofgate/queue";
import { generateTraffic, loadScenario, startSimulator, type Simulator } from "@proofgate/simulator";
import { calibrationProcessors, startCalibration, startWorkers } from "@proofgate/worker";
import type { Browser } from "playwright-core";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAPTOP, launchChromium, shoot, signIn } from "./browser-helpers.ts";
import { ADMIN_TOKEN, setupDatabase } from "./helpers.ts";

// The whole path a person takes, against the real server process (`proofgate start`): traffic through the
// proxy, a calibration on the simulator, the verdict read in the dashboard, the switch approved, the proxy
// serving the candidate, the switch reverted, and both changes in the audit log.

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const DEV_KEY = "dashboard-e2e-dev-key";
const PROMPT = "ticket-triage";

let setup: Awaited<ReturnType<typeof setupDatabase>>;
let simulator: Simulator;
let upstreams: Upstreams;
let server: ChildProcess | undefined;
let base: string;
let browser: Browser;
let promptId: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once("error", reject);
  });
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One request of the prompt through the proxy, as an application would send it. */
async function ask(body: unknown): Promise<Response> {
  return fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${DEV_KEY}`, "x-proofgate-prompt": PROMPT },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  setup = await setupDatabase();
  const scenario = loadScenario(join(ROOT, "fixtures", "scenarios", "safe-candidate.json"));
  simulator = await startSimulator({ scenario, seed: 1, latency: false });
  const models = Object.fromEntries(
    scenario.models.map((m) => [m.name, { provider: m.provider, inputPerMTok: m.price?.input ?? 0, outputPerMTok: m.price?.output ?? 0 }]),
  );
  // Ten-point margins against a candidate within one point: the verdict is a clear pass, whatever the sample.
  const fileConfig = { models, candidates: { [scenario.baseline ?? ""]: scenario.candidates }, margins: { format: 0.1, categorical: 0.1, semantic: 0.1 }, budgets: { maxPairs: 400, batchSize: 25, maxCostUsd: 1000 } };
  const dir = mkdtempSync(join(tmpdir(), "proofgate-dashboard-"));
  writeFileSync(join(dir, "proofgate.config.json"), JSON.stringify(fileConfig));

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ["apps/server/src/cli.ts", "start"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: setup.testDb.url,
      PROOFGATE_DATA_DIR: join(dir, "data"),
      OPENAI_UPSTREAM_URL: `${simulator.url}/v1`,
      ANTHROPIC_UPSTREAM_URL: simulator.url,
      OPENAI_API_KEY: "sk-test",
      ANTHROPIC_API_KEY: "sk-ant-test",
      PROOFGATE_ADMIN_TOKEN: ADMIN_TOKEN,
      PROOFGATE_DEV_KEY: DEV_KEY,
      PROOFGATE_CONFIG: join(dir, "proofgate.config.json"),
      LOG_LEVEL: "warn",
    },
  });
  await until("the server to answer", async () => (await fetch(`${base}/healthz`)).ok);

  // Production traffic through the proxy, eight at a time.
  const traffic = generateTraffic({ scenario, family: PROMPT, n: 400, seed: 7 });
  for (let i = 0; i < traffic.length; i += 8) {
    const answers = await Promise.all(traffic.slice(i, i + 8).map((t) => ask(t.body)));
    for (const a of answers) expect(a.status).toBe(200);
  }
  const db = setup.database.db;
  promptId = await until("the captures to be stored", async () => (await listPrompts(db)).find((p) => p.captureCount >= 400)?.id);

  // The calibration runs here, on this process's queue and workers, writing to the server's database.
  upstreams = new Upstreams({ openaiUrl: `${simulator.url}/v1`, anthropicUrl: simulator.url, openaiKey: "sk-test", anthropicKey: "sk-ant-test", timeoutMs: 30_000, connections: 16 });
  const deps = { db, queue: new InProcessDriver(), upstreams, prices: new PriceBook(models), config: fileSchema.parse(fileConfig) };
  const workers = startWorkers({ driver: deps.queue, processors: calibrationProcessors(deps), logger: pino({ level: "silent" }) });
  try {
    const calibration = await startCalibration(deps, { promptId, seed: 11 });
    await until("the calibration to end", async () => (await getCalibration(db, calibration.id))?.status !== "running");
  } finally {
    await workers.close(5_000);
  }
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  await upstreams?.close();
  await simulator?.close();
  await setup?.close();
});

describe("approving and reverting a switch in the dashboard", () => {
  it("reads the verdict, approves, sees the proxy serve the candidate, reverts, and finds both in the audit log", async () => {
    const before = await ask(generateTraffic({ scenario: simulator.scenario, family: PROMPT, n: 1, seed: 99 })[0]!.body);
    expect(before.headers.get("x-proofgate-route")).toBe("baseline");

    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    await signIn(page, base, ADMIN_TOKEN);
    await page.getByRole("link", { name: PROMPT, exact: true }).click();
    await page.getByRole("link", { name: "gpt-4o-mini" }).first().click();
    expect(await page.locator(".verdict-words").textContent()).toContain("Safe to switch.");

    await page.getByRole("link", { name: "Review and approve the switch" }).click();
    expect(await page.locator("h1").textContent()).toBe(`Switch ${PROMPT} to gpt-4o-mini?`);
    expect(await page.locator(".confirm").textContent()).toMatch(/Expected savings: \$[\d,.]+\/month/);
    await shoot(page, "approve-confirm");
    await page.getByRole("button", { name: "Approve the switch" }).click();
    await page.getByRole("status").filter({ hasText: "Switch approved" }).waitFor();
    expect(await page.locator("#route-h + p").textContent()).toContain("Served by gpt-4o-mini instead of gpt-4o");
    await shoot(page, "prompt-switched");

    const served = await ask(generateTraffic({ scenario: simulator.scenario, family: PROMPT, n: 1, seed: 100 })[0]!.body);
    expect(served.status).toBe(200);
    expect(served.headers.get("x-proofgate-route")).toBe("candidate");
    expect(served.headers.get("x-proofgate-model")).toBe("gpt-4o-mini");

    await page.goto(`${base}/routes`);
    expect(await page.locator("tbody tr").first().textContent()).toMatch(/ticket-triage[^]*candidate[^]*gpt-4o-mini/);
    await shoot(page, "routes-switched");

    await page.goto(`${base}/prompts/${encodeURIComponent(promptId)}`);
    await page.getByRole("button", { name: "Revert to the baseline" }).click();
    await page.getByRole("status").filter({ hasText: "Reverted" }).waitFor();
    const after = await ask(generateTraffic({ scenario: simulator.scenario, family: PROMPT, n: 1, seed: 101 })[0]!.body);
    expect(after.headers.get("x-proofgate-route")).toBe("baseline");

    await page.goto(`${base}/audit`);
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toMatch(/reverted[^]*dashboard[^]*reverted in the dashboard/);
    expect(await rows.nth(1).textContent()).toMatch(/approved[^]*gpt-4o-mini[^]*dashboard/);
    await shoot(page, "audit-log");
    const events = await listRouteEvents(setup.database.db, { promptId });
    expect(events.map((e) => [e.kind, e.actor])).toEqual([["revert", "dashboard"], ["approve", "dashboard"]]);
    await context.close();
  });

  it("refuses to approve on a report made for a template the prompt no longer has, and says why", async () => {
    const db = setup.database.db;
    const before = (await getPrompt(db, promptId))!.fingerprint;
    const changed = generateTraffic({ scenario: simulator.scenario, family: PROMPT, n: 1, seed: 102 })[0]!.body as { messages: { role: string; content: string }[] };
    changed.messages[0]!.content = "Sort the support ticket into a queue and answer with the queue name only.";
    expect((await ask(changed)).status).toBe(200);
    await until("the new template to be stored", async () => (await getPrompt(db, promptId))?.fingerprint !== before);

    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    await signIn(page, base, ADMIN_TOKEN);
    await page.goto(`${base}/prompts/${encodeURIComponent(promptId)}`);
    await page.locator("#calibrations").getByRole("link", { name: "gpt-4o-mini" }).click();
    await page.getByRole("link", { name: "Review and approve the switch" }).click();
    await page.getByRole("button", { name: "Approve the switch" }).click();
    const alert = page.getByRole("alert");
    expect(await alert.textContent()).toMatch(/^The switch was refused: The prompt's template has changed since calibration/);
    await shoot(page, "approve-refused");
    expect((await listRouteEvents(db, { promptId })).length).toBe(2);
    const served = await ask(generateTraffic({ scenario: simulator.scenario, family: PROMPT, n: 1, seed: 103 })[0]!.body);
    expect(served.headers.get("x-proofgate-route")).toBe("baseline");
    await context.close();
  });
});
