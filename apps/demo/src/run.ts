import { randomBytes } from "node:crypto";
import { envSchema, fileSchema } from "@proofgate/config";
import { createSignInLink } from "@proofgate/dashboard";
import { groundTruth, startSimulator, type Scenario, type Simulator } from "@proofgate/simulator";
import { adminClient, startServer, type AdminClient, type PresentedCalibration, type RunningServer, type StartOptions } from "@proofgate/server";
import pino from "pino";
import { DEMO_PROMPTS, demoScenario } from "./scenario.ts";
import { sendTraffic } from "./traffic.ts";

export interface DemoOptions {
  /** Where the embedded database (PGlite) and the capture spool live. */
  dataDir: string;
  /** proofgate's port; taken when free, else any free port. */
  port: number;
  requestsPerPrompt: number;
  maxPairs: number;
  batchSize?: number;
  seed?: number;
  /** Simulated latency relative to the shipped scenarios; 0 turns it off. */
  latencyScale?: number;
  concurrency?: number;
  out(line: string): void;
  /** Redraw progress in place (a terminal) rather than printing lines. */
  tty?: boolean;
}

export interface DemoResult {
  prompt: string;
  family: string;
  promptId: string;
  calibration: PresentedCalibration;
  /** The simulator's ground truth per candidate: whether it is within the margins on every axis. */
  truth: Record<string, "within" | "outside">;
}

export interface DemoRun {
  url: string;
  adminToken: string;
  devKey: string;
  dashboardUrl: string;
  server: RunningServer;
  simulator: Simulator;
  results: DemoResult[];
  close(): Promise<void>;
}

