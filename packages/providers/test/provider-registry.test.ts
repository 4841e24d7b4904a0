import { describe, expect, it } from "vitest";
import { presets, ProviderRegistry, providerSpecs, resolveModel, routeRequest, type ModelEntry, type Provider } from "../src/index.ts";

const wires: Record<string, Provider> = { openai: "openai", anthropic: "anthropic", groq: "openai", fireworks: "openai", claude2: "anthropic" };
const wireOf = (name: string) => wires[name];
const models: Record<string, ModelEntry> = {
  "llama-3.3-70b": { provider: "groq", upstreamModel: "llama-3.3-70b-versatile" },
  "fw-llama": { provider: "fireworks", upstreamModel: "accounts/fireworks/models/llama-v3p3-70b-instruct" },
  "gpt-4o-mini": { provider: "openai" },
  "groq/special": { provider: "fireworks" },
  haiku: { provider: "claude2", upstreamModel: "claude-haiku-4-5" },
};

describe("resolveModel", () => {
  it.each([
    // [requested, endpoint's provider, provider, upstream model, mapped]
    ["llama-3.3-70b", "openai", "groq", "llama-3.3-70b-versatile", true],
    ["fw-llama", "openai", "fireworks", "accounts/fireworks/models/llama-v3p3-70b-instruct", true],
    ["gpt-4o-mini", "openai", "openai", "gpt-4o-mini", false],
    ["haiku", "openai", "claude2", "claude-haiku-4-5", true],
    // The models table wins over a prefix that names a provider.
    ["groq/special", "openai", "fireworks", "groq/special", false],
    // provider/model, LiteLLM's convention: only a registered first segment counts.
    ["groq/llama-3.3-70b", "openai", "groq", "llama-3.3-70b", true],
    ["fireworks/accounts/fireworks/models/x", "openai", "fireworks", "accounts/fireworks/models/x", true],
    ["accounts/fireworks/models/x", "openai", "openai", "accounts/fireworks/models/x", false],
    ["meta-llama/Llama-3.3-70B", "openai", "openai", "meta-llama/Llama-3.3-70B", false],
    ["nosuch/model", "openai", "openai", "nosuch/model", false],
    ["groq/", "openai", "openai", "groq/", false],
    ["/x", "openai", "openai", "/x", false],
    // No config: the endpoint's own provider, as before.
    ["gpt-4o", "openai", "openai", "gpt-4o", false],
    ["claude-sonnet-4-5", "anthropic", "anthropic", "claude-sonnet-4-5", false],
    ["constructor", "openai", "openai", "constructor", false],
  ] as const)("%s on %s -> %s as %s", (requested, endpoint, provider, model, mapped) => {
    expect(resolveModel(models, wireOf, endpoint, requested)).toEqual({ provider, wire: wires[provider], model, mapped });
  });

  it("reports a models entry whose provider is not registered", () => {
    expect(resolveModel({ x: { provider: "nowhere" } }, wireOf, "openai", "x")).toEqual({ unknownProvider: "nowhere" });
  });
});

describe("providerSpecs", () => {
  it("registers every preset, configured ones over their preset, with keys from the named variable", () => {
    const specs = providerSpecs(
      { groq: { preset: "groq" }, "my-groq": { preset: "groq", apiKeyEnv: "MY_GROQ", headers: { "x-team": "a" } }, local: { wire: "openai", baseUrl: "http://127.0.0.1:9/v1" } },
      { GROQ_API_KEY: "gk", MY_GROQ: "mk" },
    );
    const byName = new Map(specs.map((s) => [s.name, s]));
    expect(byName.get("groq")).toMatchObject({ wire: "openai", baseUrl: "https://api.groq.com/openai/v1", apiKey: "gk", apiKeyEnv: "GROQ_API_KEY", priceId: "groq" });
    expect(byName.get("my-groq")).toMatchObject({ baseUrl: presets["groq"]!.baseUrl, apiKey: "mk", headers: { "x-team": "a" }, priceId: "groq" });
    expect(byName.get("local")).toMatchObject({ baseUrl: "http://127.0.0.1:9/v1", apiKey: undefined, priceId: "local" });
    expect(byName.get("ollama")).toMatchObject({ baseUrl: "http://127.0.0.1:11434/v1", apiKeyEnv: undefined });
    expect(byName.get("xai")?.priceId).toBe("x-ai");
    expect(byName.get("deepseek")?.apiKey).toBeUndefined();
  });

  it("names the field of an entry it cannot complete", () => {
    expect(() => providerSpecs({ x: { preset: "nope" } }, {})).toThrow(/providers\.x\.preset/);
    expect(() => providerSpecs({ x: { baseUrl: "http://h" } }, {})).toThrow(/providers\.x\.wire/);
  });
});

describe("routeRequest", () => {
  const registry = new ProviderRegistry(
    [
      { name: "openai", wire: "openai", baseUrl: "http://o", priceId: "openai" },
      { name: "anthropic", wire: "anthropic", baseUrl: "http://a", priceId: "anthropic" },
      ...providerSpecs({ claude2: { wire: "anthropic", baseUrl: "http://c" } }, { GROQ_API_KEY: "gk" }),
    ],
    models,
  );

  it("goes to a keyed provider", () => {
    expect(routeRequest(registry, "openai", "chat.completions", "llama-3.3-70b")).toEqual({ ok: true, target: { provider: "groq", wire: "openai", model: "llama-3.3-70b-versatile", mapped: true } });
  });

  it("is a 502 naming the provider and its variable when the key is unset", () => {
    const r = routeRequest(registry, "openai", "chat.completions", "deepseek/deepseek-chat");
    expect(r).toMatchObject({ ok: false, kind: "bad_gateway", code: "provider_key_missing" });
    expect(!r.ok && r.message).toMatch(/deepseek.*DEEPSEEK_API_KEY/);
  });

  it("is a 400 naming the model when the provider's wire cannot serve the endpoint", () => {
    const r = routeRequest(registry, "openai", "responses", "haiku");
    expect(r).toMatchObject({ ok: false, kind: "invalid_request", param: "model" });
    expect(!r.ok && r.message).toMatch(/haiku.*claude2.*responses/);
  });

  it("needs no key for a local server", () => {
    expect(routeRequest(registry, "openai", "chat.completions", "ollama/qwen3")).toMatchObject({ ok: true, target: { provider: "ollama", model: "qwen3" } });
  });
});
