import { parseArgs } from "node:util";
import { ScenarioError } from "./scenario.ts";
import { startSimulator } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "9100" },
    host: { type: "string", default: "127.0.0.1" },
    scenario: { type: "string" },
    seed: { type: "string", default: "1" },
    "no-latency": { type: "boolean", default: false },
    datasets: { type: "string" },
  },
});

if (!values.scenario) {
  console.error("usage: pnpm simulator --scenario fixtures/scenarios/<name>.json [--port 9100] [--seed 1] [--no-latency] [--datasets DIR]");
  process.exit(2);
}

try {
  const sim = await startSimulator({
    scenario: values.scenario,
    seed: values.seed ?? "1",
    port: Number(values.port),
    host: values.host,
    latency: !values["no-latency"],
    datasetsDir: values.datasets,
  });
  const models = sim.scenario.models.map((m) => `${m.name} (${m.provider})`).join(", ");
  console.log(`simulator "${sim.scenario.name}" on ${sim.url}  models: ${models}`);
  console.log(`OpenAI clients: baseURL ${sim.url}/v1   Anthropic clients: baseURL ${sim.url}`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (e) {
  console.error(e instanceof ScenarioError ? e.message : e);
  process.exit(1);
}
