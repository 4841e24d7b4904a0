import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it, vi } from "vitest";
import { demoReport } from "../src/command.ts";
import { runDemo, type DemoRun } from "../src/run.ts";

vi.setConfig({ testTimeout: 90_000 });

let run: DemoRun | undefined;
const dataDir = mkdtempSync(join(tmpdir(), "pg-demo-test-"));

// A port already in use, as 8080 often is: the demo says so and listens on another one.
const blocker = createServer();
await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
const takenPort = (blocker.address() as AddressInfo).port;

afterAll(async () => {
  await run?.close();
  await new Promise((resolve) => blocker.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

// The demo's core as `pnpm demo` runs it (embedded database, in-process queue, simulator, OpenAI SDK,
// calibrations started through the admin API), on less traffic and smaller budgets.
it("sends traffic, calibrates every prompt to a verdict per candidate, and never passes the unsafe one", async () => {
  const lines: string[] = [];
  run = await runDemo({ dataDir, port: takenPort, requestsPerPrompt: 100, maxPairs: 100, batchSize: 25, latencyScale: 0, seed: 2, out: (l) => lines.push(l) });
  expect(lines).toContain(`port ${takenPort} is taken; proofgate listens on another one`);
  expect(run.server.port).not.toBe(takenPort);
  expect(lines.some((l) => l.startsWith("traffic: 300 requests answered by gpt-4o"))).toBe(true);
  expect(run.results.map((r) => r.prompt)).toEqual(["ticket-triage", "order-extraction", "meeting-summary"]);
  for (const r of run.results) {
    expect(r.calibration.status).toBe("completed");
    expect(Object.keys(r.calibration.reports ?? {}).sort()).toEqual(["gpt-4o-mini", "tiny-model"]);
    for (const [model, report] of Object.entries(r.calibration.reports ?? {})) {
      expect(["pass", "fail", "inconclusive"]).toContain(report.verdict);
      expect(report.pairs).toBeGreaterThan(0);
      expect(report.pairs).toBeLessThanOrEqual(100);
      // Never a pass for a candidate the simulator built outside the margins.
      if (r.truth[model] === "outside") expect(report.verdict).not.toBe("pass");
    }
    expect(r.calibration.spendUsd).toBeGreaterThan(0);
  }
  // The clearly unsafe candidate is caught on at least one prompt even with these small budgets.
  expect(run.results.some((r) => r.calibration.reports?.["tiny-model"]?.verdict === "fail")).toBe(true);

  const table = demoReport(run);
  for (const r of run.results) {
    for (const [model, report] of Object.entries(r.calibration.reports ?? {})) {
      expect(table.some((l) => l.includes(r.prompt) && l.includes(model) && l.includes(report.verdict.toUpperCase()))).toBe(true);
    }
  }
  expect(table.some((l) => /band vs cand\./.test(l))).toBe(true);
  expect(run.dashboardUrl).toMatch(new RegExp(`^${run.url}/sign-in/link\\?token=`));
  // The link signs in: it sets a session and leads to the dashboard.
  const signIn = await fetch(run.dashboardUrl, { redirect: "manual" });
  expect(signIn.status).toBeGreaterThanOrEqual(300);
  expect(signIn.status).toBeLessThan(400);
  expect(signIn.headers.get("set-cookie")).toBeTruthy();
});
