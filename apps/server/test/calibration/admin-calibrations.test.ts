import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { envSchema, fileSchema } from "@proofgate/config";
import { createSignInLink } from "@proofgate/dashboard";
import { listBatchReplays, recentCaptures } from "@proofgate/db";
import { createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { generateTraffic, startSimulator, type Simulator } from "@proofgate/simulator";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/run.ts";
import { startServer, type RunningServer } from "../../src/main.ts";

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

const SCENARIO = new URL("../../../../fixtures/scenarios/safe-candidate.json", import.meta.url).pathname;
const devKey = "pg-dev-key-calibration-api";
const adminToken = "admin-token-calibration-api-01";
const [baseline, candidate] = ["gpt-4o", "gpt-4o-mini"];

let testDb: TestDatabase;
let sim: Simulator;
let server: RunningServer;
let url: string;
let promptId: string;

function config(calibrations = true) {
  const env = envSchema.parse({
    DATABASE_URL: testDb.url,
    PORT: "0",
    HOST: "127.0.0.1",
    OPENAI_UPSTREAM_URL: `${sim.url}/v1`,
    ANTHROPIC_UPSTREAM_URL: sim.url,
    OPENAI_API_KEY: "sk-sim",
    PROOFGATE_DEV_KEY: devKey,
    PROOFGATE_ADMIN_TOKEN: adminToken,
    PROOFGATE_DATA_DIR: mkdtempSync(join(tmpdir(), `pg-cal-api-${calibrations ? "w" : "n"}-`)),
    LOG_LEVEL: "silent",
  });
  const file = fileSchema.parse({ candidates: { [baseline]: [candidate] }, budgets: { maxPairs: 40, batchSize: 20, maxCostUsd: 5 }, capture: { flushIntervalMs: 50 } });
  return { env, file };
}

async function api(method: string, path: string, body?: unknown, base = url) {
  const response = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: response.status, requestId: response.headers.get("x-proofgate-request-id"), body: (await response.json()) as Record<string, any> };
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  sim = await startSimulator({ scenario: SCENARIO, seed: 3, latency: false });
  server = await startServer({ config: config(), drainTimeoutMs: 1_000 });
  url = `http://127.0.0.1:${server.port}`;
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: devKey, maxRetries: 0, defaultHeaders: { "x-proofgate-prompt": "triage" } });
  const traffic = generateTraffic({ scenario: sim.scenario, family: "ticket-triage", n: 60, seed: 4 });
  for (const req of traffic) {
    const { response } = await client.chat.completions.create(req.body).withResponse();
    promptId = response.headers.get("x-proofgate-prompt")!;
  }
  const deadline = Date.now() + 10_000;
  while ((await recentCaptures(server.database.db, promptId, 60)).length < 60) {
    if (Date.now() > deadline) throw new Error("captures were not stored");
    await new Promise((r) => setTimeout(r, 50));
  }
});

afterAll(async () => {
  await server?.close();
  await sim?.close();
  await testDb?.drop();
});

