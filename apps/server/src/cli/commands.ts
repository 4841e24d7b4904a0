import { approveCommand } from "./approve.ts";
import { calibrateCommand } from "./calibrate.ts";
import type { Command } from "./context.ts";
import { demoCommand } from "./demo.ts";
import { keysCommand } from "./keys.ts";
import { migrateCommand } from "./migrate.ts";
import { reportCommand } from "./report.ts";
import { revertCommand } from "./revert.ts";
import { startCommand } from "./start.ts";

/**
 * `proofgate <command>`: the dispatch table. A new command is one file exporting a Command and one
 * entry here.
 */
export const commands: Record<string, Command> = {
  start: startCommand,
  migrate: migrateCommand,
  keys: keysCommand,
  calibrate: calibrateCommand,
  report: reportCommand,
  approve: approveCommand,
  revert: revertCommand,
  demo: demoCommand,
};

export function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: pnpm proofgate <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nconfiguration comes from the environment (PORT, DATABASE_URL, PROOFGATE_DATA_DIR, ...).`;
}
