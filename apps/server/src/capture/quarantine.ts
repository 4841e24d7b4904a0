import { mkdirSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { captureLineId, insertQuarantinedCapture, withTimeLimit, type Db } from "@proofgate/db";
import type { Logger } from "pino";
import type { QuarantineKind } from "./admit.ts";
import type { CaptureMetrics } from "./metrics.ts";

/** A quarantine insert is one small statement: past this the file is the safer place. */
const INSERT_TIME_LIMIT_MS = 5_000;

/**
 * Where captures go that must not be retried: the capture_quarantine table, with the reason, or when
 * even that insert fails, one file per capture under <dataDir>/quarantine. Each is counted
 * (proofgate_captures_quarantined_total by kind and store) and logged; a capture neither could take is
 * counted as dropped (quarantine_error). Nothing here throws or is retried.
 */
export class Quarantine {
  readonly dir: string;
  private readonly pending = new Set<Promise<void>>();
  private seq = 0;
  private readonly db: Db;
  private readonly m: CaptureMetrics;
  private readonly log: Logger;

  constructor(db: Db, dataDir: string, metrics: CaptureMetrics, log: Logger) {
    this.db = db;
    this.dir = join(dataDir, "quarantine");
    this.m = metrics;
    this.log = log;
  }

  /** Keeps a line in the table, else in a file; resolves once it is kept (or counted as lost). */
  keep(line: string, kind: QuarantineKind, reason: string): Promise<void> {
    const done = this.store(line, kind, reason).finally(() => this.pending.delete(done));
    this.pending.add(done);
    return done;
  }

  /** After the writer has closed: straight to a file, synchronously. */
  keepSync(line: string, kind: QuarantineKind, reason: string): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const path = this.path(line);
      writeFileSync(path, this.fileText(line, reason), { flush: true });
      this.kept(line, kind, reason, "file", path);
    } catch (error) {
      this.lost(line, reason, error);
    }
  }

  /** Waits (at most timeoutMs) for the quarantines under way. */
  async idle(timeoutMs: number): Promise<void> {
    const all = Promise.allSettled([...this.pending]);
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  private async store(line: string, kind: QuarantineKind, reason: string): Promise<void> {
    const captureId = idOf(line);
    try {
      await withTimeLimit(INSERT_TIME_LIMIT_MS, () => insertQuarantinedCapture(this.db, { captureId, reason, line }));
      this.kept(line, kind, reason, "table");
      return;
    } catch (error) {
      this.log.warn({ id: captureId, err: error instanceof Error ? error.message : String(error) }, "quarantine table refused a capture; writing a file");
    }
    try {
      await mkdir(this.dir, { recursive: true });
      const path = this.path(line);
      await writeFile(path, this.fileText(line, reason), { flush: true });
      this.kept(line, kind, reason, "file", path);
    } catch (error) {
      this.lost(line, reason, error);
    }
  }

  private path(line: string): string {
    const stamp = String(Date.now()).padStart(15, "0");
    const id = (idOf(line) ?? "unknown").replace(/[^A-Za-z0-9-]/g, "_").slice(0, 64);
    return join(this.dir, `${stamp}-${process.pid}-${this.seq++}-${id}.json`);
  }

  private fileText(line: string, reason: string): string {
    return `${JSON.stringify({ captureId: idOf(line), reason, quarantinedAt: new Date().toISOString(), line })}\n`;
  }

  private kept(line: string, kind: QuarantineKind, reason: string, store: "table" | "file", path?: string): void {
    this.m.quarantined.inc({ kind, store });
    this.log.warn({ id: idOf(line), kind, reason, store, path }, "capture quarantined");
  }

  private lost(line: string, reason: string, error: unknown): void {
    this.m.dropped.inc({ reason: "quarantine_error" });
    this.log.error({ id: idOf(line), reason, err: error }, "capture dropped: neither the quarantine table nor a file could take it");
  }
}

function idOf(line: string): string | null {
  const id = captureLineId(line);
  return id === "?" ? null : id.slice(0, 200);
}
