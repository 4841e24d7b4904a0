import { defineConfig } from "drizzle-kit";

// Migrations live at the repository root (migrations/) and run unchanged on Postgres and PGlite.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "../../migrations",
  breakpoints: true,
});
