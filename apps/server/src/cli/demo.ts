import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Command } from "./context.ts";

/** The demo app's entry in a source checkout (apps/demo beside apps/server). */
const demoEntry = fileURLToPath(new URL("../../../demo/src/cli.ts", import.meta.url));

/**
 * `proofgate demo` hands off to the demo app, which lives beside the server and brings the simulator.
 * A child process rather than an import: the server never loads (or depends on) its test double, and an
 * install without apps/demo says so instead of failing on a missing module.
 */
export const demoCommand: Command = {
  summary: "run the end-to-end demo on the simulator (the demo app, `pnpm demo`)",
  usage: "pnpm proofgate demo [options]   (the same as `pnpm demo`; `pnpm demo --help` lists the options)",
  run(args, ctx) {
    if (!existsSync(demoEntry)) {
      ctx.err("the demo is not installed here: it ships with the source checkout (apps/demo), run `pnpm demo` there");
      return Promise.resolve(2);
    }
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [...process.execArgv, demoEntry, ...args], { stdio: "inherit", env: ctx.env });
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      process.on("SIGINT", forward).on("SIGTERM", forward);
      child.on("exit", (code, signal) => {
        process.off("SIGINT", forward).off("SIGTERM", forward);
        resolve(code ?? (signal ? 1 : 0));
      });
    });
  },
};
