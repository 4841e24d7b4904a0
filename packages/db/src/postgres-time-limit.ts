import type { Sql } from "postgres";
import { currentTimeLimit, DbTimeoutError, timeLimited } from "./time-limit.ts";

/** A postgres.js query: a lazy Promise subclass that starts when first awaited, and can be cancelled. */
interface Query extends PromiseLike<unknown> {
  cancel(): unknown;
}

type Fn = (...args: unknown[]) => unknown;

/**
 * Gives one query a time limit, keeping it the same object: drizzle calls `.values()` on it before
 * awaiting, and postgres.js starts it in `then`. Past the limit the caller gets DbTimeoutError and the
 * query is cancelled: dropped from the queue if it was still waiting for a connection, or a cancel
 * request sent to the server if it was running.
 */
function limitQuery<Q extends Query>(query: Q, ms: number): Q {
  const start = query.then as (this: Q, ok: (v: unknown) => void, fail: (e: unknown) => void) => unknown;
  let result: Promise<unknown> | null = null;
  const run = () =>
    (result ??= timeLimited(
      () => new Promise((ok, fail) => void start.call(query, ok, fail)),
      ms,
      () => void Promise.resolve(query.cancel()).catch(() => {}),
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
function limitTransaction(open: Fn, args: unknown[], ms: number, wrap: (sql: unknown) => unknown): Promise<unknown> {
  const fn = args.pop() as (sql: unknown) => unknown;
  let started = false;
  let abandoned = false;
  const opened = open(...args, (tx: unknown) => {
    if (abandoned) throw new DbTimeoutError(ms);
    started = true;
    return fn(wrap(tx));
  }) as Promise<unknown>;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (started) return;
      abandoned = true;
      reject(new DbTimeoutError(ms));
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

/**
 * The postgres.js client drizzle is given: every statement drizzle sends (`unsafe`, inside transactions
 * too) is limited to the current time limit (withTimeLimit, else defaultMs). The server also has
 * statement_timeout; this covers a server or a network that does not answer at all. A Proxy rather than
 * a fork of the driver: drizzle uses only unsafe, begin, savepoint and options.
 */
export function limitSql(sql: Sql, defaultMs: number): Sql {
  const wrap = (target: unknown): unknown =>
    new Proxy(target as object, {
      get(t, key) {
        const value = Reflect.get(t, key) as unknown;
        if (typeof value !== "function") return value;
        const f = value as Fn;
        if (key === "unsafe") return (...args: unknown[]) => limitQuery(f.apply(t, args) as Query, currentTimeLimit(defaultMs));
        if (key === "begin" || key === "savepoint") {
          return (...args: unknown[]) => limitTransaction((...a) => f.apply(t, a), args, currentTimeLimit(defaultMs), wrap);
        }
        return value;
      },
    });
  return wrap(sql) as Sql;
}
