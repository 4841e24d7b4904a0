import { defineConfig } from "vitest/config";

// One run over every workspace package; integration tests create their own database, so files run in parallel.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "bench/real", "scripts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
