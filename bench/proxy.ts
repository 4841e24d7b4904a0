import { execFileSync } from "node:child_process";
import { Agent, request } from "node:http";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { routedCase } from "./routed.ts";
import { chatBody, cpuMs, devKey, ensureWrk, limitedKey, metricValue, scratchDatabase, luaScript, percentile, runWrk, startPinned, stop, type Started, type WrkResult } from "./lib.ts";

/**
 * pnpm bench:proxy: the same mock upstream called directly and through proofgate (capture on), in one run,
 * at concurrency 1, 16 and 64. proofgate gets core 0 to itself; the mock, wrk and this script share core 1.
 * Then streaming time to first byte, direct against proxied. The last line is a JSON summary.
 *   --seconds N   per measurement (default 8)     --capture postgres|memory (default postgres: the real
 *   server and capture writer on a scratch database; memory: createApp with captures kept in a ring)
 *   --key dev|limited (default dev: PROOFGATE_DEV_KEY, which carries no limits; limited: a created key
 *   with rpm, tpm, daily and monthly limits set out of reach, so every request is counted and checked)
 */
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "8" },
    capture: { type: "string", default: "postgres" },
    ttfb: { type: "string", default: "400" },
    key: { type: "string", default: "dev" },
  },
});
const seconds = Number(values.seconds);
const capture = values.capture === "memory" ? "memory" : "postgres";
const limited = values.key === "limited";
if (limited && capture !== "postgres") throw new Error("--key limited needs --capture postgres (the key is a row in the scratch database)");
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

ensureWrk();
// This process (the TTFB client) stays off proofgate's core too.
execFileSync("taskset", ["-p", "-c", "1", String(process.pid)], { stdio: "ignore" });

