import { defineProject } from "vitest/config";

// The repository's own scripts: a project of the root run, like the workspaces.
export default defineProject({ test: { name: "scripts", root: import.meta.dirname, include: ["test/**/*.test.ts"] } });
