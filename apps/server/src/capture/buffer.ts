/** A batch taken out of memory to be written; `spilled` once it was also handed to the spool. */
export interface InFlight {
  lines: string[];
  bytes: number;
  spilled: boolean;
}

const sizeOf = (lines: readonly string[]) => lines.reduce((sum, line) => sum + line.length, 0);

/**
 * The writer's in-memory captures: a queue of capture lines (encodeCapture), oldest first, and the batch
 * being written, both counted in captures and in characters (about bytes: lines are mostly ASCII).
 */
export class MemoryBuffer {
  private lines: string[] = [];
  private total = 0;
  private flight: InFlight | null = null;

  /** Lines waiting in the queue (not the batch being written). */
  get length(): number {
    return this.lines.length;
  }

  /** The batch being written, while it still counts against memory (not spooled). */
  get writing(): InFlight | null {
    return this.flight && !this.flight.spilled ? this.flight : null;
  }

  /** Captures held in memory, the batch being written included. */
  get heldCount(): number {
    return this.lines.length + (this.writing?.lines.length ?? 0);
  }

  get heldBytes(): number {
    return this.total + (this.writing?.bytes ?? 0);
  }

  push(line: string): void {
    this.lines.push(line);
    this.total += line.length;
  }

  /** Takes the oldest n lines out to be written; they count against the limits until endWrite. */
  beginWrite(n: number): InFlight {
    const lines = this.lines.splice(0, n);
    const bytes = sizeOf(lines);
    this.total -= bytes;
    this.flight = { lines, bytes, spilled: false };
    return this.flight;
  }

  /** The write ended: after a failure the lines go back in front, unless they were spooled meanwhile. */
  endWrite(flight: InFlight, ok: boolean): void {
    if (!ok && !flight.spilled) {
      this.lines.unshift(...flight.lines);
      this.total += flight.bytes;
    }
    if (this.flight === flight) this.flight = null;
  }

  /** Everything held (to spool at shutdown): the batch being written, if any, is marked spooled. */
  takeAll(): string[] {
    const writing = this.writing;
    if (writing) writing.spilled = true;
    const all = [...(writing?.lines ?? []), ...this.lines];
    this.lines = [];
    this.total = 0;
    return all;
  }

  /**
   * The lines that must leave for the spool so that at most maxCount captures and maxBytes remain:
   * the newest first, down to low-water marks so spills come in chunks (`chunk` captures below the count
   * limit, a quarter below the byte limit). When the queue alone is not enough, the batch being written
   * goes too: its insert is idempotent on the capture id, so a line both spooled and written is stored once.
   */
  overflow(maxCount: number, maxBytes: number, chunk: number): string[] {
    const count = this.heldCount;
    const bytes = this.heldBytes;
    if (count <= maxCount && bytes <= maxBytes) return [];
    const writing = this.writing;
    const countTarget = (count > maxCount ? maxCount - chunk : maxCount) - (writing?.lines.length ?? 0);
    const bytesTarget = (bytes > maxBytes ? Math.floor(maxBytes * 0.75) : maxBytes) - (writing?.bytes ?? 0);
    let from = Math.max(0, Math.min(this.lines.length, countTarget));
    let held = this.total - sizeOf(this.lines.slice(from));
    while (from > 0 && held > bytesTarget) held -= this.lines[--from]!.length;
    const out = this.lines.splice(from);
    this.total = held;
    if (writing && (this.heldCount > maxCount || this.heldBytes > maxBytes)) {
      writing.spilled = true;
      out.push(...writing.lines);
    }
    return out;
  }
}
