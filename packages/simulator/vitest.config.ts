import { defineProject } from "vitest/config";

// The statistical and recorded-data tests draw tens of thousands of samples; on a shared two-core machine
// they need more than vitest's default five seconds.
export default defineProject({
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});
