import { ConfigError } from "@proofgate/config";
import { DataDirInUseError } from "@proofgate/db";
import { commands, helpText } from "./commands.ts";
import { UsageError, type CliContext, type Command } from "./context.ts";

/** Runs one CLI invocation; returns the exit code. Expected failures print a message, never a stack. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    ctx.out(helpText());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    ctx.err(`unknown command '${name}'\n\n${helpText()}`);
    return 2;
  }
  return runCommand(name, command, args, ctx);
}

/**
 * Runs one command with the CLI's conventions: `--help` prints its usage, a mistake prints a message and
 * exits 2, a failure prints one line and exits 1. Exported for commands that live outside this CLI.
 */
export async function runCommand(name: string, command: Command, args: string[], ctx: CliContext): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    ctx.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.err(`${error.message}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof DataDirInUseError) {
      ctx.err(`proofgate: ${error.message}`);
      return 2;
    }
    if ((error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" || (error as { code?: string }).code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      ctx.err(`${(error as Error).message}\n${command.usage}`);
      return 2;
    }
    ctx.err(`proofgate ${name} failed: ${(error as Error).message}`);
    return 1;
  }
}
