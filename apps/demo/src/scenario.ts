import { fileURLToPath } from "node:url";
import { loadScenario, validateScenario, type Scenario } from "@proofgate/simulator";

const scenarioFile = (name: string) => fileURLToPath(new URL(`../../../fixtures/scenarios/${name}.json`, import.meta.url));

/** The demo's prompts: a classifier, a JSON extractor and a summariser, each named by the caller. */
export const DEMO_PROMPTS = [
  { prompt: "ticket-triage", family: "ticket-triage" },
  { prompt: "order-extraction", family: "order-extraction" },
  { prompt: "meeting-summary", family: "meeting-summary" },
] as const;

/**
 * gpt-4o serving three prompt families, with two cheaper candidates whose behaviour is known: gpt-4o-mini
 * from the safe-candidate scenario (within the margins) and tiny-model from the unsafe one (clearly
 * outside). Latencies are a tenth of the shipped scenarios' (tens of milliseconds to first token), so
 * the demo feels like a network without waiting on one.
 */
export function demoScenario(latencyScale = 0.1): Scenario {
  const safe = loadScenario(scenarioFile("safe-candidate"));
  const unsafe = loadScenario(scenarioFile("unsafe-candidate"));
  const pick = (s: Scenario, name: string) => {
    const model = s.models.find((m) => m.name === name);
    if (!model) throw new Error(`scenario ${s.name} has no model ${name}`);
    return model;
  };
  const faster = (m: Scenario["models"][number]) => {
    // Every model picked here states its latency; the fallback is the simulator's own default.
    const l = { ttftMs: 250, ttftJitterMs: 100, tokensPerSecond: 80, ...m.latency };
    return { ...m, latency: { ttftMs: l.ttftMs * latencyScale, ttftJitterMs: l.ttftJitterMs * latencyScale, tokensPerSecond: l.tokensPerSecond / latencyScale } };
  };
  const families = DEMO_PROMPTS.map((p) => {
    const family = safe.families.find((f) => f.name === p.family);
    if (!family) throw new Error(`scenario ${safe.name} has no family ${p.family}`);
    return family;
  });
  return validateScenario(
    {
      name: "demo",
      description: "gpt-4o with a safe (gpt-4o-mini) and an unsafe (tiny-model) candidate on three prompt families.",
      baseline: "gpt-4o",
      candidates: ["gpt-4o-mini", "tiny-model"],
      margins: safe.margins,
      judge: safe.judge,
      families,
      models: [faster(pick(safe, "gpt-4o")), faster(pick(safe, "gpt-4o-mini")), faster(pick(unsafe, "tiny-model"))],
    },
    "demo scenario",
  );
}
