import { defineProject } from "vitest/config";

// Browser tests launch chromium and drive several pages: give them more than the default five seconds.
export default defineProject({
  test: {
    name: "@proofgate/dashboard",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
