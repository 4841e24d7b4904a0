import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, statSync } from "node:fs";
import { open, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { decodeCapture, encodeCapture, isCurrentCaptureLine } from "@proofgate/db";

/** A spool file is closed and a new one started past this size, so a drained file can be deleted whole. */
const ROTATE_BYTES = 8 * 1024 * 1024;

export interface SpoolFile {
  path: string;
  bytes: number;
}

interface Pending {
  lines: readonly string[];
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export interface AppendResult {
  written: number;
  /** Capture lines refused because the spool is at its size limit. */
  refused: string[];
}

/**
 * The on-disk overflow for captures while Postgres is away: append-only NDJSON files (one capture line
 * each) under
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

  /** Joins the lines that fit under the limit, counting `pending` bytes not yet added to the total. */
  private encode(lines: readonly string[], pending = 0): { text: string; kept: number; refused: string[] } {
    let text = "";
    const refused: string[] = [];
    let kept = 0;
    for (const line of lines) {
      if (this.bytes + pending + text.length + line.length + 1 > this.limit) refused.push(line);
      else {
        text += `${line}\n`;
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
   * Appends a batch of capture lines; resolves once it is on disk. Appends that arrive while a write is in progress are
   * committed together by the next write (one write, one fdatasync), so a burst of spills costs a few
   * syncs, not one per batch.
   */
  append(lines: readonly string[]): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ lines, resolve, reject });
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
        const e = this.encode(g.lines, pending);
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
  appendSync(lines: readonly string[]): AppendResult {
    const { text, kept, refused } = this.encode(lines);
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

  /** Reads a sealed file: its capture lines and how many could not be decoded (torn or corrupt). */
  async read(file: SpoolFile): Promise<{ lines: string[]; corrupt: number }> {
    const text = await readFile(file.path, "utf8");
    const lines: string[] = [];
    let corrupt = 0;
    for (const line of text.split("\n")) {
      if (!line) continue;
      // Parsed to find torn lines; re-encoded only when a file spooled by an older version has them in
      // another layout (the writer's own lines are kept as they are).
      const record = decodeCapture(line);
      if (!record) corrupt += 1;
      else lines.push(isCurrentCaptureLine(line) ? line : encodeCapture(record));
    }
    return { lines, corrupt };
  }

  async remove(file: SpoolFile): Promise<void> {
    await unlink(file.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
    this.bytes = Math.max(0, this.bytes - file.bytes);
  }
}
