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

  /** Takes the oldest n lines out (to write them). */
  takeHead(n: number): string[] {
    const taken = this.lines.splice(0, n);
    for (const line of taken) this.total -= line.length;
    return taken;
  }

  /** Puts lines back in front, oldest first (a batch whose write failed). */
  unshift(lines: readonly string[]): void {
    this.lines.unshift(...lines);
    for (const line of lines) this.total += line.length;
  }

  /** Takes the newest lines from index `from` on (to spill them). */
  takeFrom(from: number): string[] {
    const taken = this.lines.splice(from);
    for (const line of taken) this.total -= line.length;
    return taken;
  }

  /**
   * The index from which the newest lines must leave so that at most `count` lines and `bytes`
   * characters remain. Any line may have to go, the oldest last.
   */
  spillFrom(count: number, bytes: number): number {
    let from = Math.max(0, Math.min(this.lines.length, count));
    let held = this.total;
    for (let i = this.lines.length - 1; i >= from; i--) held -= this.lines[i]!.length;
    while (from > 0 && held > bytes) held -= this.lines[--from]!.length;
    return from;
  }
}
