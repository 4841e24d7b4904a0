// The server's public surface, for apps built on it (the demo) rather than reaching into its files.
export { handleSignals, startServer, tuneHeap, type RunningServer, type StartOptions } from "./main.ts";
export { adminClient, type AdminClient } from "./cli/admin-client.ts";
export { UsageError, type CliContext, type Command } from "./cli/context.ts";
export { reportRows, type PresentedCalibration } from "./cli/report-table.ts";
export { runCommand } from "./cli/run.ts";
