import { generateTraffic } from "@proofgate/simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CalibrationDeps } from "../src/calibration/deps.ts";
import { callModel } from "../src/calibration/model-call.ts";
import { replayRequest } from "../src/calibration/replay-request.ts";
import { simulatedUpstream, type SimulatedUpstream } from "./calibration-fixture.ts";

// A JSON prompt captured on the OpenAI wire, replayed to the Anthropic candidate: its response format goes
// out as one forced tool and the tool's input comes back as the content, so the candidate is scored on the
// bare JSON a structured-output caller gets, never on a fenced text answer.
let upstream: SimulatedUpstream;
const candidate = "claude-3-5-haiku-latest";

beforeAll(async () => {
  upstream = await simulatedUpstream("two-provider", 2);
});
afterAll(async () => upstream?.close());

describe("a structured-output prompt replayed on the other wire", () => {
  it.each([
    ["order-extraction", "json_schema"],
    ["lead-qualification", "json_object"],
  ])("%s (%s) comes back as bare JSON content", async (family, format) => {
    const deps = { upstreams: upstream.upstreams, prices: upstream.prices } as unknown as CalibrationDeps;
    const traffic = generateTraffic({ scenario: upstream.scenario, family, n: 60, seed: 8 });
    expect(traffic[0]!.body.response_format?.type).toBe(format);
    for (const t of traffic) {
      const request = replayRequest("chat.completions", t.body, candidate, "anthropic");
      expect(request.endpoint).toBe("messages");
      expect(request.body["tool_choice"]).toMatchObject({ type: "tool" });
      const answer = await callModel(deps, { endpoint: request.endpoint, model: candidate, body: request.body });
      const replay = request.toCapturedWire(answer.assembled, candidate);
      const message = (replay.response as { choices: { message: { content: string; tool_calls?: unknown }; finish_reason: string }[] }).choices[0]!;
      expect(message.message.tool_calls).toBeUndefined();
      expect(message.finish_reason).toBe("stop");
      expect(replay.outputText).toBe(message.message.content);
      expect(typeof JSON.parse(replay.outputText ?? "")).toBe("object");
    }
  });
});
