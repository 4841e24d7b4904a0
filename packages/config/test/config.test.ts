import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, providerOf, providerSpecsOf, targetOf } from "../src/index.ts";

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

describe("the provider registry in the config file", () => {
  const dir = mkdtempSync(join(tmpdir(), "pg-providers-"));
  let n = 0;
  const load = (file: unknown, env: Record<string, string> = {}) => {
    const path = join(dir, `c${n++}.json`);
    writeFileSync(path, JSON.stringify(file));
    return loadConfig({ PROOFGATE_CONFIG: path, ...env });
  };

  it("takes presets, custom hosts and models mapped onto them, with keys only from the named variables", () => {
    const config = load(
      {
        providers: { groq: { preset: "groq" }, box: { wire: "openai", baseUrl: "http://10.0.0.2:8000/v1", apiKeyEnv: "BOX_KEY", headers: { "x-tenant": "t" } } },
        models: { "llama-3.3-70b": { provider: "groq", upstreamModel: "llama-3.3-70b-versatile" }, qwen: { provider: "box" } },
      },
      { GROQ_API_KEY: "gk", BOX_KEY: "bk", UNRELATED_SECRET: "no" },
    );
    expect(config.keys).toEqual({ GROQ_API_KEY: "gk", BOX_KEY: "bk", TOGETHER_API_KEY: undefined, FIREWORKS_API_KEY: undefined, DEEPSEEK_API_KEY: undefined, MISTRAL_API_KEY: undefined, XAI_API_KEY: undefined, OPENROUTER_API_KEY: undefined, GEMINI_API_KEY: undefined });
    const specs = new Map(providerSpecsOf(config.file, config.keys!).map((s) => [s.name, s]));
    expect(specs.get("box")).toMatchObject({ apiKey: "bk", headers: { "x-tenant": "t" } });
    expect(targetOf(config.file, "llama-3.3-70b")).toEqual({ provider: "groq", wire: "openai", model: "llama-3.3-70b-versatile", mapped: true });
    expect(targetOf(config.file, "together/meta-llama/Llama-3.3-70B")).toMatchObject({ provider: "together", model: "meta-llama/Llama-3.3-70B" });
    expect(providerOf(config.file, "qwen")).toBe("openai");
  });

  it.each([
    [{ providers: { az: { wire: "azure-openai", baseUrl: "https://r.openai.azure.com", apiVersion: "2024-10-21" } } }, /providers\.az\.wire: the azure-openai wire is not served yet/],
    [{ providers: { g: { wire: "gemini", baseUrl: "https://generativelanguage.googleapis.com" } } }, /providers\.g\.wire: the gemini wire/],
    [{ providers: { b: { wire: "bedrock", region: "us-east-1" } } }, /providers\.b\.wire: the bedrock wire/],
    [{ providers: { x: { wire: "openai" } } }, /providers\.x\.baseUrl/],
    [{ providers: { x: { baseUrl: "http://h/v1" } } }, /providers\.x\.wire/],
    [{ providers: { x: { preset: "grok" } } }, /providers\.x\.preset: no preset named "grok"/],
    [{ providers: { x: { wire: "openai", baseUrl: "http://h", region: "eu" } } }, /providers\.x\.region/],
    [{ providers: { x: { wire: "openai", baseUrl: "http://h", apiKey: "sk-in-the-file" } } }, /providers\.x: Unrecognized key: "apiKey"/],
    [{ providers: { x: { wire: "openai", baseUrl: "http://h", apiKeyEnv: "not a name" } } }, /providers\.x\.apiKeyEnv/],
    [{ providers: { openai: { wire: "openai", baseUrl: "http://h" } } }, /providers\.openai: openai is built in/],
    [{ models: { m: { provider: "nowhere" } } }, /models\.m\.provider: no provider named "nowhere"/],
    [{ models: { m: { provider: "groq", upstreamModel: "" } } }, /models\.m\.upstreamModel/],
  ])("refuses %j naming the field", (file, message) => {
    expect(() => load(file)).toThrow(ConfigError);
    expect(() => load(file)).toThrow(message);
  });

  it("never keeps a key the config did not name", () => {
    expect(load({}, { SOME_TOKEN: "x" }).keys).not.toHaveProperty("SOME_TOKEN");
  });
});
