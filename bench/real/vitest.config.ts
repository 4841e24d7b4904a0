import { defineConfig } from "vitest/config";

// bench/ sits outside the workspace projects: `pnpm vitest run --config bench/real/vitest.config.ts`.
export default defineConfig({ test: { root: import.meta.dirname, include: ["test/**/*.test.ts"], testTimeout: 60_000 } });
