/**
 * The writer's in-memory queue of capture lines (encodeCapture), oldest first, knowing its size in
 * captures and in characters (about bytes: lines are mostly ASCII).
 */
export class MemoryBuffer {
  private lines: string[] = [];
  private total = 0;

  get length(): number {
    return this.lines.length;
  }

  get bytes(): number {
    return this.total;
  }

  push(line: string): void {
    this.lines.push(line);
    this.total += line.length;
  }

  /** The oldest n lines, left in place until written. */
  head(n: number): string[] {
    return this.lines.slice(0, n);
  }

  /** Forgets the oldest n lines (they were written). */
  dropHead(n: number): void {
    for (const line of this.lines.splice(0, n)) this.total -= line.length;
  }

  /** Takes the newest lines from index `from` on (to spill them). */
  takeFrom(from: number): string[] {
    const taken = this.lines.splice(from);
    for (const line of taken) this.total -= line.length;
    return taken;
  }

  /** The index from which the newest lines must leave so both limits hold again, keeping `keep`. */
  overflowFrom(maxCount: number, maxBytes: number, keep: number): number | null {
    if (this.lines.length <= maxCount && this.total <= maxBytes) return null;
    let from = Math.min(this.lines.length, maxCount);
    let bytes = this.total;
    for (let i = this.lines.length - 1; i >= from; i--) bytes -= this.lines[i]!.length;
    while (from > keep && bytes > maxBytes) bytes -= this.lines[--from]!.length;
    return from < this.lines.length ? from : null;
  }
}
