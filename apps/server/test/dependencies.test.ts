import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

// The simulator is a test double: the server's tests use it, the product must never load it (the demo,
// which does, is its own app on top of the server).
it("never depends on the simulator at run time", () => {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  expect(Object.keys(manifest.dependencies ?? {})).not.toContain("@proofgate/simulator");

  const importers = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .filter((file) => /["'](@proofgate\/simulator|[./]*\/packages\/simulator)[/"']/.test(readFileSync(join(root, "src", file), "utf8")));
  expect(importers).toEqual([]);
});
