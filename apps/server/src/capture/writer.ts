import { join } from "node:path";
import { captureLineId, encodeCapture, insertCaptureLines, isTransientDbError, type CaptureRecord, type Db } from "@proofgate/db";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { CaptureSink } from "../deps.ts";
import { MemoryBuffer } from "./buffer.ts";
import { sanitizeLine } from "./codec.ts";
import { captureMetrics, type CaptureMetrics } from "./metrics.ts";
import { Spool } from "./spool.ts";

export interface CaptureWriterOptions {
  db: Db;
  logger: Logger;
  metrics: Registry;
  /** PROOFGATE_DATA_DIR: the spool lives in <dataDir>/spool. */
  dataDir: string;
  batchSize?: number;
  flushIntervalMs?: number;
  /** Captures held in memory before the newest overflow goes to the spool. */
  memoryLimit?: number;
  /** The same limit in (estimated) bytes, for captures with large prompts: 16 MB by default. */
  memoryLimitBytes?: number;
  spoolLimitBytes?: number;
  /** Longest wait between retries while Postgres is away. */
  maxBackoffMs?: number;
}

/**
 * The capture pipeline between the proxy and Postgres. push() encodes the capture as one line of JSON
 * (its parsed bodies are garbage from then on, collected young) and appends it to an array; one background
 * loop writes batches (multi-row insert, idempotent on the capture id). While Postgres is away the
 * batch is retried with backoff, memory holds up to memoryLimit captures, and the overflow is appended
 * to the disk spool; when Postgres answers again, memory drains first, then the spool, oldest file first.
 */
export class CaptureWriter implements CaptureSink {
  private readonly db: Db;
  private readonly log: Logger;
  private readonly m: CaptureMetrics;
  readonly spool: Spool;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly memoryLimit: number;
  private readonly maxBackoffMs: number;
  private readonly memoryLimitBytes: number;
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
    this.db = options.db;
    this.log = options.logger.child({ component: "capture" });
    this.m = captureMetrics(options.metrics);
    this.batchSize = Math.max(1, options.batchSize ?? 200);
    this.flushIntervalMs = options.flushIntervalMs ?? 200;
    // The head batch being written stays in memory, so memory must hold at least two batches.
    this.memoryLimit = Math.max(options.memoryLimit ?? 10_000, 2 * this.batchSize);
    this.memoryLimitBytes = options.memoryLimitBytes ?? 16 * 1024 * 1024;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.spool = new Spool(join(options.dataDir, "spool"), options.spoolLimitBytes ?? 1024 ** 3);
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
      const line = encodeCapture(record);
      if (this.closed) {
        this.spillSync([line]);
        return;
      }
      if (this.buffer.length === 0) this.dueAt = performance.now() + this.flushIntervalMs;
      this.buffer.push(line);
      // Past either limit the newest captures go to the spool, in chunks so spills stay infrequent;
      // the oldest batch (the one being written) always stays.
      const from = this.buffer.overflowFrom(this.memoryLimit, this.memoryLimitBytes, this.batchSize);
      if (from !== null) this.spill(this.buffer.takeFrom(Math.max(this.batchSize, Math.min(from, this.memoryLimit - this.batchSize))));
      this.gauge();
      // While Postgres is away the loop is backing off; new captures must not cut the backoff short.
      if (this.healthy && this.buffer.length >= this.batchSize) this.wake();
    } catch (error) {
      this.drop("internal", [record.id], error);
    }
  }

  private gauge(): void {
    this.m.depth.set(this.buffer.length + this.spilling);
    this.m.bytes.set(this.buffer.bytes);
  }

  /** Captures in memory (not yet in Postgres or on disk). */
  get depth(): number {
    return this.buffer.length + this.spilling;
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
   * Writes lines; a refused row (bad data, not a connection problem) is isolated by halving the batch,
   * retried once sanitised, and only then dropped and counted. A transient error is rethrown.
   */
  private async write(lines: string[]): Promise<void> {
    const end = this.m.batchSeconds.startTimer();
    try {
      const inserted = await insertCaptureLines(this.db, lines);
      this.m.written.inc(inserted);
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
      if (!line) return;
      const clean = sanitizeLine(line);
      if (clean === null) {
        this.drop("rejected", [line], error);
        return;
      }
      try {
        this.m.written.inc(await insertCaptureLines(this.db, [clean]));
        this.log.warn({ id: captureLineId(line), err: error }, "capture stored after replacing characters Postgres refuses");
      } catch (again) {
        if (isTransientDbError(again)) throw again;
        this.drop("rejected", [line], again);
      }
    }
  }

  private onFailure(error: unknown): number {
    this.m.writeErrors.inc();
    this.failures += 1;
    if (this.healthy) this.log.error({ err: error }, "capture writes failing; holding captures in memory and the spool");
    this.healthy = false;
    return Math.min(this.maxBackoffMs, 100 * 2 ** Math.min(this.failures - 1, 10));
  }

  private onSuccess(): void {
    if (!this.healthy) this.log.info({ failures: this.failures }, "capture writes recovered; draining");
    this.healthy = true;
    this.failures = 0;
  }

  /** Moves one sealed spool file into Postgres; false when there was nothing to drain. */
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
    for (let i = 0; i < lines.length; i += this.batchSize) {
      await this.write(lines.slice(i, i + this.batchSize));
      await new Promise((resolve) => setImmediate(resolve));
    }
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
          const batch = this.buffer.head(this.batchSize);
          await this.write(batch);
          this.buffer.dropHead(batch.length);
          // What arrived during the write arrived after it started: it waits at most one interval.
          if (this.buffer.length > 0) this.dueAt = now + this.flushIntervalMs;
          this.gauge();
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
    // A write stuck on an unresponsive server must not hold shutdown: past the deadline, whatever is
    // still in memory (the stuck batch included; re-storing it later is idempotent) goes to the spool.
    await Promise.race([this.loop, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    while (this.buffer.length > 0 && Date.now() < deadline) {
      const batch = this.buffer.head(this.batchSize);
      try {
        await Promise.race([
          this.write(batch),
          new Promise((_, reject) => setTimeout(() => reject(new Error("capture flush deadline")), Math.max(0, deadline - Date.now())).unref()),
        ]);
      } catch (error) {
        this.log.warn({ err: error, remaining: this.buffer.length }, "final capture flush failed; spooling the rest");
        break;
      }
      this.buffer.dropHead(batch.length);
    }
    this.closed = true;
    await this.spool.idle();
    const rest = this.buffer.takeFrom(0);
    if (rest.length > 0) this.spillSync(rest);
    this.gauge();
    this.log.info({ spooled: rest.length, spoolBytes: this.spool.totalBytes }, "capture writer closed");
  }
}
