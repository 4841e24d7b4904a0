import { captureLineId, insertCaptureLines, isTransientDbError, withTimeLimit, type Db } from "@proofgate/db";
import type { Logger } from "pino";
import { sanitizeLine } from "./codec.ts";
import type { CaptureMetrics } from "./metrics.ts";
import type { Quarantine } from "./quarantine.ts";

/** What the database said, for logs and the quarantine: the driver's own error, not the query (which holds the batch). */
export function describeDbError(error: unknown): string {
  let chosen: unknown = error;
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    chosen = e;
    if (typeof (e as { code?: unknown }).code === "string") break;
  }
  const code = (chosen as { code?: unknown }).code;
  const message = chosen instanceof Error ? chosen.message : String(chosen);
  return `${message.slice(0, 300)}${typeof code === "string" ? ` (${code})` : ""}`;
}

/**
 * Stores capture lines. A refusal (bad data, not a connection problem) is narrowed down by halving the
 * batch, so the rest are stored and only the refused line is isolated: stored again with the characters
 * Postgres refuses replaced, else quarantined with the reason. Only a transient error (the database is
 * away, slow or gone meanwhile) is thrown, for the writer to retry the batch later.
 */
export class CaptureStore {
  private readonly db: Db;
  private readonly m: CaptureMetrics;
  private readonly log: Logger;
  private readonly quarantine: Quarantine;
  private readonly timeLimitMs: number | undefined;

  constructor(o: { db: Db; metrics: CaptureMetrics; logger: Logger; quarantine: Quarantine; timeLimitMs?: number | undefined }) {
    this.db = o.db;
    this.m = o.metrics;
    this.log = o.logger;
    this.quarantine = o.quarantine;
    this.timeLimitMs = o.timeLimitMs;
  }

  private insert(lines: readonly string[]): Promise<number> {
    const ms = this.timeLimitMs;
    return ms === undefined ? insertCaptureLines(this.db, lines) : withTimeLimit(ms, () => insertCaptureLines(this.db, lines));
  }

  async write(lines: readonly string[]): Promise<void> {
    const end = this.m.batchSeconds.startTimer();
    try {
      this.m.written.inc(await this.insert(lines));
      end();
    } catch (error) {
      if (isTransientDbError(error)) throw error;
      if (lines.length > 1) {
        const half = Math.ceil(lines.length / 2);
        await this.write(lines.slice(0, half));
        await this.write(lines.slice(half));
        return;
      }
      const line = lines[0];
      if (line !== undefined) await this.isolate(line, error);
    }
  }

  private async isolate(line: string, error: unknown): Promise<void> {
    let clean: string | null;
    try {
      clean = sanitizeLine(line);
    } catch (failure) {
      await this.quarantine.keep(line, "unencodable", `could not be made storable: ${describeDbError(failure)}`);
      return;
    }
    let refused = error;
    if (clean !== null) {
      try {
        this.m.written.inc(await this.insert([clean]));
        this.log.warn({ id: captureLineId(line), err: describeDbError(error) }, "capture stored after replacing characters Postgres refuses");
        return;
      } catch (again) {
        if (isTransientDbError(again)) throw again;
        refused = again;
      }
    }
    await this.quarantine.keep(line, "refused", `refused by the database: ${describeDbError(refused)}`);
  }
}
