import { fileURLToPath } from "node:url";
import { cpuMs, runWrk, startPinned, stop, type Started, type WrkResult } from "./lib.ts";

export interface RoutedRow {
  case: "unrouted" | "routed" | "routed-fallback";
  c: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  cpuUsPerReq: number;
}

/**
 * The routed case of `pnpm bench:proxy`: the same mock and request through proofgate unrouted (baseline
 * pass-through) and with the prompt switched to a candidate (reply held and checked against the contract),
 * plus the worst case where every candidate reply fails a JSON contract and the baseline is called again.
 * Each server gets core 0 in turn; wrk stays on core 1.
 */
export async function routedCase(o: { mockPort: number; proxy: Started; seconds: number; script: string; env: Record<string, string> }) {
  const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
  let routed: Started | undefined;
  let fallback: Started | undefined;
  try {
    routed = await startPinned(0, here("./routed-server.ts"), o.env);
    fallback = await startPinned(0, here("./routed-server.ts"), { ...o.env, ROUTED_CONTRACT: "json" });
    const servers = [
      ["unrouted", o.proxy],
      ["routed", routed],
      ["routed-fallback", fallback],
    ] as const;
    const rows: RoutedRow[] = [];
    for (const [, s] of servers) runWrk(1, `http://127.0.0.1:${s.port}/v1/chat/completions`, 16, 2, o.script);
    console.log("routed case |    c |    req/s |   p50 ms |   p99 ms | CPU µs/req");
    for (const c of [1, 16]) {
      for (const [name, s] of servers) {
        const cpu0 = cpuMs(s.child.pid!);
        const r: WrkResult = runWrk(1, `http://127.0.0.1:${s.port}/v1/chat/completions`, c, o.seconds, o.script);
        const row = { case: name, c, rps: Math.round(r.rps), p50: r.p50, p99: r.p99, errors: r.errors, cpuUsPerReq: Math.round(((cpuMs(s.child.pid!) - cpu0) * 1000) / Math.max(1, r.requests)) };
        rows.push(row);
        console.log(`${name.padStart(15)} | ${String(c).padStart(4)} | ${String(row.rps).padStart(8)} | ${r.p50.toFixed(3).padStart(8)} | ${r.p99.toFixed(3).padStart(8)} | ${String(row.cpuUsPerReq).padStart(10)}${r.errors ? `  errors ${r.errors}` : ""}`);
      }
    }
    const at = (name: RoutedRow["case"], c: number) => rows.find((r) => r.case === name && r.c === c)!;
    const summary = {
      rows,
      routedAddedP50AtC1Ms: Number((at("routed", 1).p50 - at("unrouted", 1).p50).toFixed(3)),
      routedCpuUsPerReqAddedAtC16: at("routed", 16).cpuUsPerReq - at("unrouted", 16).cpuUsPerReq,
    };
    console.log(`routed: adds ${summary.routedAddedP50AtC1Ms} ms p50 at c=1 and ${summary.routedCpuUsPerReqAddedAtC16} µs CPU per request at c=16 over the unrouted proxy`);
    return summary;
  } finally {
    await stop(routed);
    await stop(fallback);
  }
}
