import { Worker } from "node:worker_threads";
import { reviveError, type Reply, type Request } from "./pglite-protocol.ts";

type Body = Request extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;
type QueryOptions = { rowMode?: "array" | "object"; parsers?: Record<number, unknown> };

/** What drizzle's PGlite driver calls: query and transaction (and close, for us). */
interface Queryable {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<unknown>;
}

/**
 * A PGlite stand-in for the main thread: the same query / transaction surface drizzle's PGlite driver
 * uses, answered by the worker thread that owns the database.
 */
export class RemotePGlite implements Queryable {
  readonly #worker: Worker;
  #next = 1;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  #failed: Error | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on("message", (reply: Reply) => {
      const p = this.#pending.get(reply.id);
      if (!p) return;
      this.#pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(reviveError(reply.error));
    });
    const fail = (error: Error) => {
      this.#failed = error;
      for (const p of this.#pending.values()) p.reject(error);
      this.#pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`the embedded database thread exited (${code})`)));
  }

  static async create(dataDir: string): Promise<RemotePGlite> {
    const client = new RemotePGlite(new Worker(new URL("./pglite-worker.ts", import.meta.url)));
    try {
      await client.#call({ op: "open", dataDir });
    } catch (error) {
      await client.#worker.terminate();
      throw error;
    }
    return client;
  }

  #call(body: Body): Promise<unknown> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...body, id });
    });
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

  async close(): Promise<void> {
    try {
      if (!this.#failed) await this.#call({ op: "close" });
    } finally {
      await this.#worker.terminate();
    }
  }
}
