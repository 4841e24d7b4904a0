import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { envSchema, fileSchema } from "@proofgate/config";
import pino from "pino";
import { getRoute, listRouteEvents, listShadowSamples, recentCaptures, type Db } from "@proofgate/db";
import { createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { generateTraffic, startSimulator, type Simulator } from "@proofgate/simulator";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/run.ts";
import { autoApproveDue } from "../../src/routing/auto-approve.ts";
import { startServer, type RunningServer } from "../../src/main.ts";
import { seedPassingCalibration } from "./fixture.ts";

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

const SCENARIO = new URL("../../../../fixtures/scenarios/safe-candidate.json", import.meta.url).pathname;
const CLI = new URL("../../src/cli.ts", import.meta.url).pathname;
const devKey = "pg-dev-key-routing-tests";
const adminToken = "admin-token-routing-tests-01";
const family = "ticket-triage";
const [baseline, candidate] = ["gpt-4o", "gpt-4o-mini"];
const fileConfig = {
  candidates: { [baseline]: [candidate] },
  routing: { shadowShare: 1, fallbackRevertRate: 0.5, fallbackWindow: 20, candidateTimeoutMs: 1_000 },
  capture: { flushIntervalMs: 50 },
};

let testDb: TestDatabase;
let sim: Simulator;
let server: RunningServer;
let db: Db;
let url: string;
let client: OpenAI;
let promptId: string;
let traffic: ReturnType<typeof generateTraffic>;
let next = 0;

function env(dataDir: string, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: testDb.url,
    PORT: "0",
    HOST: "127.0.0.1",
    OPENAI_UPSTREAM_URL: `${sim.url}/v1`,
    ANTHROPIC_UPSTREAM_URL: sim.url,
    OPENAI_API_KEY: "sk-sim",
    PROOFGATE_DEV_KEY: devKey,
    PROOFGATE_ADMIN_TOKEN: adminToken,
    PROOFGATE_DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    ...extra,
  };
}

/** One request of the prompt; returns how it was served. */
async function call(via: OpenAI = client, stream = false) {
  const req = traffic[next++ % traffic.length]!;
  if (stream) {
    const { data, response } = await via.chat.completions.create({ ...req.body, stream: true }).withResponse();
    let text = "";
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? "";
    return { route: response.headers.get("x-proofgate-route"), model: response.headers.get("x-proofgate-model"), prompt: response.headers.get("x-proofgate-prompt"), text };
  }
  const { data, response } = await via.chat.completions.create(req.body).withResponse();
  return { route: response.headers.get("x-proofgate-route"), model: response.headers.get("x-proofgate-model"), prompt: response.headers.get("x-proofgate-prompt"), text: data.choices[0]?.message.content ?? "" };
}

async function api(method: string, path: string, body?: unknown, base = url) {
  const response = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  sim = await startSimulator({ scenario: SCENARIO, seed: 5, latency: false });
  server = await startServer({ config: { env: envSchema.parse(env(mkdtempSync(join(tmpdir(), "pg-routing-")))), file: fileSchema.parse(fileConfig) }, drainTimeoutMs: 1_000 });
  db = server.database.db;
  url = `http://127.0.0.1:${server.port}`;
  client = new OpenAI({ baseURL: `${url}/v1`, apiKey: devKey, maxRetries: 0, defaultHeaders: { "x-proofgate-prompt": "triage" } });
  traffic = generateTraffic({ scenario: sim.scenario, family, n: 400, seed: 9 });
  for (let i = 0; i < 30; i++) {
    const served = await call();
    expect(served).toMatchObject({ route: "baseline", model: baseline });
    promptId = served.prompt!;
  }
  await until("captures stored", async () => (await recentCaptures(db, promptId, 30)).length >= 30);
});

afterAll(async () => {
  await server?.close();
  await sim?.close();
  await testDb?.drop();
});

