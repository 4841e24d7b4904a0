import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, providerOf } from "../src/index.ts";

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const { env, file } = loadConfig({});
    expect(env.PORT).toBe(8080);
    expect(env.OPENAI_UPSTREAM_URL).toBe("https://api.openai.com/v1");
    expect(env.ANTHROPIC_UPSTREAM_URL).toBe("https://api.anthropic.com");
    expect(env.PROOFGATE_DATA_DIR).toBe("./.proofgate");
    expect(file.alpha).toBe(0.05);
    expect(file.margins.semantic).toBe(0.05);
  });

  it("names the bad variable", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ REDIS_URL: "http://x" })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ PROOFGATE_ADMIN_TOKEN: "short" })).toThrow(ConfigError);
  });

  it("names the bad field of the config file", () => {
    const dir = mkdtempSync(join(tmpdir(), "pg-config-"));
    const path = join(dir, "proofgate.config.json");
    writeFileSync(path, JSON.stringify({ candidates: { "gpt-4o": [] } }));
    expect(() => loadConfig({ PROOFGATE_CONFIG: path })).toThrow(/candidates\.gpt-4o/);
    expect(() => loadConfig({ PROOFGATE_CONFIG: join(dir, "missing.json") })).toThrow(/cannot read/);
  });

  it("knows the provider of a model", () => {
    const { file } = loadConfig({});
    expect(providerOf(file, "claude-sonnet-4-5")).toBe("anthropic");
    expect(providerOf(file, "gpt-4o-mini")).toBe("openai");
  });
});