describe("POST /api/prompts/:id/calibrations", () => {
  it("refuses bad input with a clear message and the request id", async () => {
    const notJson = await api("POST", `/prompts/${promptId}/calibrations`, "{nope");
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe("invalid_json");
    const bad = await api("POST", `/prompts/${promptId}/calibrations`, { maxPairs: -3 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("maxPairs");
    expect(bad.body.error.param).toBe("maxPairs");
    expect(bad.requestId).toBeTruthy();
    const unknownField = await api("POST", `/prompts/${promptId}/calibrations`, { maxPair: 3 });
    expect(unknownField.status).toBe(400);
    const baselineAsCandidate = await api("POST", `/prompts/${promptId}/calibrations`, { candidates: [baseline] });
    expect(baselineAsCandidate.status).toBe(400);
    expect(baselineAsCandidate.body.error.message).toContain("baseline");
    const unknown = await api("POST", "/prompts/no-such-prompt/calibrations", {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("prompt_not_found");
  });

  it("starts one (202), refuses a second while it runs (409), and reports it when finished", async () => {
    const started = await api("POST", `/prompts/${promptId}/calibrations`, { maxPairs: 40, maxCostUsd: 2 });
    expect(started.status).toBe(202);
    const calibration = started.body.calibration;
    expect(calibration).toMatchObject({ promptId, status: "running", baselineModel: baseline, candidates: [candidate], budget: { maxPairs: 40, maxCostUsd: 2 } });

    const second = await api("POST", `/prompts/${promptId}/calibrations`, {});
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("calibration_running");
    expect(second.body.error.message).toContain("already running");

    let current = (await api("GET", `/calibrations/${calibration.id}`)).body.calibration;
    const deadline = Date.now() + 60_000;
    while (current.status === "running") {
      expect(current.progress.sampled).toBeLessThanOrEqual(40);
      if (Date.now() > deadline) throw new Error("calibration did not finish");
      await new Promise((r) => setTimeout(r, 200));
      current = (await api("GET", `/calibrations/${calibration.id}`)).body.calibration;
    }
    expect(current.status).toBe("completed");
    expect(current.progress.sampled).toBe(40);
    expect(current.spendUsd).toBeGreaterThan(0);
    const report = current.reports[candidate];
    expect(["pass", "fail", "inconclusive"]).toContain(report.verdict);
    expect(report.pairs).toBeLessThanOrEqual(40);
    expect(report.axes.map((a: { axis: string }) => a.axis)).toEqual(expect.arrayContaining(["format", "categorical", "semantic"]));
    // The replays it reports were really made and stored (baseline and candidate for each sampled capture).
    expect((await listBatchReplays(server.database.db, calibration.id, 0)).length).toBe(2 * 20);

    const listed = await api("GET", `/prompts/${promptId}/calibrations`);
    expect(listed.status).toBe(200);
    expect(listed.body.calibrations[0]).toMatchObject({ id: calibration.id, status: "completed" });
  });

  it("answers 404 for an unknown calibration and requires the admin token", async () => {
    const missing = await api("GET", "/calibrations/does-not-exist");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("calibration_not_found");
    const anonymous = await fetch(`${url}/api/prompts/${promptId}/calibrations`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
  });

  it("answers 503 on a server that runs no calibration workers", async () => {
    const bare = await startServer({ config: config(false), calibration: false, drainTimeoutMs: 1_000 });
    try {
      const refused = await api("POST", `/prompts/${promptId}/calibrations`, {}, `http://127.0.0.1:${bare.port}`);
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe("no_calibration_workers");
      const readable = await api("GET", `/prompts/${promptId}/calibrations`, undefined, `http://127.0.0.1:${bare.port}`);
      expect(readable.status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { env: { PROOFGATE_ADMIN_TOKEN: adminToken, PORT: String(server.port), LOG_LEVEL: "silent", ...env }, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("proofgate calibrate and report", () => {
  it("starts a calibration through the running server, shows progress, and ends with the verdicts", async () => {
    const run = await cli(["calibrate", promptId, "--candidates", candidate, "--max-pairs", "20", "--max-cost", "3", "--interval-ms", "100"]);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    const id = /calibration (\S+) started/.exec(run.out[0] ?? "")?.[1];
    expect(id).toBeTruthy();
    expect(run.out.some((l) => /\[[#.]+\] \d+\/20 pairs/.test(l))).toBe(true);
    const verdictRow = run.out.find((l) => l.includes(candidate) && /PASS|FAIL|INCONCLUSIVE/.test(l));
    expect(verdictRow).toBeTruthy();
    const stored = (await api("GET", `/calibrations/${id}`)).body.calibration;
    expect(stored.status).toBe("completed");
    expect(verdictRow).toContain(stored.reports[candidate].verdict.toUpperCase());
    expect(run.out.join("\n")).toContain(`$${stored.spendUsd.toFixed(2)}`);

    // The prompt's latest report is that calibration; by its id too.
    const byPrompt = await cli(["report", promptId]);
    expect(byPrompt.code).toBe(0);
    expect(byPrompt.out[0]).toContain(`calibration ${id} of prompt ${promptId}`);
    const byId = await cli(["report", id!]);
    expect(byId.out).toEqual(byPrompt.out);
  });

  it("says clearly what went wrong: bad options, unknown prompt, no server, no token", async () => {
    expect((await cli(["calibrate", promptId, "--max-pairs", "zero"])).code).toBe(2);
    const unknown = await cli(["calibrate", "no-such-prompt"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err[0]).toContain("No prompt with id 'no-such-prompt'");
    const noServer = await cli(["report", promptId, "--url", "http://127.0.0.1:9"]);
    expect(noServer.code).toBe(1);
    expect(noServer.err[0]).toContain("no proofgate server answered at http://127.0.0.1:9");
    const noToken = await cli(["report", promptId], { PROOFGATE_ADMIN_TOKEN: "" });
    expect(noToken.code).toBe(2);
    expect(noToken.err[0]).toContain("PROOFGATE_ADMIN_TOKEN");
    const nothing = await cli(["report", "never-calibrated"]);
    expect(nothing.code).toBe(1);
    expect(nothing.err[0]).toContain("no calibration found");
  });
});

/** A signed-in dashboard session against a running server: cookies kept, forms posted with their token. */
async function dashboardSession(base: string) {
  const cookies = new Map<string, string>();
  const send = async (path: string, init: RequestInit = {}) => {
    const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const response = await fetch(new URL(path, base), { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return response;
  };
  const link = new URL(createSignInLink({ adminToken, baseUrl: base }));
  expect((await send(link.pathname + link.search)).status).toBe(303);
  return {
    get: (path: string) => send(path),
    post: (path: string, form: Record<string, string>) =>
      send(path, { method: "POST", body: new URLSearchParams(form).toString(), headers: { "content-type": "application/x-www-form-urlencoded", origin: base } }),
  };
}

describe("the dashboard's Start a calibration button", () => {
  it("starts a calibration on the server's workers", async () => {
    const session = await dashboardSession(url);
    const page = await (await session.get(`/prompts/${encodeURIComponent(promptId)}`)).text();
    expect(page).toContain("Start a calibration");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(csrf).toBeTruthy();
    const before = (await api("GET", `/prompts/${promptId}/calibrations`)).body.calibrations.length;
    const started = await session.post(`/prompts/${encodeURIComponent(promptId)}/calibrations`, { _csrf: csrf! });
    expect(started.status).toBe(303);
    expect(started.headers.get("location")).toContain("calibrating=1");
    const listed = (await api("GET", `/prompts/${promptId}/calibrations`)).body.calibrations;
    expect(listed.length).toBe(before + 1);
    // Let it finish on the workers, so the server closes with nothing in flight.
    let current = listed[0];
    const deadline = Date.now() + 60_000;
    while (current.status === "running" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      current = (await api("GET", `/calibrations/${current.id}`)).body.calibration;
    }
    expect(current.status).toBe("completed");
  });

  it("is not shown by a server without calibration workers", async () => {
    const bare = await startServer({ config: config(false), calibration: false, drainTimeoutMs: 1_000 });
    try {
      const session = await dashboardSession(`http://127.0.0.1:${bare.port}`);
      const page = await (await session.get(`/prompts/${encodeURIComponent(promptId)}`)).text();
      expect(page).toContain(promptId);
      expect(page).not.toContain("Start a calibration");
    } finally {
      await bare.close();
    }
  });
});