describe("approval", () => {
  it("is refused with a clear message while no passing report exists (API and CLI)", async () => {
    const refused = await api("POST", `/prompts/${promptId}/route`, { model: candidate });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("no_report");
    expect(refused.body.error.message).toContain(`No finished calibration of prompt '${promptId}' has tried '${candidate}'`);

    await seedPassingCalibration(db, { promptId, scenario: sim.scenario, family, baseline, candidate, verdict: "fail" });
    const failing = await api("POST", `/prompts/${promptId}/route`, { model: candidate });
    expect(failing.status).toBe(409);
    expect(failing.body.error.message).toMatch(/is 'fail', not a pass/);

    const err: string[] = [];
    const code = await runCli(["approve", promptId, candidate], { env: env("/tmp/pg-unused"), out: () => {}, err: (l) => err.push(l) });
    expect(code).toBe(1);
    expect(err.join("\n")).toMatch(/^refused: The latest report for 'gpt-4o-mini'/);
    expect((await getRoute(db, promptId))?.state ?? "baseline").toBe("baseline");
    expect((await call()).route).toBe("baseline");
  });

  it("serves the candidate once approved on a passing report, streamed and not, and records who and why", async () => {
    const calibrationId = await seedPassingCalibration(db, { promptId, scenario: sim.scenario, family, baseline, candidate });
    const approved = await api("POST", `/prompts/${promptId}/route`, { model: candidate });
    expect(approved.status).toBe(200);
    expect(approved.body.route).toMatchObject({ state: "candidate", candidateModel: candidate, calibrationId, approvedBy: "admin-api" });
    // The approving process reloads at once.
    expect(await call()).toMatchObject({ route: "candidate", model: candidate });
    const streamed = await call(client, true);
    expect(streamed).toMatchObject({ route: "candidate", model: candidate });
    expect(streamed.text.length).toBeGreaterThan(0);
    const captures = await until("candidate captures", async () => {
      const rows = (await recentCaptures(db, promptId, 5)).filter((c) => c.route === "candidate");
      return rows.length >= 2 && rows;
    });
    expect(captures[0]!.servedModel).toBe(candidate);
    expect(captures[0]!.requestedModel).toBe(baseline);
    const events = await api("GET", `/events?prompt=${promptId}`);
    expect(events.body.events[0]).toMatchObject({ kind: "approve", actor: "admin-api", model: candidate, calibrationId });
    expect(events.body.events[0].reason).toContain(calibrationId);
  });

  it("reaches a second server process on the same Postgres within a second", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pg-routing-2-"));
    const configPath = join(dir, "proofgate.config.json");
    writeFileSync(configPath, JSON.stringify({ ...fileConfig, routing: { ...fileConfig.routing, shadowShare: 0 } }));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child: ChildProcess = spawn(process.execPath, [CLI, "start"], { env: { ...process.env, ...env(dir, { PORT: String(port), PROOFGATE_CONFIG: configPath }) }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => void (stderr += d.toString()));
    child.once("exit", (code) => {
      if (code) console.error(`second server exited with ${code}: ${stderr.slice(-2000)}`);
    });
    try {
      const other = `http://127.0.0.1:${port}`;
      await until("second server up", () => fetch(`${other}/healthz`).then((r) => r.ok, () => false), 30_000);
      const otherClient = new OpenAI({ baseURL: `${other}/v1`, apiKey: devKey, maxRetries: 0, defaultHeaders: { "x-proofgate-prompt": "triage" } });
      expect((await call(otherClient)).route).toBe("candidate");

      await api("DELETE", `/prompts/${promptId}/route`);
      let started = Date.now();
      await until("revert seen by the other process", async () => (await call(otherClient)).route === "baseline", 1_000);
      const revertMs = Date.now() - started;

      expect((await api("POST", `/prompts/${promptId}/route`, { model: candidate })).status).toBe(200);
      started = Date.now();
      await until("approval seen by the other process", async () => (await call(otherClient)).route === "candidate", 1_000);
      const approveMs = Date.now() - started;
      expect(revertMs).toBeLessThan(1_000);
      expect(approveMs).toBeLessThan(1_000);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        // Graceful shutdown drains connections; a test does not wait for it past a few seconds.
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
    }
  });
});

