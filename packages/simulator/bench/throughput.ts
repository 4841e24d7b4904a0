// Throughput of the simulator, so benchmarks of the proxy know how much of their time is the upstream's.
// Bounded: a fixed number of requests on loopback, then it stops.
import { FAMILY_KINDS, familyOf, generateInput, generateTraffic, inputKeyOf, loadScenario, sampleOutput, startSimulator } from "../src/index.ts";
import { profileOf } from "../src/scenario.ts";

const scenario = loadScenario(new URL("../../../fixtures/scenarios/safe-candidate.json", import.meta.url).pathname);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = 16;

function pure(): void {
  for (const def of scenario.families) {
    const { family } = familyOf(scenario, def.name);
    const n = 5000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const input = generateInput(family, 1, def.name, i);
      const user = family.renderInput(input);
      sampleOutput({ family, familyName: def.name, input, inputKey: inputKeyOf(def.name, user), model: "gpt-4o", profile: profileOf(scenario, "gpt-4o", def.name), seed: 1, sampleKey: "seq:0" });
    }
    const ms = performance.now() - t0;
    console.log(`pure ${def.name.padEnd(20)} ${(n / (ms / 1000)).toFixed(0).padStart(7)} samples/s (input generation included)`);
  }
}

async function http(stream: boolean): Promise<void> {
  const sim = await startSimulator({ scenario, seed: 1, port: 0, latency: false });
  const bodies = FAMILY_KINDS.length ? scenario.families.flatMap((f) => generateTraffic({ scenario, family: f.name, n: 50, seed: 2 }).map((r) => r.body)) : [];
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  const worker = async () => {
    while (next < REQUESTS) {
      const body = bodies[next++ % bodies.length];
      const s = performance.now();
      const res = await fetch(`${sim.url}/v1/chat/completions`, { method: "POST", body: JSON.stringify({ ...body, stream }) });
      await res.arrayBuffer();
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.floor(q * (latencies.length - 1))]!.toFixed(2);
  console.log(`http ${stream ? "stream    " : "non-stream"} ${(REQUESTS / seconds).toFixed(0).padStart(6)} req/s  p50 ${p(0.5)} ms  p99 ${p(0.99)} ms  (${REQUESTS} requests, ${CONCURRENCY} in flight, latency model off)`);
  await sim.close();
}

pure();
await http(false);
await http(true);
