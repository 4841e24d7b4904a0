import { join } from "node:path";
import { captureLineId, type CaptureRecord, type Db } from "@proofgate/db";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { CaptureSink } from "../deps.ts";
import { admitLine, admitRecord, type Admission } from "./admit.ts";
import { MemoryBuffer } from "./buffer.ts";
import { captureMetrics, type CaptureMetrics } from "./metrics.ts";
import { Quarantine } from "./quarantine.ts";
import { Spool } from "./spool.ts";
import { CaptureStore, describeDbError } from "./store.ts";

export interface CaptureWriterOptions {
  db: Db;
  logger: Logger;
  metrics: Registry;
  /** PROOFGATE_DATA_DIR: the spool lives in <dataDir>/spool, the quarantine's files in <dataDir>/quarantine. */
  dataDir: string;
  batchSize?: number;
  flushIntervalMs?: number;
  /** Captures held in memory (the batch being written included) before the newest go to the spool. */
  memoryLimit?: number;
  /** The same limit in (estimated) bytes, for captures with large prompts: 16 MB by default. */
  memoryLimitBytes?: number;
  spoolLimitBytes?: number;
  /** Longest wait between retries while Postgres is away. */
  maxBackoffMs?: number;
  /** Time limit of one batch insert (default: the database connection's own limit). */
  writeTimeLimitMs?: number;
}

function rejectAt(deadline: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("capture flush deadline")), Math.max(0, deadline - Date.now())).unref());
}

/**
 * The capture pipeline between the proxy and Postgres. push() encodes the capture as one line of JSON
 * (its parsed bodies are garbage from then on, collected young) and appends it to an array; one background
 * loop writes batches (multi-row insert, idempotent on the capture id). While Postgres is away the
 * batch is retried with backoff, memory holds up to memoryLimit captures and memoryLimitBytes (the batch
 * being written included), and the overflow is appended to the disk spool; when Postgres answers again,
 * memory drains first, then the spool, oldest file first. A capture the database refuses, or that nests
 * JSON past the limit, goes to the quarantine with its reason: it is never retried and never holds up
 * the others.
 */
export class CaptureWriter implements CaptureSink {
  private readonly log: Logger;
  private readonly m: CaptureMetrics;
  readonly spool: Spool;
  readonly quarantine: Quarantine;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly memoryLimit: number;
  private readonly maxBackoffMs: number;
  private readonly memoryLimitBytes: number;
  private readonly store: CaptureStore;
  private buffer = new MemoryBuffer();
  /** Records handed to the spool whose append has not reached the disk yet. */
  private spilling = 0;
  private healthy = true;
  private failures = 0;
  private closing = false;
  private closed = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  /** When the oldest capture in memory must be written by, batch full or not (0: memory is empty). */
  private dueAt = 0;

  constructor(options: CaptureWriterOptions) {
    this.log = options.logger.child({ component: "capture" });
    this.m = captureMetrics(options.metrics);
    this.batchSize = Math.max(1, options.batchSize ?? 200);
    this.flushIntervalMs = options.flushIntervalMs ?? 200;
    // Room for the batch being written and one more filling behind it.
    this.memoryLimit = Math.max(options.memoryLimit ?? 10_000, 2 * this.batchSize);
    this.memoryLimitBytes = options.memoryLimitBytes ?? 16 * 1024 * 1024;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.spool = new Spool(join(options.dataDir, "spool"), options.spoolLimitBytes ?? 1024 ** 3);
    this.quarantine = new Quarantine(options.db, options.dataDir, this.m, this.log);
    this.store = new CaptureStore({ db: options.db, metrics: this.m, logger: this.log, quarantine: this.quarantine, timeLimitMs: options.writeTimeLimitMs });
    this.m.spoolBytes.set(this.spool.totalBytes);
  }

  /** Starts the background loop (also drains a spool left by an earlier run). */
  start(): this {
    this.loop ??= this.run().catch((error: unknown) => {
      this.log.fatal({ err: error }, "capture writer loop stopped unexpectedly");
    });
    return this;
  }

