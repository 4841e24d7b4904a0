import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, statSync } from "node:fs";
import { open, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { CaptureRecord } from "@proofgate/db";
import { decodeRecord, encodeRecord } from "./codec.ts";

/** A spool file is closed and a new one started past this size, so a drained file can be deleted whole. */
const ROTATE_BYTES = 8 * 1024 * 1024;

export interface SpoolFile {
  path: string;
  bytes: number;
}

interface Pending {
  records: readonly CaptureRecord[];
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export interface AppendResult {
  written: number;
  /** Records refused because the spool is at its size limit. */
  refused: CaptureRecord[];
}

/**
 * The on-disk overflow for captures while Postgres is away: append-only NDJSON files under
 * <dataDir>/spool. Durability: every append is one write followed by fdatasync before it is reported
 * done, so a spooled capture survives a process crash and a power loss; appends come in whole batches,
 * so the sync costs once per batch, not per capture. A torn last line (crash mid-write) is detected on
 * read and counted as dropped.
 */
export class Spool {
  readonly dir: string;
  private readonly limit: number;
  private bytes = 0;
  private seq = 0;
  private active: string | null = null;
  private activeBytes = 0;
  private queue: Pending[] = [];
  private writing: Promise<void> | null = null;

  constructor(dir: string, limitBytes: number) {
    this.dir = dir;
    this.limit = limitBytes;
    mkdirSync(dir, { recursive: true });
    this.bytes = this.files().reduce((sum, f) => sum + f.bytes, 0);
  }

  get totalBytes(): number {
    return this.bytes;
  }

  /** Spool files oldest first (names start with a zero-padded timestamp). */
  files(): SpoolFile[] {
    return readdirSync(this.dir)
      .filter((name) => name.endsWith(".ndjson"))
      .sort()
      .map((name) => {
        const path = join(this.dir, name);
        try {
          return { path, bytes: statSync(path).size };
        } catch {
          return { path, bytes: 0 };
        }
      });
  }

  /** Files no append is going to: everything but the active file. */
  sealedFiles(): SpoolFile[] {
    return this.files().filter((f) => f.path !== this.active);
  }

  /** Closes the active file so it can be drained; the next append starts a new one. */
  async seal(): Promise<void> {
    await this.idle();
    this.active = null;
    this.activeBytes = 0;
  }

  /** Resolves when every queued append has reached the disk. */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Encodes records that fit under the limit, counting `pending` bytes not yet added to the total. */
  private encode(records: readonly CaptureRecord[], pending = 0): { text: string; kept: number; refused: CaptureRecord[] } {
    let text = "";
    const refused: CaptureRecord[] = [];
    let kept = 0;
    for (const r of records) {
      const line = encodeRecord(r);
      if (this.bytes + pending + text.length + line.length > this.limit) refused.push(r);
      else {
        text += line;
        kept += 1;
      }
    }
    return { text, kept, refused };
  }

  private target(size: number): string {
    if (!this.active || this.activeBytes + size > ROTATE_BYTES) {
      const stamp = String(Date.now()).padStart(15, "0");
      this.active = join(this.dir, `${stamp}-${process.pid}-${String(this.seq++).padStart(6, "0")}.ndjson`);
      this.activeBytes = 0;
    }
    this.activeBytes += size;
    return this.active;
  }

  /**
   * Appends a batch; resolves once it is on disk. Encoding happens on the write loop, not in the caller
   * (the request path spills through here). Appends that arrive while a write is in progress are
   * committed together by the next write (one write, one fdatasync), so a burst of spills costs a few
   * syncs, not one per batch.
   */
  append(records: readonly CaptureRecord[]): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.writing ??= new Promise<void>((r) => setImmediate(r))
        .then(() => this.writeQueued())
        .finally(() => {
          this.writing = null;
        });
    });
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0);
      let pending = 0;
      const encoded = group.map((g) => {
        const e = this.encode(g.records, pending);
        pending += e.text.length;
        return e;
      });
      const text = encoded.map((e) => e.text).join("");
      const size = Buffer.byteLength(text);
      const results = encoded.map((e) => ({ written: e.kept, refused: e.refused }));
      if (size === 0) {
        group.forEach((g, i) => g.resolve(results[i]!));
        continue;
      }
      this.bytes += size;
      try {
        const handle = await open(this.target(size), "a");
        try {
          await handle.appendFile(text);
          await handle.datasync();
        } finally {
          await handle.close();
        }
        group.forEach((g, i) => g.resolve(results[i]!));
      } catch (error) {
        this.bytes -= size;
        for (const g of group) g.reject(error);
      }
    }
  }

  /** The synchronous path for shutdown and after close: nothing async is left to wait for then. */
  appendSync(records: readonly CaptureRecord[]): AppendResult {
    const { text, kept, refused } = this.encode(records);
    if (kept === 0) return { written: 0, refused };
    const size = Buffer.byteLength(text);
    const fd = openSync(this.target(size), "a");
    try {
      appendFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.bytes += size;
    return { written: kept, refused };
  }

  /** Reads a sealed file: its captures and how many lines could not be decoded (torn or corrupt). */
  async read(file: SpoolFile): Promise<{ records: CaptureRecord[]; corrupt: number }> {
    const text = await readFile(file.path, "utf8");
    const records: CaptureRecord[] = [];
    let corrupt = 0;
    for (const line of text.split("\n")) {
      if (!line) continue;
      const record = decodeRecord(line);
      if (record) records.push(record);
      else corrupt += 1;
    }
    return { records, corrupt };
  }

  async remove(file: SpoolFile): Promise<void> {
    await unlink(file.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
    this.bytes = Math.max(0, this.bytes - file.bytes);
  }
}
