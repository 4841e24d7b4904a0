import type { Server, ServerResponse } from "node:http";

export interface Drain {
  /** From now on every response says `Connection: close`, and each connection closes once its response is done. */
  start(): void;
}

/**
 * Lets a stopping server tell keep-alive clients to go elsewhere. server.close() stops accepting new
 * connections, but a client that keeps its connection busy would be served on it until the drain deadline;
 * while draining, every response not yet begun goes out with `Connection: close` (Node then ends the
 * connection after it), and a connection whose response had already begun is closed once it is idle.
 * Tracks the responses in flight (one Set entry each) so that those already waiting on an upstream when
 * the drain starts are told too.
 */
export function drainOnClose(server: Server): Drain {
  const open = new Set<ServerResponse>();
  let draining = false;
  const closeIdle = () => setImmediate(() => server.closeIdleConnections());
  // Prepended, so it runs before the app's listener can write a head.
  server.prependListener("request", (_req, res: ServerResponse) => {
    if (draining) res.shouldKeepAlive = false;
    open.add(res);
    res.once("close", () => {
      open.delete(res);
      if (draining) closeIdle();
    });
  });
  return {
    start() {
      draining = true;
      for (const res of open) if (!res.headersSent) res.shouldKeepAlive = false;
    },
  };
}
