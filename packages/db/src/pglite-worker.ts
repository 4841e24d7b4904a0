import { parentPort } from "node:worker_threads";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { serializeError, type Reply, type Request } from "./pglite-protocol.ts";

/**
 * Owns the embedded database on its own thread. PGlite runs Postgres compiled to WebAssembly
 * synchronously, so on the main thread every statement would freeze the event loop (and the requests
 * being proxied) for its whole duration; here it only occupies this thread.
 */
const port = parentPort;
if (!port) throw new Error("pglite-worker must run as a worker thread");

let db: PGlite | null = null;
let nextTx = 1;
const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void; done: Promise<void> }>();

function reply(message: Reply): void {
  port!.postMessage(message);
}

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case "open":
      db = await PGlite.create(req.dataDir);
      return null;
    case "query": {
      if (!db) throw new Error("database not open");
      // Keep the types the driver asks for as raw text (drizzle parses timestamps itself).
      const parsers = Object.fromEntries(req.rawTypes.map((oid) => [oid, (value: string) => value]));
      const target = req.tx === null ? db : open.get(req.tx)?.tx;
      if (!target) throw new Error(`transaction ${req.tx} is not open`);
      return target.query(req.sql, req.params, { rowMode: req.rowMode, parsers });
    }
    case "begin": {
      if (!db) throw new Error("database not open");
      const id = nextTx++;
      let started!: () => void;
      const ready = new Promise<void>((resolve) => (started = resolve));
      let end!: (commit: boolean) => void;
      const finished = new Promise<boolean>((resolve) => (end = resolve));
      const done = db
        .transaction(async (tx) => {
          open.set(id, { tx, end, done });
          started();
          // The transaction stays open until the main thread's callback settles.
          if (!(await finished)) await tx.rollback();
        })
        .finally(() => open.delete(id));
      // A failure to begin surfaces here instead of leaving the caller waiting.
      await Promise.race([ready, done]);
      return id;
    }
    case "end": {
      const entry = open.get(req.tx);
      if (!entry) throw new Error(`transaction ${req.tx} is not open`);
      entry.end(req.commit);
      await entry.done;
      return null;
    }
    case "close":
      await db?.close();
      db = null;
      return null;
  }
}

port.on("message", (req: Request) => {
  handle(req).then(
    (value) => reply({ id: req.id, ok: true, value }),
    (error: unknown) => reply({ id: req.id, ok: false, error: serializeError(error) }),
  );
});
