import type { Command } from "./context.ts";
import { config } from "./context.ts";

export const startCommand: Command = {
  summary: "run proofgate: migrate, then serve the proxy, admin API and metrics on PORT",
  usage: "proofgate start",
  async run(_args, ctx) {
    // The server's code is loaded only by this command: `keys`, `migrate` and the rest stay light.
    const { handleSignals, startServer, tuneHeap } = await import("../main.ts");
    tuneHeap();
    const running = await startServer({ config: config(ctx) });
    handleSignals(running);
    // Keeps running until a signal; handleSignals exits the process.
    return new Promise<number>(() => {});
  },
};