let mock: Started | undefined;
let proxy: Started | undefined;
let bare: Started | undefined;
let scratch: { url: string; drop(): Promise<void> } | undefined;
try {
  mock = await startPinned(1, here("./mock-upstream.ts"), {});
  const env: Record<string, string> = {
    PORT: "0",
    OPENAI_UPSTREAM_URL: `http://127.0.0.1:${mock.port}/v1`,
    OPENAI_API_KEY: "sk-bench-upstream",
    PROOFGATE_DEV_KEY: devKey,
    LOG_LEVEL: "info",
    CAPTURE: capture,
    // As `pnpm start` runs it (package.json): V8 reads the young generation's cap only at start-up.
    NODE_OPTIONS: [process.env["NODE_OPTIONS"], "--max-semi-space-size=8"].filter(Boolean).join(" "),
    PROOFGATE_DATA_DIR: "/tmp/proofgate-bench",
  };
  if (capture === "postgres") {
    scratch = await scratchDatabase();
    env["DATABASE_URL"] = scratch.url;
  }
  if (limited) env["BENCH_LIMITED_KEY"] = limitedKey;
  proxy = await startPinned(0, here("./proxy-server.ts"), env);
  bare = await startPinned(0, here("./bare-proxy.ts"), { PORT: "0", OPENAI_UPSTREAM_URL: env["OPENAI_UPSTREAM_URL"]! });

  const script = luaScript(chatBody, limited ? limitedKey : devKey);
  const direct = `http://127.0.0.1:${mock.port}/v1/chat/completions`;
  const proxied = `http://127.0.0.1:${proxy.port}/v1/chat/completions`;
  // Warm both paths (JIT, pools) before measuring.
  runWrk(1, direct, 16, 2, script);
  runWrk(1, proxied, 16, 2, script);

  const rows: Array<{ c: number; direct: WrkResult; proxied: WrkResult; ratio: number; addedP50Ms: number; cpuUsPerReq: number }> = [];
  const pid = proxy.child.pid!;
  console.log(`capture: ${capture}; key: ${limited ? "limited" : "dev"}; ${seconds} s per cell; proofgate on core 0, mock + wrk on core 1`);
  // CPU per request is the figure least moved by other load on the machine: 1e6 / it is the one-core ceiling.
  console.log("   c | direct req/s   p50 ms   p99 ms | proofgate req/s   p50 ms   p99 ms | ratio | added p50 ms | proofgate CPU µs/req");
  for (const c of [1, 16, 64]) {
    const d = runWrk(1, direct, c, seconds, script);
    const cpu0 = cpuMs(pid);
    const p = runWrk(1, proxied, c, seconds, script);
    const cpuUsPerReq = ((cpuMs(pid) - cpu0) * 1000) / Math.max(1, p.requests);
    const row = { c, direct: d, proxied: p, ratio: p.rps / d.rps, addedP50Ms: p.p50 - d.p50, cpuUsPerReq };
    rows.push(row);
    const f = (n: number, w: number, digits = 3) => n.toFixed(digits).padStart(w);
    console.log(
      `${String(c).padStart(4)} | ${f(d.rps, 12, 0)} ${f(d.p50, 8)} ${f(d.p99, 8)} | ${f(p.rps, 15, 0)} ${f(p.p50, 8)} ${f(p.p99, 8)} | ${f(row.ratio, 5, 2)} | ${f(row.addedP50Ms, 12)} | ${f(cpuUsPerReq, 20, 0)}`,
    );
    if (d.errors + p.errors > 0) console.log(`     errors: direct ${d.errors}, proofgate ${p.errors}`);
  }

  // The floor at c=1: a bare pass-through proxy on the same core, paying the same two extra hops.
  const bareUrl = `http://127.0.0.1:${bare.port}/v1/chat/completions`;
  runWrk(1, bareUrl, 1, 2, script);
  const floor = runWrk(1, bareUrl, 1, seconds, script);
  console.log(`floor: a bare Node pass-through proxy on core 0 at c=1: p50 ${floor.p50.toFixed(3)} ms (adds ${(floor.p50 - rows[0]!.direct.p50).toFixed(3)} ms)`);
  const ttfb = await measureTtfb(mock.port, proxy.port, Number(values.ttfb));
  const bareTtfb = await measureTtfb(mock.port, bare.port, Number(values.ttfb));
  console.log(`floor: streaming TTFB through the bare proxy: added p50 ${bareTtfb.addedP50Ms.toFixed(3)} ms`);
  console.log(
    `streaming TTFB (${ttfb.samples} each, alternating): direct p50 ${ttfb.direct.p50.toFixed(3)} ms p99 ${ttfb.direct.p99.toFixed(3)} ms; ` +
      `proofgate p50 ${ttfb.proxied.p50.toFixed(3)} ms p99 ${ttfb.proxied.p99.toFixed(3)} ms; added p50 ${ttfb.addedP50Ms.toFixed(3)} ms`,
  );
  // A switched prompt: the candidate's reply held and checked against the contract (bench/routed.ts).
  const routed = await routedCase({ mockPort: mock.port, proxy, seconds, script, env });
  let captured: Record<string, number | null>;
  if (capture === "memory") {
    proxy.child.kill("SIGUSR2");
    await new Promise((r) => setTimeout(r, 200));
    captured = { pushed: Number(proxy.lines.find((l) => l.startsWith("captures "))?.slice(9) ?? NaN) };
  } else {
    // Give the writer a moment to drain, then read its own counters.
    await new Promise((r) => setTimeout(r, 2_000));
    const text = await (await fetch(`http://127.0.0.1:${proxy.port}/metrics`)).text();
    captured = {
      written: metricValue(text, "proofgate_captures_written_total"),
      buffered: metricValue(text, "proofgate_capture_buffer_depth"),
      spooled: metricValue(text, "proofgate_captures_spooled_total"),
    };
  }
  console.log(`captures: ${JSON.stringify(captured)}`);
  const c16 = rows.find((r) => r.c === 16)!;
  const c1 = rows.find((r) => r.c === 1)!;
  const summary = {
    bench: "proxy",
    capture,
    key: limited ? "limited" : "dev",
    seconds,
    node: process.version,
    rows: rows.map((r) => ({
      c: r.c,
      direct: { rps: Math.round(r.direct.rps), p50: r.direct.p50, p99: r.direct.p99, errors: r.direct.errors },
      proofgate: { rps: Math.round(r.proxied.rps), p50: r.proxied.p50, p99: r.proxied.p99, errors: r.proxied.errors },
      ratio: Number(r.ratio.toFixed(3)),
      addedP50Ms: Number(r.addedP50Ms.toFixed(3)),
      cpuUsPerReq: Math.round(r.cpuUsPerReq),
    })),
    loadAverage: os.loadavg().map((n) => Number(n.toFixed(2))),
    ttfb: {
      directP50: round(ttfb.direct.p50),
      proofgateP50: round(ttfb.proxied.p50),
      directP99: round(ttfb.direct.p99),
      proofgateP99: round(ttfb.proxied.p99),
      addedP50Ms: round(ttfb.addedP50Ms),
    },
    captured,
    routed,
    floor: { bareProxyAddedP50AtC1: round(floor.p50 - rows[0]!.direct.p50), bareProxyTtfbAdded: round(bareTtfb.addedP50Ms) },
    targets: {
      rpsAtC16: { want: 4000, got: Math.round(c16.proxied.rps), ok: c16.proxied.rps >= 4000 },
      addedP50AtC1: { want: 0.3, got: round(c1.addedP50Ms), ok: c1.addedP50Ms <= 0.3 },
      ttfbAdded: { want: 1, got: round(ttfb.addedP50Ms), ok: ttfb.addedP50Ms <= 1 },
    },
  };
  console.log(JSON.stringify(summary));
} finally {
  await stop(proxy);
  await stop(bare);
  await stop(mock);
  await scratch?.drop();
}

function round(n: number) {
  return Number(n.toFixed(3));
}

/** Time from sending a streamed request to its first body byte, direct and proxied in turn, one at a time. */
async function measureTtfb(directPort: number, proxyPort: number, samples: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ ...JSON.parse(chatBody), stream: true });
  const once = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const start = process.hrtime.bigint();
      const req = request(
        { host: "127.0.0.1", port, path: "/v1/chat/completions", method: "POST", agent, headers: { "content-type": "application/json", authorization: `Bearer ${devKey}`, "content-length": Buffer.byteLength(body) } },
        (res) => {
          let first: bigint | null = null;
          res.on("data", () => {
            first ??= process.hrtime.bigint();
          });
          res.on("end", () => resolve(Number((first ?? process.hrtime.bigint()) - start) / 1e6));
        },
      );
      req.on("error", reject);
      req.setTimeout(10_000, () => req.destroy(new Error(`no answer from port ${port} in 10 s`)));
      req.end(body);
    });
  const d: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < 50; i++) await once(i % 2 ? directPort : proxyPort);
  for (let i = 0; i < samples; i++) {
    d.push(await once(directPort));
    p.push(await once(proxyPort));
  }
  agent.destroy();
  d.sort((a, b) => a - b);
  p.sort((a, b) => a - b);
  const direct = { p50: percentile(d, 50), p99: percentile(d, 99) };
  const proxied = { p50: percentile(p, 50), p99: percentile(p, 99) };
  return { samples, direct, proxied, addedP50Ms: proxied.p50 - direct.p50 };
}
