import { runCommand } from "@proofgate/server";
import { demoCommand } from "./command.ts";

// `pnpm demo` lands here: the demo is its own app on top of the server, so the product never loads the simulator.
const code = await runCommand("demo", demoCommand, process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;