describe("instant fallback", () => {
  it("answers through the baseline on a candidate time-out or a contract violation, in the same request", async () => {
    sim.injectFault(candidate, { kind: "timeout", count: 1 });
    const started = Date.now();
    expect(await call()).toMatchObject({ route: "fallback", model: baseline });
    expect(Date.now() - started).toBeLessThan(3_000);
    sim.setProfile(candidate, family, { formatErrorRate: 1 });
    const broken = await call();
    sim.reset();
    expect(broken).toMatchObject({ route: "fallback", model: baseline });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/proofgate_route_fallbacks_total\{reason="timeout"\} [1-9]/);
    expect(metrics).toMatch(/proofgate_route_fallbacks_total\{reason="contract"\} [1-9]/);
    const fallbackCaptures = (await until("fallback captures", async () => {
      const rows = (await recentCaptures(db, promptId, 10)).filter((c) => c.route === "fallback");
      return rows.length >= 2 && rows;
    }));
    expect(fallbackCaptures[0]!.servedModel).toBe(baseline);
  });

  it("does not count a client that leaves during the candidate's attempt as a fallback", async () => {
    const fallbacks = async () => Number(/proofgate_routed_requests_total\{route="fallback"\} (\d+)/.exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? 0);
    const before = await fallbacks();
    sim.injectFault(candidate, { kind: "timeout", count: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expect(client.chat.completions.create(traffic[next++ % traffic.length]!.body, { signal: controller.signal })).rejects.toThrow();
    const left = await until("the 499 capture", async () => (await recentCaptures(db, promptId, 5)).find((c) => c.status === 499));
    expect(left).toMatchObject({ route: "candidate", servedModel: candidate });
    expect(await fallbacks()).toBe(before);
    sim.reset();
  });

  it("with the candidate down, every request succeeds, and the fallback rate reverts the route (window of 20)", async () => {
    // A fresh approval starts a fresh fallback window.
    await api("DELETE", `/prompts/${promptId}/route`);
    expect((await api("POST", `/prompts/${promptId}/route`, { model: candidate })).status).toBe(200);
    sim.setFaultRates(candidate, { rate500: 1 });
    const routes: string[] = [];
    try {
      for (let i = 0; i < 24; i++) {
        const served = await call(client, i % 3 === 0);
        expect(served.model).toBe(baseline);
        expect(served.text.length).toBeGreaterThan(0);
        routes.push(served.route!);
      }
    } finally {
      sim.reset();
    }
    expect(routes).toEqual([...Array(20).fill("fallback"), ...Array(4).fill("baseline")]);
    // The process stops routing at once; the revert itself is written just after.
    const event = await until("fallback revert event", async () => {
      const [last] = await listRouteEvents(db, { promptId, limit: 1 });
      return last?.kind === "revert" && last;
    });
    expect(event).toMatchObject({ kind: "revert", actor: "fallback-watch" });
    expect(event!.reason).toMatch(/fallback rate 100\.0% over the last 20 requests/);
  });
});

describe("drift watch", () => {
  it("reverts a candidate degraded mid-run within 60 shadow samples", async () => {
    expect((await api("POST", `/prompts/${promptId}/route`, { model: candidate })).status).toBe(200);
    const version = (await getRoute(db, promptId))!.version;
    // Healthy first: shadow samples agree and no alarm.
    for (let i = 0; i < 8; i++) expect((await call()).route).toBe("candidate");
    await until("healthy shadow samples", async () => (await listShadowSamples(db, promptId, version)).length >= 8, 20_000);
    expect((await getRoute(db, promptId))!.state).toBe("candidate");

    sim.setProfile(candidate, family, { labelErrorRate: 0.7 });
    try {
      let reverted = false;
      for (let i = 0; i < 120 && !reverted; i++) {
        const served = await call();
        reverted = served.route === "baseline";
        if (i % 10 === 9) await new Promise((r) => setTimeout(r, 200));
      }
      await until("drift revert", async () => (await getRoute(db, promptId))!.state === "baseline", 30_000);
    } finally {
      sim.reset();
    }
    const [event] = await listRouteEvents(db, { promptId, limit: 1 });
    expect(event).toMatchObject({ kind: "revert", actor: "drift-watch", model: candidate });
    expect(event!.reason).toMatch(/^drift on (categorical|semantic)/);
    const samples = (event!.details as { samples: number }).samples;
    expect(samples).toBeGreaterThan(8);
    expect(samples).toBeLessThanOrEqual(60);
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/proofgate_route_auto_reverts_total\{cause="drift"\} 1/);
    expect((await call()).route).toBe("baseline");
  });

  it("reports realised savings since the switch, per prompt and in total", async () => {
    const listed = await api("GET", "/routes");
    expect(listed.status).toBe(200);
    const route = listed.body.routes.find((r: { promptId: string }) => r.promptId === promptId);
    expect(route.state).toBe("baseline");
    expect(route.savings.candidateRequests).toBeGreaterThan(8);
    expect(route.savings.candidateCostUsd).toBeGreaterThan(0);
    // gpt-4o-mini is far cheaper than gpt-4o on the same tokens; the drift watch's own spend is counted.
    expect(route.savings.baselineCostUsd).toBeGreaterThan(route.savings.candidateCostUsd);
    expect(route.savings.shadowSamples).toBeGreaterThan(0);
    expect(route.savings.savedUsd).toBeCloseTo(route.savings.baselineCostUsd - route.savings.candidateCostUsd - route.savings.shadowCostUsd, 9);
    expect(listed.body.totals.savedUsd).toBeCloseTo(route.savings.savedUsd, 9);
  });

  it("auto-approves only when opted in, and never again on the report a revert contradicted", async () => {
    const deps = { db, config: fileSchema.parse(fileConfig) };
    const silent = pino({ level: "silent" });
    expect(await autoApproveDue(deps, silent)).toBe(0);
    const policy = await api("PUT", `/prompts/${promptId}/route/policy`, { autoApprove: true });
    expect(policy.body.route).toMatchObject({ autoApprove: true, state: "baseline" });
    // The passing report predates the drift revert: it must not switch the prompt back.
    expect(await autoApproveDue(deps, silent)).toBe(0);
    const calibrationId = await seedPassingCalibration(db, { promptId, scenario: sim.scenario, family, baseline, candidate });
    expect(await autoApproveDue(deps, silent)).toBe(1);
    expect(await getRoute(db, promptId)).toMatchObject({ state: "candidate", approvedBy: "auto-approve", calibrationId });
    const reverted = await runCli(["revert", promptId, "--reason", "end of test"], { env: env("/tmp/pg-unused"), out: () => {}, err: () => {} });
    expect(reverted).toBe(0);
    const events = (await api("GET", `/events?prompt=${promptId}&limit=3`)).body.events;
    expect(events.map((e: { kind: string; actor: string }) => `${e.kind}/${e.actor}`)).toEqual(["revert/cli", "approve/auto-approve", "policy/admin-api"]);
  });
});
