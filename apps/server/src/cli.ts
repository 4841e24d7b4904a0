import { runCli } from "./cli/run.ts";

// `pnpm proofgate <command>` and `pnpm start` land here; the commands live in ./cli/commands.ts.
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;
