import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildJudgeRequestPair, parseCategoricalVerdict, parseSemanticVerdict } from "@proofgate/parity";
import { generateTraffic, loadScenario } from "@proofgate/simulator";
import { callJudge } from "../src/calibration/judge-call.ts";
import type { CalibrationDeps } from "../src/calibration/deps.ts";
import { configFor, scenarioPath, simulatedUpstream, type SimulatedUpstream } from "./calibration-fixture.ts";

// The judge's wire mapping on both providers, against the simulator (which answers judge requests as the
// protocol in packages/parity describes): structured output on OpenAI, a forced tool on Anthropic.

let upstream: SimulatedUpstream;
let deps: CalibrationDeps;

beforeAll(async () => {
  upstream = await simulatedUpstream("two-provider");
  deps = {
    db: undefined as never,
    queue: undefined as never,
    upstreams: upstream.upstreams,
    prices: upstream.prices,
    config: configFor(upstream.scenario, { maxPairs: 10, batchSize: 10 }),
  };
});
afterAll(async () => upstream?.close());

describe.each([
  ["openai", "gpt-4o"],
  ["anthropic", "claude-3-5-haiku-latest"],
] as const)("judge calls on the %s wire", (provider, model) => {
  const [request] = generateTraffic({ scenario: loadScenario(scenarioPath("two-provider")), family: "ticket-triage", n: 1, seed: 3 });
  const task = request ? request.body.messages.map((m) => m.content).join("\n\n") : "";

  it("reads a semantic verdict in both orders, and prices the calls", async () => {
    const pair = buildJudgeRequestPair("semantic", { task, reference: "billing", candidate: "billing", redact: [model] });
    const replies = await Promise.all(pair.map((r, i) => callJudge(deps, { provider, model, replayIndex: String(i + 1) }, r)));
    for (const reply of replies) {
      const parsed = parseSemanticVerdict(reply.text);
      expect(parsed.ok).toBe(true);
      expect(reply.costUsd).toBeGreaterThan(0);
    }
  });

  it("reads a categorical verdict", async () => {
    const [first] = buildJudgeRequestPair("categorical", { task, reference: "billing", candidate: "technical", redact: [model] });
    if (!first) throw new Error("no request built");
    const reply = await callJudge(deps, { provider, model, replayIndex: "7" }, first);
    expect(parseCategoricalVerdict(reply.text).ok).toBe(true);
  });
});