  /** Never throws, never waits: the request path calls this. */
  push(record: CaptureRecord): void {
    try {
      const admitted = admitRecord(record);
      if (!admitted.ok) {
        this.toQuarantine(admitted);
        return;
      }
      const line = admitted.line;
      if (this.closed) {
        this.spillSync([line]);
        return;
      }
      // A capture larger than the whole memory budget never waits in memory.
      if (line.length > this.memoryLimitBytes) {
        this.spill([line]);
        return;
      }
      if (this.buffer.length === 0) this.dueAt = performance.now() + this.flushIntervalMs;
      this.buffer.push(line);
      this.enforceLimits();
      this.gauge();
      // While Postgres is away the loop is backing off; new captures must not cut the backoff short.
      if (this.healthy && this.buffer.length >= this.batchSize) this.wake();
    } catch (error) {
      this.drop("internal", [record.id], error);
    }
  }

  private toQuarantine(a: Extract<Admission, { ok: false }>): void {
    if (this.closed) this.quarantine.keepSync(a.line, a.kind, a.reason);
    else void this.quarantine.keep(a.line, a.kind, a.reason);
  }

  /** Past either memory limit the newest captures go to the spool (MemoryBuffer.overflow). */
  private enforceLimits(): void {
    const out = this.buffer.overflow(this.memoryLimit, this.memoryLimitBytes, this.batchSize);
    if (out.length > 0) this.spill(out);
  }

  private gauge(): void {
    this.m.depth.set(this.depth);
    this.m.bytes.set(this.buffer.heldBytes);
  }

  /** Captures in memory (not yet in Postgres or on disk), the batch being written included. */
  get depth(): number {
    return this.buffer.heldCount + this.spilling;
  }

  get isHealthy(): boolean {
    return this.healthy;
  }

  /** Counts and logs captures that will never reach Postgres; `ids` are capture ids or lines. */
  private drop(reason: string, ids: readonly string[], error?: unknown, count = ids.length): void {
    if (count === 0) return;
    this.m.dropped.inc({ reason }, count);
    const shown = ids.slice(0, 20).map((s) => (s.startsWith("{") ? captureLineId(s) : s));
    this.log.error({ err: error, reason, count, ids: shown }, "captures dropped");
  }

  private spill(lines: string[]): void {
    this.spilling += lines.length;
    this.spool
      .append(lines)
      .then(({ written, refused }) => {
        this.m.spooled.inc(written);
        this.drop("spool_full", refused);
      })
      .catch((error: unknown) => this.drop("spool_error", lines, error))
      .finally(() => {
        this.spilling -= lines.length;
        this.gauge();
        this.m.spoolBytes.set(this.spool.totalBytes);
      });
  }

  private spillSync(lines: string[]): void {
    try {
      const { written, refused } = this.spool.appendSync(lines);
      this.m.spooled.inc(written);
      this.m.spoolBytes.set(this.spool.totalBytes);
      this.drop("spool_full", refused);
    } catch (error) {
      this.drop("spool_error", lines, error);
    }
  }

