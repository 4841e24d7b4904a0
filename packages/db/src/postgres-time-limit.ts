import type { Sql } from "postgres";
import { currentTimeLimit, DbTimeoutError, timeLimited } from "./time-limit.ts";

/**
 * How long a cancelled statement may take to end before its connection is taken for dead. A server
 * that answers at all ends a cancelled statement within milliseconds; one that does not (a network
 * that swallows packets, a server that stopped) would otherwise hold that connection forever.
 */
const CANCEL_GRACE_MS = 3_000;

/** A postgres.js query: a lazy Promise subclass that starts when first awaited, and can be cancelled. */
interface Query extends PromiseLike<unknown> {
  cancel(): unknown;
}

type Fn = (...args: unknown[]) => unknown;

/**
 * The postgres.js client drizzle is given. Every statement drizzle sends (`unsafe`, inside transactions
 * too) is limited to the current time limit (withTimeLimit, else defaultMs); the server also has
 * statement_timeout, this covers a server or a network that does not answer at all. Past the limit the
 * caller gets DbTimeoutError and the statement is cancelled: dropped from the queue if it was still
 * waiting for a connection, or a cancel request sent if it was running. A statement that does not end
 * even then means its connection is dead, and postgres.js has no way to drop one connection: the pool
 * is replaced by a fresh one (the old one's connections are destroyed), so a wedge leaves no stuck
 * connections behind once the server answers again. A Proxy rather than a fork of the driver: drizzle
 * uses only unsafe, begin, savepoint and options.
 */
export class LimitedPool {
  readonly sql: Sql;
  #current: Sql;
  #generation = 0;
  readonly #make: () => Sql;
  readonly #defaultMs: number;
  readonly #retiring = new Set<Promise<void>>();

  constructor(make: () => Sql, defaultMs: number) {
    this.#make = make;
    this.#current = make();
    this.#defaultMs = defaultMs;
    this.sql = this.#wrap(() => this.#current) as Sql;
  }

  /** Ends the pool (and any pool being retired), waiting at most timeoutS for running statements. */
  async end(timeoutS: number): Promise<void> {
    await Promise.all([this.#current.end({ timeout: timeoutS }), ...this.#retiring]);
  }

  #recycle(generation: number): void {
    if (generation !== this.#generation) return; // already replaced since that statement was sent
    const old = this.#current;
    const fresh = this.#make();
    // drizzle set its own parsers and serializers on the first pool when it was constructed.
    Object.assign(fresh.options.parsers, old.options.parsers);
    Object.assign(fresh.options.serializers, old.options.serializers);
    this.#current = fresh;
    this.#generation += 1;
    const retired = old
      .end({ timeout: 0 })
      .catch(() => {})
      .finally(() => this.#retiring.delete(retired));
    this.#retiring.add(retired);
  }

  #wrap(target: () => object): unknown {
    const pool = this;
    return new Proxy(target() as object, {
      get(_, key) {
        const t = target();
        const value = Reflect.get(t, key) as unknown;
        if (typeof value !== "function") return value;
        const f = value as Fn;
        const ms = () => currentTimeLimit(pool.#defaultMs);
        if (key === "unsafe") return (...args: unknown[]) => pool.#limit(f.apply(t, args) as Query, ms());
        if (key === "begin" || key === "savepoint") {
          return (...args: unknown[]) => pool.#transaction((...a) => f.apply(t, a), args, ms(), (tx) => pool.#wrap(() => tx as object));
        }
        return value;
      },
      apply(_, self, args) {
        return Reflect.apply(target() as Fn, self, args);
      },
    });
  }

  /** One statement, kept the same object: drizzle calls `.values()` on it before awaiting, and postgres.js starts it in `then`. */
  #limit<Q extends Query>(query: Q, ms: number): Q {
    const start = query.then as (this: Q, ok: (v: unknown) => void, fail: (e: unknown) => void) => unknown;
    const generation = this.#generation;
    let settled = false;
    let result: Promise<unknown> | null = null;
    const run = () =>
      (result ??= timeLimited(
        () =>
          new Promise((ok, fail) => void start.call(query, ok, fail)).finally(() => {
            settled = true;
          }),
        ms,
        () => {
          void Promise.resolve(query.cancel()).catch(() => {});
          setTimeout(() => settled || this.#recycle(generation), CANCEL_GRACE_MS).unref();
        },
      ));
    Object.defineProperty(query, "then", {
      configurable: true,
      value: (ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown) => run().then(ok, fail),
    });
    return query;
  }

  /**
   * begin() and savepoint() send their opening statement on postgres.js's own path, past `unsafe`: the
   * whole call is limited until the callback starts (after that each statement has its own limit). A
   * transaction that opens after its caller gave up runs nothing and rolls back.
   */
  #transaction(open: Fn, args: unknown[], ms: number, wrap: (tx: unknown) => unknown): Promise<unknown> {
    const fn = args.pop() as (sql: unknown) => unknown;
    const generation = this.#generation;
    let started = false;
    let abandoned = false;
    let settled = false;
    const opened = (
      open(...args, (tx: unknown) => {
        if (abandoned) throw new DbTimeoutError(ms);
        started = true;
        return fn(wrap(tx));
      }) as Promise<unknown>
    ).finally(() => {
      settled = true;
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (started) return;
        abandoned = true;
        reject(new DbTimeoutError(ms));
        setTimeout(() => settled || this.#recycle(generation), CANCEL_GRACE_MS).unref();
      }, ms);
      opened.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}
