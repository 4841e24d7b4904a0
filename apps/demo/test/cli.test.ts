import { runCommand } from "@proofgate/server";
import { expect, it } from "vitest";
import { demoCommand } from "../src/command.ts";

async function demo(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand("demo", demoCommand, args, { env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

// `pnpm demo` runs outside the server's CLI with the same conventions: usage on --help, exit code 2 and a
// message (never a stack) for a mistake, checked before anything starts.
it("prints its usage and refuses bad options before starting anything", async () => {
  const help = await demo("--help");
  expect(help.code).toBe(0);
  expect(help.out).toContain("pnpm demo [--port 8080]");

  for (const args of [["--requests", "5"], ["--max-pairs", "many"], ["--colour"]]) {
    const wrong = await demo(...args);
    expect(wrong.code, args.join(" ")).toBe(2);
    expect(wrong.err).toContain("pnpm demo [");
    expect(wrong.err).not.toMatch(/\n\s+at /);
  }
});
