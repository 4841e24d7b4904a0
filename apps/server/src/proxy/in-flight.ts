import { HttpError } from "../http/errors.ts";

export interface InFlightMetrics {
  /** Bytes reserved now. */
  inFlight: { set(value: number): void };
  /** The most ever reserved at once. */
  peak: { set(value: number): void };
  /** Requests that had to wait for their share, and those that gave up waiting (503). */
  waited: { inc(): void };
  refused: { inc(): void };
}

interface Waiter {
  bytes: number;
  /** The reservation that grows (a new one starts empty). */
  into: Reservation;
  resolve(): void;
  timer: NodeJS.Timeout;
}

/** One exchange's share of the budget: its request body, then the reply bytes kept for its capture. */
export class Reservation {
  #budget: InFlightBudget;
  bytes = 0;
  released = false;

  constructor(budget: InFlightBudget) {
    this.#budget = budget;
  }

  /** Takes `bytes` more if they fit now; never waits. */
  tryGrow(bytes: number): boolean {
    return this.#budget.tryTake(this, bytes);
  }

  /** Takes `bytes` more, waiting for them as a new request would; 503 after the budget's wait time. */
  grow(bytes: number): Promise<void> | null {
    return this.#budget.take(this, bytes);
  }

  /** Gives back `bytes` of this reservation (kept reply chunks that were let go). */
  shrink(bytes: number): void {
    this.#budget.give(this, Math.min(bytes, this.bytes));
  }

  /** Gives everything back; idempotent, so every path that ends an exchange may call it. */
  release(): void {
    if (this.released) return;
    this.#budget.give(this, this.bytes);
    this.released = true;
  }
}

/**
 * The server-wide bound on bytes in flight: request bodies are reserved before they are read (from
 * content-length, or chunk by chunk when the client streams without one) and replies kept for the
 * capture add to the same reservation, which is released once the capture has been handed over. A
 * request that does not fit waits, its socket unread, and gets 503 with retry advice after `waitMs`.
 * Waiters are served first-fit, so a small request never queues behind a large one; one larger than
 * the whole budget is let in only when nothing else is in flight.
 * Hand-written: it is a counter and a queue of timers, and no library shares a budget across a request
 * and the reply captured after it.
 */
export class InFlightBudget {
  readonly capacity: number;
  readonly waitMs: number;
  #used = 0;
  #peak = 0;
  #waiters: Waiter[] = [];
  #metrics: InFlightMetrics | undefined;

  constructor(capacity: number, waitMs: number, metrics?: InFlightMetrics) {
    this.capacity = capacity;
    this.waitMs = waitMs;
    this.#metrics = metrics;
  }

  get used(): number {
    return this.#used;
  }

  get peak(): number {
    return this.#peak;
  }

  /** A reservation of `bytes`: at once when they fit (no promise), else after waiting; 503 on time-out. */
  acquire(bytes: number): Reservation | Promise<Reservation> {
    const reservation = new Reservation(this);
    const waiting = this.take(reservation, bytes);
    return waiting ? waiting.then(() => reservation) : reservation;
  }

  #fits(owner: Reservation, bytes: number): boolean {
    // Alone (nothing but this exchange in flight), any size fits: otherwise a body larger than the
    // budget could never be served.
    return this.#used + bytes <= this.capacity || this.#used === owner.bytes;
  }

  tryTake(owner: Reservation, bytes: number): boolean {
    if (owner.released || bytes <= 0) return bytes <= 0;
    if (!this.#fits(owner, bytes)) return false;
    this.#add(owner, bytes);
    return true;
  }

  take(owner: Reservation, bytes: number): Promise<void> | null {
    if (bytes <= 0 || this.tryTake(owner, bytes)) return null;
    this.#metrics?.waited.inc();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        bytes,
        into: owner,
        resolve,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          this.#metrics?.refused.inc();
          reject(
            new HttpError("unavailable", `proofgate is holding as many request and reply bytes as it may (limits.inFlightBytes, ${this.capacity} bytes); retry shortly.`, {
              code: "in_flight_limit",
              retry: true,
              retryAfterSeconds: Math.max(1, Math.ceil(this.waitMs / 1000)),
            }),
          );
        }, this.waitMs),
      };
      this.#waiters.push(waiter);
    });
  }

  give(owner: Reservation, bytes: number): void {
    if (bytes <= 0 || owner.released) return;
    owner.bytes -= bytes;
    this.#used -= bytes;
    this.#metrics?.inFlight.set(this.#used);
    // First fit: every waiter that fits now goes, in arrival order.
    for (let i = 0; i < this.#waiters.length; ) {
      const waiter = this.#waiters[i]!;
      const into = waiter.into;
      if (!into.released && this.#fits(into, waiter.bytes)) {
        this.#waiters.splice(i, 1);
        clearTimeout(waiter.timer);
        this.#add(into, waiter.bytes);
        waiter.resolve();
      } else i++;
    }
  }

  #add(owner: Reservation, bytes: number): void {
    owner.bytes += bytes;
    this.#used += bytes;
    if (this.#used > this.#peak) {
      this.#peak = this.#used;
      this.#metrics?.peak.set(this.#peak);
    }
    this.#metrics?.inFlight.set(this.#used);
  }
}

/**
 * The reply bytes an exchange keeps for its capture, counted in its reservation. Past `limit`, or when
 * the budget has no room, what was kept is let go and the capture records why instead of the body; the
 * client still gets every byte.
 */
export class KeptReply {
  chunks: Buffer[] = [];
  bytes = 0;
  /** Why the reply is not kept, once it is not. */
  dropped: string | null = null;
  readonly #reservation: Reservation | null;
  readonly #limit: number;

  constructor(reservation: Reservation | null, limit: number) {
    this.#reservation = reservation;
    this.#limit = limit;
  }

  /** The reply's declared length: one known to be past the limit is not kept from its first byte. */
  expect(length: number): void {
    if (this.dropped === null && Number.isFinite(length) && length > this.#limit) this.#tooLarge();
  }

  #tooLarge(): void {
    this.drop(`the reply is larger than limits.captureReplyBytes (${this.#limit} bytes): relayed in full, captured without its body`);
  }

  add(chunk: Buffer): void {
    if (this.dropped !== null) return;
    if (this.bytes + chunk.length > this.#limit) this.#tooLarge();
    else if (this.#reservation && !this.#reservation.tryGrow(chunk.length)) {
      this.drop("the reply did not fit in the in-flight budget (limits.inFlightBytes) at the time: relayed in full, captured without its body");
    } else {
      this.chunks.push(chunk);
      this.bytes += chunk.length;
    }
  }

  /** Replaces what is kept (a translated reply), within the same limit. */
  replace(chunks: Buffer[]): void {
    this.#reservation?.shrink(this.bytes);
    this.chunks = [];
    this.bytes = 0;
    for (const chunk of chunks) this.add(chunk);
  }

  drop(reason: string): void {
    this.dropped = reason;
    this.#reservation?.shrink(this.bytes);
    this.chunks = [];
    this.bytes = 0;
  }
}
