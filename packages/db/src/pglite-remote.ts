import { Worker } from "node:worker_threads";
import { DatabaseThreadExited } from "./errors.ts";
import { reviveError, type Reply, type Request } from "./pglite-protocol.ts";
import { currentTimeLimit, DB_TIME_LIMIT_MS, DbTimeoutError } from "./time-limit.ts";

type Body = Request extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;
type QueryOptions = { rowMode?: "array" | "object"; parsers?: Record<number, unknown> };

/** How long close() waits for the database thread to close PGlite cleanly before stopping the thread. */
const CLOSE_TIME_LIMIT_MS = 5_000;

/** What drizzle's PGlite driver calls: query and transaction (and close, for us). */
interface Queryable {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<unknown>;
}

/**
 * A PGlite stand-in for the main thread: the same query / transaction surface drizzle's PGlite driver
 * uses, answered by the worker thread that owns the database. Every call has a time limit: PGlite runs
 * one statement at a time and cannot be interrupted, so a statement that never ends (or a very slow one)
 * would otherwise hold every later call, and every request waiting on one, for as long as it runs.
 */
export class RemotePGlite implements Queryable {
  readonly #worker: Worker;
  readonly #timeLimitMs: number;
  #next = 1;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  /** Calls whose caller gave up, by id: a transaction begun after its caller left must be rolled back. */
  readonly #abandoned = new Map<number, Body["op"]>();
  #failed: Error | null = null;

  private constructor(worker: Worker, timeLimitMs: number) {
    this.#worker = worker;
    this.#timeLimitMs = timeLimitMs;
    worker.on("message", (reply: Reply) => {
      const p = this.#pending.get(reply.id);
      if (!p) {
        this.#late(reply);
        return;
      }
      this.#pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(reviveError(reply.error));
    });
    const fail = (error: Error) => {
      this.#failed = error;
      for (const p of this.#pending.values()) p.reject(error);
      this.#pending.clear();
      this.#abandoned.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new DatabaseThreadExited(code)));
  }

  static async create(dataDir: string, options: { timeLimitMs?: number } = {}): Promise<RemotePGlite> {
    const client = new RemotePGlite(new Worker(new URL("./pglite-worker.ts", import.meta.url)), options.timeLimitMs ?? DB_TIME_LIMIT_MS);
    try {
      // Opening (and recovering) a large data directory may take longer than one statement.
      await client.#call({ op: "open", dataDir }, Math.max(client.#timeLimitMs, 120_000));
    } catch (error) {
      await client.#worker.terminate();
      throw error;
    }
    return client;
  }

  #call(body: Body, ms = currentTimeLimit(this.#timeLimitMs)): Promise<unknown> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#abandoned.set(id, body.op);
        reject(new DbTimeoutError(ms));
      }, ms);
      const done = () => clearTimeout(timer);
      this.#pending.set(id, {
        resolve: (v) => (done(), resolve(v)),
        reject: (e) => (done(), reject(e)),
      });
      this.#worker.postMessage({ ...body, id });
    });
  }

  /** The answer to a call that timed out: a transaction it opened is rolled back, anything else dropped. */
  #late(reply: Reply): void {
    const op = this.#abandoned.get(reply.id);
    this.#abandoned.delete(reply.id);
    if (op === "begin" && reply.ok) this.#call({ op: "end", tx: reply.value as number, commit: false }).catch(() => {});
  }

  #query(tx: number | null, sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<unknown> {
    return this.#call({
      op: "query",
      sql,
      params,
      rowMode: options.rowMode ?? "object",
      rawTypes: Object.keys(options.parsers ?? {}).map(Number),
      tx,
    });
  }

  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<unknown> {
    return this.#query(null, sql, params, options);
  }

  /** Runs fn inside one transaction on the database thread; commits when fn resolves. */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const tx = (await this.#call({ op: "begin" })) as number;
    const handle: Queryable = { query: (sql, params, options) => this.#query(tx, sql, params, options) };
    let result: T;
    try {
      result = await fn(handle);
    } catch (error) {
      await this.#call({ op: "end", tx, commit: false }).catch(() => {});
      throw error;
    }
    await this.#call({ op: "end", tx, commit: true });
    return result;
  }

  /**
   * Closes PGlite on its thread, then ends the thread. A thread stuck in a statement is stopped after
   * CLOSE_TIME_LIMIT_MS (close then rejects, saying so): the data directory is recovered at the next open,
   * as after a crash, and shutdown never waits on the stuck statement.
   */
  async close(): Promise<void> {
    try {
      if (!this.#failed) await this.#call({ op: "close" }, CLOSE_TIME_LIMIT_MS);
    } catch (error) {
      if (error instanceof DbTimeoutError) throw new Error(`the embedded database thread did not close within ${CLOSE_TIME_LIMIT_MS} ms; it was stopped`, { cause: error });
      throw error;
    } finally {
      await this.#worker.terminate();
    }
  }
}