  private wake(): void {
    const fn = this.wakeUp;
    this.wakeUp = null;
    fn?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      timer.unref();
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * Writes the oldest batch. It leaves the queue while it is written (still counted against the limits
   * until spooled); on failure it goes back in front unless it was spooled meanwhile.
   */
  private async writeHead(deadline?: number): Promise<void> {
    const flight = this.buffer.beginWrite(this.batchSize);
    let ok = false;
    try {
      const writing = this.store.write(flight.lines);
      if (deadline === undefined) await writing;
      else {
        writing.catch(() => {});
        await Promise.race([writing, rejectAt(deadline)]);
      }
      ok = true;
    } finally {
      this.buffer.endWrite(flight, ok);
      this.gauge();
    }
  }

  private onFailure(error: unknown): number {
    this.m.writeErrors.inc();
    this.failures += 1;
    if (this.healthy) this.log.error({ err: describeDbError(error) }, "capture writes failing; holding captures in memory and the spool");
    this.healthy = false;
    return Math.min(this.maxBackoffMs, 100 * 2 ** Math.min(this.failures - 1, 10));
  }

  private onSuccess(): void {
    if (!this.healthy) this.log.info({ failures: this.failures }, "capture writes recovered; draining");
    this.healthy = true;
    this.failures = 0;
  }

  /**
   * Moves one sealed spool file into Postgres; false when there was nothing to drain. Lines nested past
   * the limit (spooled by a version without it) go to the quarantine, so the file always drains.
   */
  private async drainOne(): Promise<boolean> {
    if (this.spool.totalBytes === 0) return false;
    let files = this.spool.sealedFiles();
    if (files.length === 0 && this.spilling === 0) {
      await this.spool.seal();
      files = this.spool.sealedFiles();
    }
    const file = files[0];
    if (!file) return false;
    const { lines, corrupt } = await this.spool.read(file);
    if (corrupt > 0) this.drop("spool_corrupt", [], new Error(`${corrupt} undecodable lines in ${file.path}`), corrupt);
    const storable: string[] = [];
    const kept: Promise<void>[] = [];
    for (const line of lines) {
      const a = admitLine(line);
      if (a.ok) storable.push(a.line);
      else kept.push(this.quarantine.keep(a.line, a.kind, a.reason));
    }
    for (let i = 0; i < storable.length; i += this.batchSize) {
      await this.store.write(storable.slice(i, i + this.batchSize));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(kept);
    await this.spool.remove(file);
    this.m.spoolBytes.set(this.spool.totalBytes);
    this.log.info({ file: file.path, captures: lines.length }, "spool file drained");
    return true;
  }

  /**
   * A batch is written once it is full or its oldest capture has waited flushIntervalMs, whichever comes
   * first: at low rates many requests share one transaction instead of paying one each, and at high
   * rates batches fill before the interval is up. While Postgres is away, every pass is a retry.
   */
  private async run(): Promise<void> {
    while (!this.closing) {
      try {
        const now = performance.now();
        if (this.buffer.length >= this.batchSize || (this.buffer.length > 0 && (now >= this.dueAt || !this.healthy))) {
          await this.writeHead();
          // What arrived during the write arrived after it started: it waits at most one interval.
          if (this.buffer.length > 0) this.dueAt = now + this.flushIntervalMs;
          this.onSuccess();
          // Yield to I/O between batches, so a long backlog never starves the requests being served.
          await new Promise((resolve) => setImmediate(resolve));
          if (this.buffer.length >= this.batchSize) continue;
        }
        // The spool drains only when memory is nearly empty, so fresh captures are never starved. With
        // nothing in memory, draining is also what probes a Postgres that failed before.
        if (this.buffer.length < this.batchSize && (await this.drainOne())) {
          this.onSuccess();
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        const wait = this.buffer.length > 0 ? this.dueAt - performance.now() : this.flushIntervalMs;
        if (wait > 0) await this.sleep(wait);
      } catch (error) {
        await this.sleep(this.onFailure(error));
      }
    }
  }

  /**
   * Flushes everything: memory to Postgres while it answers and time remains, the rest to the spool
   * (drained at the next start). Pushes after close go straight to the spool.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return;
    const deadline = Date.now() + timeoutMs;
    this.closing = true;
    this.wake();
    await Promise.race([this.loop, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    // A loop still inside a write means Postgres is not answering: no point queueing more behind it.
    while (this.buffer.length > 0 && this.buffer.writing === null && Date.now() < deadline) {
      try {
        await this.writeHead(deadline);
      } catch (error) {
        this.log.warn({ err: describeDbError(error), remaining: this.buffer.length }, "final capture flush failed; spooling the rest");
        break;
      }
    }
    this.closed = true;
    await this.spool.idle();
    // A write stuck on an unresponsive server must not hold shutdown: its batch is spooled too
    // (re-storing it later is idempotent).
    const rest = this.buffer.takeAll();
    if (rest.length > 0) this.spillSync(rest);
    await this.quarantine.idle(Math.max(1_000, deadline - Date.now()));
    this.gauge();
    this.log.info({ spooled: rest.length, spoolBytes: this.spool.totalBytes }, "capture writer closed");
  }
}
