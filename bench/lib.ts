import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** Helpers shared by the proxy bench and the soak script. Loopback only. */

export const devKey = "bench-dev-key-0001";
export const chatBody = JSON.stringify({
  model: "gpt-4o-mini",
  messages: [
    { role: "system", content: "You are a support triage assistant. Answer with one word: billing, bug or other." },
    { role: "user", content: "Ticket 48213 from ana@example.com: I was charged twice for order 99812 yesterday." },
  ],
  temperature: 0,
});

/** wrk (Debian's package): C, one thread drives thousands of req/s with µs latency resolution. */
export function ensureWrk(): string {
  const found = which("wrk");
  if (found) return found;
  if (process.getuid?.() === 0) {
    console.error("wrk not found: installing Debian's package");
    execFileSync("apt-get", ["install", "-y", "wrk"], { stdio: "ignore" });
    const installed = which("wrk");
    if (installed) return installed;
  }
  throw new Error("wrk is needed: apt-get install -y wrk");
}

function which(name: string): string | null {
  try {
    return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

export interface Started {
  child: ChildProcess;
  port: number;
  lines: string[];
}

/** Starts a node script pinned to a core and waits for its `ready <port>` line. */
export function startPinned(core: number, script: string, env: Record<string, string>): Promise<Started> {
  const child = spawn("taskset", ["-c", String(core), process.execPath, script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on("line", (line) => {
      lines.push(line);
      const match = /^ready (\d+)$/.exec(line);
      if (match) resolve({ child, port: Number(match[1]), lines });
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    setTimeout(() => reject(new Error(`${script} not ready after 30 s`)), 30_000).unref();
  });
}

export function stop(started: Started | undefined): Promise<void> {
  if (!started || started.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    started.child.once("exit", () => resolve());
    started.child.kill("SIGTERM");
  });
}

/** A created key with every limit set far above what a bench can reach (`bench:proxy --key limited`). */
export const limitedKey = "pgk_bench-limited-key-0001";

export function luaScript(body: string, key = devKey): string {
  const dir = mkdtempSync(join(tmpdir(), "proofgate-bench-"));
  const path = join(dir, "post.lua");
  writeFileSync(
    path,
    [
      'wrk.method = "POST"',
      `wrk.body = [==[${body}]==]`,
      'wrk.headers["Content-Type"] = "application/json"',
      `wrk.headers["Authorization"] = "Bearer ${key}"`,
    ].join("\n"),
  );
  return path;
}

export interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

function ms(value: string, unit: string): number {
  const n = Number(value);
  return unit === "us" ? n / 1000 : unit === "ms" ? n : unit === "s" ? n * 1000 : unit === "m" ? n * 60_000 : NaN;
}

/** Runs wrk pinned to a core; latencies in ms. */
export function runWrk(core: number, url: string, connections: number, seconds: number, script: string): WrkResult {
  const out = execFileSync(
    "taskset",
    ["-c", String(core), "wrk", "-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", script, url],
    { encoding: "utf8" },
  );
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m").exec(out);
    return m ? ms(m[1]!, m[2]!) : NaN;
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return { rps, p50: pct("50"), p99: pct("99"), requests, errors: non2xx + socketErrors };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** CPU time (user + system) a process has used, in ms, from /proc (clock ticks are 10 ms here). */
export function cpuMs(pid: number): number {
  const stat = execFileSync("cat", [`/proc/${pid}/stat`], { encoding: "utf8" });
  // Fields after the command name (which may hold spaces) start at ")": utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Reads a process's resident set size in MB from /proc. */
export function rssMb(pid: number): number {
  const status = execFileSync("cat", [`/proc/${pid}/status`], { encoding: "utf8" });
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** A fresh database on the local Postgres (TEST_DATABASE_URL's server), dropped by the caller. */
export async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const { fromServer } = await import("./resolve.ts");
  const { createTestDatabase } = await fromServer<typeof import("@proofgate/db/testing")>("@proofgate/db/testing");
  return createTestDatabase();
}

/** Reads one sample of a Prometheus metric from a /metrics text (first series when labels are omitted). */
export function metricValue(text: string, name: string): number | null {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+-]+)$`, "m").exec(text);
  return match ? Number(match[1]) : null;
}