function progress(o: DemoOptions) {
  let lastAt = 0;
  let drawn = false;
  return {
    show(line: string, force = false) {
      if (o.tty) {
        process.stdout.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else if (force || Date.now() - lastAt > 5_000) {
        o.out(line);
        lastAt = Date.now();
      }
    },
    end() {
      if (drawn) process.stdout.write("\n");
      drawn = false;
    },
  };
}

async function listen(o: DemoOptions, config: StartOptions["config"]): Promise<RunningServer> {
  const options = {
    config,
    drainTimeoutMs: 2_000,
    logger: pino({ level: "warn", base: { service: "proofgate" } }, pino.destination({ dest: 2, sync: false })),
    // The simulator answers as fast as asked: no provider rate limits to respect, more jobs at once.
    calibrationQueue: {
      replay: { concurrency: 16, limiter: undefined, groupLimit: undefined },
      judge: { concurrency: 16, limiter: undefined, groupLimit: undefined },
      evaluate: { concurrency: 4 },
    },
  };
  try {
    return await startServer(options);
  } catch (error) {
    // The port is taken when the listen error underneath is EADDRINUSE (its code, not its wording).
    const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
    if (o.port === 0 || cause?.code !== "EADDRINUSE") throw error;
    o.out(`port ${o.port} is taken; proofgate listens on another one`);
    return startServer({ ...options, config: { ...config, env: { ...config.env, PORT: 0 } } });
  }
}

async function waitForCaptures(api: AdminClient, promptId: string, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { prompt } = await api.request<{ prompt: { traffic: { captures: number } } }>("GET", `/prompts/${encodeURIComponent(promptId)}?captures=0`);
    if (prompt.traffic.captures >= count) return;
    if (Date.now() > deadline) throw new Error(`prompt ${promptId} has ${prompt.traffic.captures} of ${count} captures stored after a minute`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** proofgate's configuration for the demo: the simulator as both providers, the scenario's models and prices. */
function demoConfig(o: DemoOptions, scenario: Scenario, at: { simulatorUrl: string; adminToken: string; devKey: string }): StartOptions["config"] {
  const env = envSchema.parse({
    PORT: String(o.port),
    HOST: "127.0.0.1",
    PROOFGATE_DATA_DIR: o.dataDir,
    OPENAI_UPSTREAM_URL: `${at.simulatorUrl}/v1`,
    ANTHROPIC_UPSTREAM_URL: at.simulatorUrl,
    OPENAI_API_KEY: "sk-demo-simulator",
    ANTHROPIC_API_KEY: "sk-ant-demo-simulator",
    PROOFGATE_ADMIN_TOKEN: at.adminToken,
    PROOFGATE_DEV_KEY: at.devKey,
    LOG_LEVEL: "warn",
  });
  const file = fileSchema.parse({
    models: Object.fromEntries(scenario.models.map((m) => [m.name, { provider: m.provider, inputPerMTok: m.price?.input ?? 0, outputPerMTok: m.price?.output ?? 0 }])),
    candidates: { [scenario.baseline ?? "gpt-4o"]: scenario.candidates },
    margins: scenario.margins,
    budgets: { maxPairs: o.maxPairs, batchSize: o.batchSize ?? 25, maxCostUsd: 50 },
    capture: { flushIntervalMs: 100 },
  });
  return { env, file };
}

/** Starts one calibration per prompt through the admin API and follows them, with progress, until all end. */
async function calibrateAll(api: AdminClient, prompts: readonly { prompt: string; promptId: string }[], o: DemoOptions): Promise<Map<string, PresentedCalibration>> {
  const calibrations = new Map<string, PresentedCalibration>();
  for (const p of prompts) {
    const { calibration } = await api.request<{ calibration: PresentedCalibration }>("POST", `/prompts/${encodeURIComponent(p.promptId)}/calibrations`, {});
    calibrations.set(p.promptId, calibration);
  }
  const bar = progress(o);
  const started = Date.now();
  for (;;) {
    for (const p of prompts) {
      const current = calibrations.get(p.promptId)!;
      if (current.status !== "running") continue;
      calibrations.set(p.promptId, (await api.request<{ calibration: PresentedCalibration }>("GET", `/calibrations/${current.id}`)).calibration);
    }
    const all = [...calibrations.values()];
    const running = all.filter((c) => c.status === "running").length;
    const spend = all.reduce((s, c) => s + c.spendUsd, 0);
    const parts = prompts.map((p) => {
      const c = calibrations.get(p.promptId)!;
      return `${p.prompt} ${c.status === "running" ? `${c.progress?.sampled ?? 0}/${c.budget.maxPairs}` : c.status}`;
    });
    bar.show(`calibrating: ${parts.join(", ")}; $${spend.toFixed(2)} spent, ${((Date.now() - started) / 1000).toFixed(0)} s`, running === 0);
    if (running === 0) break;
    await new Promise((r) => setTimeout(r, o.tty ? 250 : 1_000));
  }
  bar.end();
  return calibrations;
}

/**
 * The demo, start to verdicts: the simulator as the providers, proofgate on the embedded database and the
 * in-process queue, client traffic through the OpenAI SDK, one calibration per prompt started through the
 * admin API, followed until each ends. Leaves both running; close() stops them.
 */
export async function runDemo(o: DemoOptions): Promise<DemoRun> {
  const seed = o.seed ?? 1;
  const latencyScale = o.latencyScale ?? 0.1;
  const scenario = demoScenario(latencyScale > 0 ? latencyScale : 1);
  const simulator = await startSimulator({ scenario, seed, port: 0, latency: latencyScale > 0 });
  const adminToken = `pg-admin-${randomBytes(18).toString("base64url")}`;
  const devKey = `pg-dev-${randomBytes(18).toString("base64url")}`;
  let server: RunningServer;
  try {
    server = await listen(o, demoConfig(o, scenario, { simulatorUrl: simulator.url, adminToken, devKey }));
  } catch (error) {
    await simulator.close();
    throw error;
  }
  const close = async () => {
    await server.close("demo finished");
    await simulator.close();
  };
  try {
    const url = `http://127.0.0.1:${server.port}`;
    const api = adminClient({ env: { PROOFGATE_ADMIN_TOKEN: adminToken, PORT: String(server.port) }, out: o.out, err: o.out }, url);
    o.out(`simulated providers at ${simulator.url}; proofgate at ${url} (embedded database in ${o.dataDir})`);

    const bar = progress(o);
    const total = DEMO_PROMPTS.length * o.requestsPerPrompt;
    const started = Date.now();
    const sent = await sendTraffic({
      baseUrl: url,
      apiKey: devKey,
      scenario,
      prompts: DEMO_PROMPTS,
      perPrompt: o.requestsPerPrompt,
      seed,
      concurrency: o.concurrency ?? 12,
      onProgress: (done) => bar.show(`traffic: ${done}/${total} requests through the OpenAI SDK`, done === total),
    });
    bar.end();
    o.out(`traffic: ${sent.sent} requests answered by gpt-4o through proofgate in ${((Date.now() - started) / 1000).toFixed(1)} s${sent.failed ? ` (${sent.failed} failed)` : ""}`);
    const prompts = DEMO_PROMPTS.map((p) => {
      const promptId = sent.promptIds.get(p.prompt);
      if (!promptId) throw new Error(`no request of prompt ${p.prompt} was answered`);
      return { ...p, promptId };
    });
    for (const p of prompts) await waitForCaptures(api, p.promptId, Math.floor(o.requestsPerPrompt * 0.95));

    o.out(`calibrating ${prompts.length} prompts: ${scenario.candidates?.join(" and ")} against gpt-4o, at most ${o.maxPairs} pairs each`);
    const calibrations = await calibrateAll(api, prompts, o);
    const results: DemoResult[] = prompts.map((p) => ({
      ...p,
      calibration: calibrations.get(p.promptId)!,
      truth: Object.fromEntries(
        (scenario.candidates ?? []).map((c) => [c, groundTruth(scenario, p.family, scenario.baseline ?? "gpt-4o", c).withinMargin ? "within" : "outside"]),
      ),
    }));
    return { url, adminToken, devKey, dashboardUrl: createSignInLink({ adminToken, baseUrl: url }), server, simulator, results, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
