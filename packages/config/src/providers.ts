import { presets, providerSpecs, resolveModel, type ModelTarget, type Provider, type ProviderSpec } from "@proofgate/providers";
import { builtWires, type FileConfig } from "./file.ts";

const builtIn = ["openai", "anthropic"] as const;

/**
 * What the schema alone cannot say about `providers` and `models`: each problem names its field. A wire
 * that is accepted but not served yet (azure-openai, gemini, bedrock) is refused here, by provider.
 */
export function providerProblems(file: FileConfig): string[] {
  const problems: string[] = [];
  for (const [name, p] of Object.entries(file.providers)) {
    if ((builtIn as readonly string[]).includes(name)) {
      problems.push(`providers.${name}: ${name} is built in; set its base URL and key with the environment (${name.toUpperCase()}_UPSTREAM_URL, ${name.toUpperCase()}_API_KEY)`);
      continue;
    }
    const preset = p.preset ?? name;
    if (p.preset && !Object.hasOwn(presets, p.preset)) {
      problems.push(`providers.${name}.preset: no preset named "${p.preset}" (known: ${Object.keys(presets).join(", ")})`);
      continue;
    }
    const fromPreset = Object.hasOwn(presets, preset) ? presets[preset] : undefined;
    const wire = p.wire ?? fromPreset?.wire;
    if (!wire) problems.push(`providers.${name}.wire: required unless the provider names a preset`);
    else if (!builtWires.includes(wire)) problems.push(`providers.${name}.wire: the ${wire} wire is not served yet (served: ${builtWires.join(", ")})`);
    if (!p.baseUrl && !fromPreset) problems.push(`providers.${name}.baseUrl: required unless the provider names a preset`);
    if (p.apiVersion !== undefined && wire !== "azure-openai") problems.push(`providers.${name}.apiVersion: only the azure-openai wire takes an API version`);
    if (p.region !== undefined && wire !== "bedrock") problems.push(`providers.${name}.region: only the bedrock wire takes a region`);
  }
  for (const [model, m] of Object.entries(file.models)) {
    if (!isRegistered(file, m.provider)) problems.push(`models.${model}.provider: no provider named "${m.provider}" (openai, anthropic, a preset, or one of providers)`);
  }
  return problems;
}

function isRegistered(file: FileConfig, name: string): boolean {
  return (builtIn as readonly string[]).includes(name) || Object.hasOwn(file.providers, name) || Object.hasOwn(presets, name);
}

/** The wire family of a registered provider, or undefined. */
function wireOfName(file: FileConfig): (name: string) => Provider | undefined {
  return (name) => {
    if (name === "openai" || name === "anthropic") return name;
    const p = Object.hasOwn(file.providers, name) ? file.providers[name] : undefined;
    const preset = p?.preset ?? name;
    const wire = p?.wire ?? (Object.hasOwn(presets, preset) ? presets[preset]?.wire : undefined);
    return wire === "openai" || wire === "anthropic" ? wire : undefined;
  };
}

/**
 * Where a model goes when proofgate calls it itself (replays, candidates, judges): the same resolution the
 * proxy applies, with the wire guessed from the name when nothing names a provider (claude-* on anthropic).
 */
export function targetOf(file: FileConfig, model: string, defaultProvider?: Provider): ModelTarget {
  const fallback = defaultProvider ?? (/^claude/i.test(model) ? "anthropic" : "openai");
  const target = resolveModel(file.models, wireOfName(file), fallback, model);
  // Validation refuses a models entry naming no provider; a config built by hand reads as the default.
  return "unknownProvider" in target ? { provider: fallback, wire: fallback, model, mapped: false } : target;
}

/** The registry's entries, keys read from `keys` (the process environment at start) by their variable. */
export function providerSpecsOf(file: FileConfig, keys: Readonly<Record<string, string | undefined>>): ProviderSpec[] {
  const entries = Object.fromEntries(Object.entries(file.providers).filter(([name]) => !(builtIn as readonly string[]).includes(name)));
  return providerSpecs(entries as Parameters<typeof providerSpecs>[0], keys);
}
