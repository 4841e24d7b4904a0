import { join } from "node:path";
import { captureLineId, insertCaptureLines, isTransientDbError, withTimeLimit, type CaptureRecord, type Db } from "@proofgate/db";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { CaptureSink } from "../deps.ts";
import { admitLine, admitRecord, type Admission } from "./admit.ts";
import { MemoryBuffer } from "./buffer.ts";
import { sanitizeLine } from "./codec.ts";
import { captureMetrics, type CaptureMetrics } from "./metrics.ts";
import { Quarantine } from "./quarantine.ts";
import { Spool } from "./spool.ts";

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

/** A batch taken out of memory to be written; `spilled` once it was also handed to the spool. */
interface InFlight {
  lines: string[];
  bytes: number;
  spilled: boolean;
}

function rejectAt(deadline: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("capture flush deadline")), Math.max(0, deadline - Date.now())).unref());
}

/** What the database said about a refused line, for the quarantine: the driver's own error, not the query. */
function refusal(error: unknown): string {
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
  private readonly db: Db;
  private readonly log: Logger;
  private readonly m: CaptureMetrics;
  readonly spool: Spool;
  readonly quarantine: Quarantine;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly memoryLimit: number;
  private readonly maxBackoffMs: number;
  private readonly memoryLimitBytes: number;
  private readonly writeTimeLimitMs: number | undefined;
  private buffer = new MemoryBuffer();
  private inflight: InFlight | null = null;
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
    // Room for the batch being written and one more filling behind it.
    this.memoryLimit = Math.max(options.memoryLimit ?? 10_000, 2 * this.batchSize);
    this.memoryLimitBytes = options.memoryLimitBytes ?? 16 * 1024 * 1024;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.writeTimeLimitMs = options.writeTimeLimitMs;
    this.spool = new Spool(join(options.dataDir, "spool"), options.spoolLimitBytes ?? 1024 ** 3);
    this.quarantine = new Quarantine(this.db, options.dataDir, this.m, this.log);
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

  /** The batch being written, while it still counts against memory (not yet spooled). */
  private held(): InFlight | null {
    return this.inflight && !this.inflight.spilled ? this.inflight : null;
  }

  /**
   * Past either memory limit the newest captures go to the spool, down to a low-water mark so spills come
   * in chunks. When that is not enough, the batch being written goes too: its insert is idempotent on the
   * capture id, so a line both spooled and written is stored once.
   */
  private enforceLimits(): void {
    const flight = this.held();
    const flightCount = flight?.lines.length ?? 0;
    const flightBytes = flight?.bytes ?? 0;
    const count = this.buffer.length + flightCount;
    const bytes = this.buffer.bytes + flightBytes;
    if (count <= this.memoryLimit && bytes <= this.memoryLimitBytes) return;
    const countTarget = count > this.memoryLimit ? this.memoryLimit - this.batchSize : this.memoryLimit;
    const bytesTarget = bytes > this.memoryLimitBytes ? Math.floor(this.memoryLimitBytes * 0.75) : this.memoryLimitBytes;
    const from = this.buffer.spillFrom(countTarget - flightCount, bytesTarget - flightBytes);
    if (from < this.buffer.length) this.spill(this.buffer.takeFrom(from));
    if (flight && (this.buffer.bytes + flightBytes > this.memoryLimitBytes || this.buffer.length + flightCount > this.memoryLimit)) {
      flight.spilled = true;
      this.spill(flight.lines);
    }
  }

  private gauge(): void {
    this.m.depth.set(this.depth);
    this.m.bytes.set(this.buffer.bytes + (this.held()?.bytes ?? 0));
  }

  /** Captures in memory (not yet in Postgres or on disk), the batch being written included. */
  get depth(): number {
    return this.buffer.length + (this.held()?.lines.length ?? 0) + this.spilling;
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

  private insert(lines: readonly string[]): Promise<number> {
    const ms = this.writeTimeLimitMs;
    return ms === undefined ? insertCaptureLines(this.db, lines) : withTimeLimit(ms, () => insertCaptureLines(this.db, lines));
  }

  /**
   * Writes lines; a refusal (bad data, not a connection problem) is narrowed down by halving the batch,
   * so the rest are stored and only the refused line is isolated. A transient error is rethrown.
   */
  private async write(lines: string[]): Promise<void> {
    const end = this.m.batchSeconds.startTimer();
    try {
      const inserted = await this.insert(lines);
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
      if (line !== undefined) await this.isolate(line, error);
    }
  }

  /**
   * One line the database refused: stored again with the characters Postgres refuses replaced, else
   * quarantined with the reason. Only a transient error (the database went away meanwhile) leaves here.
   */
  private async isolate(line: string, error: unknown): Promise<void> {
    let clean: string | null;
    try {
      clean = sanitizeLine(line);
    } catch (failure) {
      await this.quarantine.keep(line, "unencodable", `could not be made storable: ${refusal(failure)}`);
      return;
    }
    let refused = error;
    if (clean !== null) {
      try {
        this.m.written.inc(await this.insert([clean]));
        this.log.warn({ id: captureLineId(line), err: refusal(error) }, "capture stored after replacing characters Postgres refuses");
        return;
      } catch (again) {
        if (isTransientDbError(again)) throw again;
        refused = again;
      }
    }
    await this.quarantine.keep(line, "refused", `refused by the database: ${refusal(refused)}`);
  }

  /**
   * Writes the oldest batch. It leaves memory's queue while it is written (still counted against the
   * limits until spooled); on failure it goes back in front unless it was spooled meanwhile.
   */
  private async writeHead(deadline?: number): Promise<void> {
    const lines = this.buffer.takeHead(this.batchSize);
    const flight: InFlight = { lines, bytes: lines.reduce((sum, l) => sum + l.length, 0), spilled: false };
    this.inflight = flight;
    try {
      const writing = this.write(lines);
      if (deadline === undefined) await writing;
      else {
        writing.catch(() => {});
        await Promise.race([writing, rejectAt(deadline)]);
      }
    } catch (error) {
      if (!flight.spilled) this.buffer.unshift(lines);
      throw error;
    } finally {
      if (this.inflight === flight) this.inflight = null;
      this.gauge();
    }
  }

  private onFailure(error: unknown): number {
    this.m.writeErrors.inc();
    this.failures += 1;
    if (this.healthy) this.log.error({ err: refusal(error) }, "capture writes failing; holding captures in memory and the spool");
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
      await this.write(storable.slice(i, i + this.batchSize));
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
    while (this.buffer.length > 0 && this.inflight === null && Date.now() < deadline) {
      try {
        await this.writeHead(deadline);
      } catch (error) {
        this.log.warn({ err: refusal(error), remaining: this.buffer.length }, "final capture flush failed; spooling the rest");
        break;
      }
    }
    this.closed = true;
    // A write stuck on an unresponsive server must not hold shutdown: its batch is spooled too
    // (re-storing it later is idempotent).
    const stuck = this.held();
    if (stuck) stuck.spilled = true;
    await this.spool.idle();
    const rest = [...(stuck?.lines ?? []), ...this.buffer.takeFrom(0)];
    if (rest.length > 0) this.spillSync(rest);
    await this.quarantine.idle(Math.max(1_000, deadline - Date.now()));
    this.gauge();
    this.log.info({ spooled: rest.length, spoolBytes: this.spool.totalBytes }, "capture writer closed");
  }
}
