import { SimulatorCore, generateTraffic, loadScenario } from "./src/index.ts";
import { chatToSim } from "./src/wire/openai-chat.ts";
const scenario = loadScenario("/work/main/fixtures/scenarios/safe-candidate.json");
const core = new SimulatorCore(scenario, 1);
for (const f of scenario.families) {
  const bodies = generateTraffic({ scenario, family: f.name, n: 200, seed: 2 }).map((r) => r.body);
  for (let k = 0; k < 2; k++) {
  const t0 = performance.now();
  for (let i = 0; i < 2000; i++) core.respond(chatToSim(bodies[i % 200] as never, undefined));
  console.log(f.name, ((performance.now() - t0) / 2000).toFixed(3), "ms/request");
  }
}
