import type { CaptureRecord } from "@proofgate/db";

/** Nodes visited at most per size estimate; past it the rest is extrapolated. */
const MAX_NODES = 2_000;

/**
 * Rough bytes a capture holds in memory: string lengths plus a little per value, found by a bounded
 * walk. Strings cost O(1) to measure, so this stays a few microseconds even for a 30 MB request;
 * exact JSON.stringify would cost milliseconds on the request path.
 */
export function approxSize(record: CaptureRecord): number {
  let bytes = 256;
  let nodes = 0;
  const stack: unknown[] = [record.request, record.response, record.outputText, record.toolCalls, record.template, record.error];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") bytes += v.length + 8;
    else if (v !== null && typeof v === "object") {
      if (++nodes > MAX_NODES) return bytes * 2;
      bytes += 16;
      for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push(child);
    } else bytes += 8;
  }
  return bytes;
}

/** The writer's in-memory queue, oldest first, knowing its size in captures and (roughly) in bytes. */
export class MemoryBuffer {
  private records: CaptureRecord[] = [];
  private sizes: number[] = [];
  private total = 0;

  get length(): number {
    return this.records.length;
  }

  get bytes(): number {
    return this.total;
  }

  push(record: CaptureRecord): void {
    const size = approxSize(record);
    this.records.push(record);
    this.sizes.push(size);
    this.total += size;
  }

  /** The oldest n captures, left in place until written. */
  head(n: number): CaptureRecord[] {
    return this.records.slice(0, n);
  }

  /** Forgets the oldest n captures (they were written). */
  dropHead(n: number): void {
    this.records.splice(0, n);
    for (const s of this.sizes.splice(0, n)) this.total -= s;
  }

  /** Takes the newest captures from index `from` on (to spill them). */
  takeFrom(from: number): CaptureRecord[] {
    for (const s of this.sizes.splice(from)) this.total -= s;
    return this.records.splice(from);
  }

  /** The index from which the newest captures must leave so both limits hold again, keeping `keep`. */
  overflowFrom(maxCount: number, maxBytes: number, keep: number): number | null {
    if (this.records.length <= maxCount && this.total <= maxBytes) return null;
    let from = Math.min(this.records.length, maxCount);
    let bytes = this.total;
    for (let i = this.records.length - 1; i >= from; i--) bytes -= this.sizes[i] ?? 0;
    while (from > keep && bytes > maxBytes) bytes -= this.sizes[--from] ?? 0;
    return from < this.records.length ? from : null;
  }
}
