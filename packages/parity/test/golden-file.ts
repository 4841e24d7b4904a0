import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { expect } from "vitest";

/** The command that writes expected files on purpose; printed when one is missing. */
export const UPDATE_COMMAND = "UPDATE_GOLDEN=1 pnpm vitest run packages/parity/test/golden.test.ts";

/**
 * Compares a result with its checked-in expected file. Only `update` writes the file: a missing one fails,
 * so a case whose expected file was lost or never committed cannot pass by writing its own answer.
 */
export function compareWithExpected(path: string, actual: unknown, update: boolean): void {
  if (update) writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
  else if (!existsSync(path)) throw new Error(`no expected file ${path}; write it on purpose with \`${UPDATE_COMMAND}\` and review it`);
  expect(actual).toEqual(JSON.parse(readFileSync(path, "utf8")));
}
