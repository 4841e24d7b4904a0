import type { Redis } from "ioredis";

export interface LossWatchOptions {
  redis: Redis;
  /** The marker's key, under the queues' prefix, so whatever removes the prefix's keys removes it too. */
  key: string;
  /** How often to look for the marker while connected; every reconnect and queue error also looks. */
  everyMs: number;
  onLost: (reason: string) => void;
  onError: (error: Error) => void;
}

/**
 * Sees Redis lose the queues' keys. Watching starts by setting a marker key; afterwards `SET NX` on it,
 * after every reconnect, after a queue error and every `everyMs`, succeeds only when the marker is gone:
 * a restart without persistence, a flush, a failover to an empty replica. SET NX puts the marker back
 * in the same atomic step, so of several processes watching one prefix exactly one hears of each loss,
 * and a reconnect to a Redis that kept its keys costs one command and triggers nothing.
 */
export class LossWatch {
  readonly #options: LossWatchOptions;
  readonly #onReady = () => this.check("Redis reconnected without the queue's marker key");
  #timer: NodeJS.Timeout | undefined;
  #checking = false;
  #armed = false;
  #stopped = false;

  constructor(options: LossWatchOptions) {
    this.#options = options;
  }

  start(): this {
    this.#options.redis.on("ready", this.#onReady);
    this.#timer = setInterval(() => this.check("the queue's marker key disappeared"), this.#options.everyMs);
    this.#timer.unref();
    // The first check only arms the watch: a marker missing at start is the caller's start-up recovery.
    this.check("start");
    return this;
  }

  /**
   * Looks for the marker once. At most one look is in flight: while Redis is down the command waits for
   * the reconnect (the connection queues commands), so ticks and errors in between add nothing.
   */
  check(reason: string): void {
    if (this.#checking || this.#stopped) return;
    this.#checking = true;
    const { redis, key } = this.#options;
    redis
      .set(key, new Date().toISOString(), "NX")
      .then((set) => {
        if (this.#stopped) return;
        if (set === "OK" && this.#armed) this.#options.onLost(reason);
        this.#armed = true;
      })
      .catch((error: unknown) => {
        if (!this.#stopped) this.#options.onError(error as Error);
      })
      .finally(() => (this.#checking = false));
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#options.redis.off("ready", this.#onReady);
  }
}
