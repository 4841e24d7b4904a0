import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { devKey, metricValue, scratchDatabase, startPinned, stop, type Started } from "./lib.ts";

/**
 * Large bodies through the real server: `--concurrency` requests of `--request-mb` MB at once (a chat
 * request with one long user message), then `--replies` requests at once whose upstream streams
 * `--reply-mb` MB back. proofgate's resident memory is sampled every 20 ms and its high-water mark
 * (VmHWM) read before and after each phase. `--capture postgres` runs the real server with its capture
 * writer on a scratch database; `--capture discard` encodes each capture as the writer would and drops it,
 * so the figure is the proxy's own. The last line is a JSON summary.
 *   node bench/large-bodies.ts [--concurrency 16] [--request-mb 31] [--replies 2] [--reply-mb 60]
 *                              [--capture postgres|discard] [--budget-mb <limits.inFlightBytes in MB>]
 */
const { values } = parseArgs({
  options: {
    concurrency: { type: "string", default: "16" },
    "request-mb": { type: "string", default: "31" },
    replies: { type: "string", default: "2" },
    "reply-mb": { type: "string", default: "60" },
    capture: { type: "string", default: "postgres" },
    "budget-mb": { type: "string" },
  },
});
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function status(pid: number): { rss: number; hwm: number } {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
}

/** A chat request of about `mb` MB: a short instruction and one long document as the user turn. */
function largeBody(mb: number, model = "gpt-4o-mini"): Buffer {
  const sentence = "The quarterly report lists revenue, costs and the outlook for each region.\\n";
  const text = sentence.repeat(Math.ceil((mb * 1024 * 1024) / sentence.length));
  // Written out rather than JSON.stringify'd: the text is already a JSON string body ("\\n" escapes).
  return Buffer.from(`{"model":"${model}","messages":[{"role":"system","content":"Summarise the document."},{"role":"user","content":"${text}"}]}`);
}

function post(port: number, body: Buffer): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/v1/chat/completions", method: "POST", agent: false, headers: { authorization: `Bearer ${devKey}`, "content-type": "application/json", "content-length": String(body.length) } },
      (res) => {
        let bytes = 0;
        res.on("data", (c: Buffer) => (bytes += c.length));
        res.on("end", () => resolve({ status: res.statusCode!, bytes }));
        res.on("error", () => resolve({ status: -1, bytes }));
      },
    );
    req.on("error", () => resolve({ status: -1, bytes: 0 }));
    req.end(body);
  });
}

/** Runs one phase while sampling proofgate's memory; returns its peak and what the requests got. */
async function phase(pid: number, run: () => Promise<Array<{ status: number; bytes: number }>>) {
  const start = status(pid);
  let max = start.rss;
  const timer = setInterval(() => (max = Math.max(max, status(pid).rss)), 20);
  const started = performance.now();
  const results = await run();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  const end = status(pid);
  const statuses: Record<string, number> = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  // VmHWM is the kernel's own peak: it catches a spike between two samples, when it exceeds the earlier peak.
  const peak = Math.max(max, end.hwm > start.hwm ? end.hwm : 0);
  return { rssStartMb: round(start.rss), rssMaxMb: round(peak), rssEndMb: round(end.rss), seconds: round(seconds), statuses, replyBytes: results.reduce((a, r) => a + r.bytes, 0) };
}

const round = (n: number) => Math.round(n * 10) / 10;

let upstream: Started | undefined;
let proxy: Started | undefined;
let scratch: { url: string; drop(): Promise<void> } | undefined;
try {
  upstream = await startPinned(1, here("./large-upstream.ts"), {});
  const env: Record<string, string> = {
    PORT: "0",
    OPENAI_UPSTREAM_URL: `http://127.0.0.1:${upstream.port}/v1`,
    OPENAI_API_KEY: "sk-bench-upstream",
    PROOFGATE_DEV_KEY: devKey,
    CAPTURE: values.capture === "discard" ? "discard" : "postgres",
    NODE_OPTIONS: [process.env["NODE_OPTIONS"], "--max-semi-space-size=8"].filter(Boolean).join(" "),
    PROOFGATE_DATA_DIR: "/tmp/proofgate-large-bodies",
  };
  if (values["budget-mb"]) {
    const path = "/tmp/proofgate-large-bodies.config.json";
    writeFileSync(path, JSON.stringify({ limits: { inFlightBytes: Number(values["budget-mb"]) * 1024 * 1024 } }));
    env["PROOFGATE_CONFIG"] = path;
  }
  if (env["CAPTURE"] === "postgres") {
    scratch = await scratchDatabase();
    env["DATABASE_URL"] = scratch.url;
  }
  proxy = await startPinned(0, here("./proxy-server.ts"), env);
  const pid = proxy.child.pid!;
  const port = proxy.port;
  const body = largeBody(Number(values["request-mb"]));
  const concurrency = Number(values.concurrency);
  const requests = await phase(pid, () => Promise.all(Array.from({ length: concurrency }, () => post(port, body))));
  console.log(`${concurrency} x ${(body.length / 1024 / 1024).toFixed(1)} MB requests: ${JSON.stringify(requests)}`);
  const replyBody = Buffer.from(JSON.stringify({ model: `reply-${values["reply-mb"]}mb`, stream: true, messages: [{ role: "user", content: "Write a lot." }] }));
  const replies = await phase(pid, () => Promise.all(Array.from({ length: Number(values.replies) }, () => post(port, replyBody))));
  console.log(`${values.replies} x ${values["reply-mb"]} MB replies: ${JSON.stringify(replies)}`);
  // Let the capture writer finish, then read its counters and the budget's peak.
  await new Promise((r) => setTimeout(r, 3_000));
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const summary = {
    bench: "large-bodies",
    capture: env["CAPTURE"],
    requestMb: round(body.length / 1024 / 1024),
    concurrency,
    requests,
    replies,
    rssMaxMb: Math.max(requests.rssMaxMb, replies.rssMaxMb),
    inFlightBudgetBytes: metricValue(metrics, "proofgate_inflight_budget_bytes"),
    inFlightPeakBytes: metricValue(metrics, "proofgate_inflight_bytes_peak"),
    inFlightRefused: metricValue(metrics, "proofgate_inflight_refused_total"),
    capturesWritten: metricValue(metrics, "proofgate_captures_written_total"),
    capturesSpooled: metricValue(metrics, "proofgate_captures_spooled_total"),
    target: { rssMaxMb: 400, ok: Math.max(requests.rssMaxMb, replies.rssMaxMb) < 400 },
  };
  console.log(JSON.stringify(summary));
} finally {
  await stop(proxy);
  await stop(upstream);
  await scratch?.drop();
}
