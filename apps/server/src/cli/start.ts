import { handleSignals, startServer } from "../main.ts";
import type { Command } from "./context.ts";
import { config } from "./context.ts";

export const startCommand: Command = {
  summary: "run proofgate: migrate, then serve the proxy, admin API and metrics on PORT",
  usage: "proofgate start",
  async run(_args, ctx) {
    const running = await startServer({ config: config(ctx) });
    handleSignals(running);
    // Keeps running until a signal; handleSignals exits the process.
    return new Promise<number>(() => {});
  },
};
