export interface MemoLimits {
  /** Entries held at most. */
  entries: number;
  /** Longer keys are computed every time and never stored: one-off pasted documents are not worth keeping. */
  keyLength: number;
  /** Characters held at most, keys and values together: the memory bound (two bytes a character at worst). */
  chars: number;
}

/**
 * Remembers a pure string → string function for keys that repeat across requests: one template's system
 * prompt, its skeleton, a prompt header. A Map emptied when a limit is reached rather than an LRU package:
 * a hit stays one Map lookup with no bookkeeping, and a hot key dropped by a burst of one-off keys costs a
 * single recompute afterwards.
 */
export class BoundedMemo {
  readonly #compute: (key: string) => string;
  readonly #limits: MemoLimits;
  readonly #values = new Map<string, string>();
  #chars = 0;

  constructor(compute: (key: string) => string, limits: MemoLimits) {
    this.#compute = compute;
    this.#limits = limits;
  }

  get(key: string): string {
    if (key.length > this.#limits.keyLength) return this.#compute(key);
    let value = this.#values.get(key);
    if (value === undefined) {
      value = this.#compute(key);
      const chars = key.length + value.length;
      if (chars > this.#limits.chars) return value;
      if (this.#values.size >= this.#limits.entries || this.#chars + chars > this.#limits.chars) this.clear();
      this.#values.set(key, value);
      this.#chars += chars;
    }
    return value;
  }

  get limits(): Readonly<MemoLimits> {
    return this.#limits;
  }

  get size(): number {
    return this.#values.size;
  }

  /** Characters held, keys and values together. */
  get chars(): number {
    return this.#chars;
  }

  clear(): void {
    this.#values.clear();
    this.#chars = 0;
  }
}
