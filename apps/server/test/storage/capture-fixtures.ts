import type { CaptureRecord } from "@proofgate/db";
import { captureRecord } from "@proofgate/db/testing";
import pino from "pino";
import { Registry } from "prom-client";

export function makeCapture(overrides: Partial<CaptureRecord> = {}): CaptureRecord {
  const i = Math.floor(Math.random() * 1e9);
  return captureRecord({
    request: { model: "gpt-4o", messages: [{ role: "user", content: `Ticket: ${i}` }] },
    response: { id: `chatcmpl-${i}`, choices: [{ message: { role: "assistant", content: "billing" } }] },
    inputTokens: 12,
    outputTokens: 3,
    costUsd: 0.0001,
    latencyMs: 12.5,
    ttfbMs: 10.1,
    upstreamRequestId: `req_${i}`,
    ...overrides,
  });
}

export const quietLogger = () => pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val))
    .reduce((sum, v) => sum + v.value, 0);
}

export function newRegistry(): Registry {
  return new Registry();
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
