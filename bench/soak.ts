import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chatBody, devKey, ensureWrk, luaScript, metricValue, rssMb, scratchDatabase, startPinned, stop, type Started } from "./lib.ts";

/**
 * Memory soak: proofgate under c=64 for 10 minutes (--seconds), capture writer on Postgres (--capture
 * memory for the in-memory ring), sampling proofgate's resident set every 5 s. Target: under 250 MB.
 * The last line is a JSON summary.   node bench/soak.ts [--seconds 600] [--capture postgres|memory]
 */
const { values } = parseArgs({
  options: { seconds: { type: "string", default: "600" }, capture: { type: "string", default: "postgres" }, connections: { type: "string", default: "64" } },
});
const seconds = Number(values.seconds);
const capture = values.capture === "memory" ? "memory" : "postgres";
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
ensureWrk();

let mock: Started | undefined;
let proxy: Started | undefined;
let scratch: { url: string; drop(): Promise<void> } | undefined;
try {
  mock = await startPinned(1, here("./mock-upstream.ts"), {});
  const env: Record<string, string> = {
    PORT: "0",
    OPENAI_UPSTREAM_URL: `http://127.0.0.1:${mock.port}/v1`,
    OPENAI_API_KEY: "sk-bench-upstream",
    PROOFGATE_DEV_KEY: devKey,
    CAPTURE: capture,
    // As `pnpm start` runs it (package.json): V8 reads the young generation's cap only at start-up.
    NODE_OPTIONS: [process.env["NODE_OPTIONS"], "--max-semi-space-size=8"].filter(Boolean).join(" "),
    PROOFGATE_DATA_DIR: "/tmp/proofgate-soak",
  };
  if (capture === "postgres") {
    scratch = await scratchDatabase();
    env["DATABASE_URL"] = scratch.url;
  }
  proxy = await startPinned(0, here("./proxy-server.ts"), env);
  const pid = proxy.child.pid!;
  const url = `http://127.0.0.1:${proxy.port}/v1/chat/completions`;
  const startRss = rssMb(pid);
  const wrk = spawn("taskset", ["-c", "1", "wrk", "-t1", `-c${values.connections}`, `-d${seconds}s`, "--latency", "-s", luaScript(chatBody), url], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  wrk.stdout.on("data", (c: Buffer) => (out += c.toString()));
  const done = new Promise<void>((resolve) => wrk.once("exit", () => resolve()));
  const samples: number[] = [];
  const started = Date.now();
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    await Promise.race([done, new Promise((r) => setTimeout(r, 5_000))]);
    if (finished) break;
    const rss = rssMb(pid);
    samples.push(rss);
    if (samples.length % 12 === 0) console.log(`${Math.round((Date.now() - started) / 1000)} s: rss ${rss.toFixed(1)} MB (max ${Math.max(...samples).toFixed(1)})`);
  }
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  // Let the writer catch up, then read its counters.
  await new Promise((r) => setTimeout(r, 3_000));
  const metrics = await (await fetch(`http://127.0.0.1:${proxy.port}/metrics`)).text();
  const summary = {
    bench: "soak",
    capture,
    seconds,
    connections: Number(values.connections),
    requests,
    rps,
    non2xx,
    rssStartMb: Number(startRss.toFixed(1)),
    rssMaxMb: Number(Math.max(...samples).toFixed(1)),
    rssEndMb: Number(rssMb(pid).toFixed(1)),
    samples: samples.length,
    capturesWritten: metricValue(metrics, "proofgate_captures_written_total"),
    capturesDropped: metricValue(metrics, "proofgate_captures_dropped_total"),
    captureBufferDepth: metricValue(metrics, "proofgate_capture_buffer_depth"),
    capturesSpooled: metricValue(metrics, "proofgate_captures_spooled_total"),
    spoolBytes: metricValue(metrics, "proofgate_capture_spool_bytes"),
    target: { rssMaxMb: 250, ok: Math.max(...samples) < 250 },
  };
  console.log(JSON.stringify(summary));
} finally {
  await stop(proxy);
  await stop(mock);
  await scratch?.drop();
}
