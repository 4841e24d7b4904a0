import { presets } from "./presets.ts";
import type { Provider } from "./wire.ts";

/** One named upstream, resolved from server config: where it is, how it is keyed, and whose prices apply. */
export interface ProviderSpec {
  name: string;
  /** The wire family its bodies are in. */
  wire: Provider;
  baseUrl: string;
  apiKey?: string | undefined;
  /** The variable the key comes from; set and unset means the provider cannot be called (502). */
  apiKeyEnv?: string | undefined;
  /** Extra headers sent on every call to it (from the config; never the client's). */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Its provider id in @pydantic/genai-prices. */
  priceId: string;
}

/** models.<name> from the config, as resolution reads it. */
export interface ModelEntry {
  provider: string;
  upstreamModel?: string | undefined;
}

/** Where a requested model goes: the provider's name and wire, and the model id it is sent as. */
export interface ModelTarget {
  provider: string;
  wire: Provider;
  /** The model id in the upstream body. */
  model: string;
  /** True when `model` differs from what the client sent: the body must be rewritten. */
  mapped: boolean;
}

/**
 * The one resolution of a requested model to a provider: the models table first, then `provider/model`
 * (LiteLLM's convention) when the first segment names a registered provider, then the endpoint's own
 * provider. A model id that merely contains a slash (`accounts/fireworks/models/x`, `meta-llama/Llama-3`)
 * stays whole and goes to the default. `wireOf` answers undefined for a name that is not registered.
 */
export function resolveModel(
  models: Readonly<Record<string, ModelEntry | undefined>>,
  wireOf: (provider: string) => Provider | undefined,
  defaultProvider: Provider,
  requested: string,
): ModelTarget | { unknownProvider: string } {
  const entry = Object.hasOwn(models, requested) ? models[requested] : undefined;
  if (entry) {
    const wire = wireOf(entry.provider);
    if (!wire) return { unknownProvider: entry.provider };
    const model = entry.upstreamModel ?? requested;
    return { provider: entry.provider, wire, model, mapped: model !== requested };
  }
  const slash = requested.indexOf("/");
  if (slash > 0 && slash < requested.length - 1) {
    const prefix = requested.slice(0, slash);
    const wire = wireOf(prefix);
    if (wire) return { provider: prefix, wire, model: requested.slice(slash + 1), mapped: true };
  }
  return { provider: defaultProvider, wire: defaultProvider, model: requested, mapped: false };
}

/** A provider entry of proofgate.config.json, before presets and keys are applied. */
export interface ProviderEntry {
  wire?: Provider | undefined;
  baseUrl?: string | undefined;
  apiKeyEnv?: string | undefined;
  headers?: Record<string, string> | undefined;
  preset?: string | undefined;
}

/**
 * The registry's entries from the config's `providers` (each over its preset: named by `preset`, or by the
 * provider's own name when that is a preset) plus every preset not configured, so `groq/...` works with
 * only GROQ_API_KEY set. Keys are read from `keys` (the environment) by the variable each entry names.
 * Throws with the field's name when an entry has no wire or base URL and no preset supplies one.
 */
export function providerSpecs(entries: Readonly<Record<string, ProviderEntry>>, keys: Readonly<Record<string, string | undefined>>): ProviderSpec[] {
  const specs: ProviderSpec[] = [];
  const names = new Set([...Object.keys(presets), ...Object.keys(entries)]);
  for (const name of names) {
    const entry = Object.hasOwn(entries, name) ? entries[name] : undefined;
    const presetName = entry?.preset ?? name;
    const preset = Object.hasOwn(presets, presetName) ? presets[presetName] : undefined;
    if (entry?.preset && !preset) throw new Error(`providers.${name}.preset: no preset named "${entry.preset}" (known: ${Object.keys(presets).join(", ")})`);
    const wire = entry?.wire ?? preset?.wire;
    const baseUrl = entry?.baseUrl ?? preset?.baseUrl;
    if (!wire) throw new Error(`providers.${name}.wire: required (or name a preset)`);
    if (!baseUrl) throw new Error(`providers.${name}.baseUrl: required (or name a preset)`);
    const apiKeyEnv = entry?.apiKeyEnv ?? preset?.apiKeyEnv;
    const apiKey = apiKeyEnv ? keys[apiKeyEnv] || undefined : undefined;
    specs.push({ name, wire, baseUrl, apiKey, apiKeyEnv, headers: entry?.headers, priceId: preset?.priceId ?? name });
  }
  return specs;
}

/** The named upstreams proofgate may call, and the models table that maps requests onto them. */
export class ProviderRegistry {
  readonly #specs = new Map<string, ProviderSpec>();
  readonly #models: Readonly<Record<string, ModelEntry | undefined>>;
  readonly #wireOf = (name: string) => this.#specs.get(name)?.wire;

  constructor(specs: readonly ProviderSpec[], models: Readonly<Record<string, ModelEntry | undefined>> = {}) {
    for (const spec of specs) this.#specs.set(spec.name, spec);
    this.#models = models;
  }

  get(name: string): ProviderSpec | undefined {
    return this.#specs.get(name);
  }

  specs(): ProviderSpec[] {
    return [...this.#specs.values()];
  }

  /** See resolveModel; a models entry naming an unregistered provider cannot pass config validation. */
  resolve(defaultProvider: Provider, requested: string): ModelTarget {
    const target = resolveModel(this.#models, this.#wireOf, defaultProvider, requested);
    if ("unknownProvider" in target) throw new Error(`models.${requested}.provider: no provider named "${target.unknownProvider}"`);
    return target;
  }

  /** The provider that cannot be called for want of its key: the variable it names is unset. */
  missingKey(name: string): string | null {
    const spec = this.#specs.get(name);
    return spec?.apiKeyEnv && !spec.apiKey ? spec.apiKeyEnv : null;
  }

  /** Every provider's id in the price table, for the PriceBook. */
  priceIds(): Record<string, string> {
    return Object.fromEntries([...this.#specs.values()].map((s) => [s.name, s.priceId]));
  }
}

export type Routing =
  | { ok: true; target: ModelTarget }
  | { ok: false; kind: "invalid_request" | "bad_gateway"; code: string; message: string; param?: string };

/**
 * The provider a proxied request goes to, or why it cannot go: a model on a provider whose wire is not the
 * endpoint's is a 400 naming the model (translation at the baseline is not offered); a provider whose key
 * variable is unset is a 502 naming the provider and the variable, never a value.
 */
export function routeRequest(registry: ProviderRegistry, endpointProvider: Provider, endpoint: string, model: string): Routing {
  const target = registry.resolve(endpointProvider, model);
  if (target.wire !== endpointProvider) {
    const message = `The model ${model} is served by the provider ${target.provider} on the ${target.wire} wire, which cannot serve ${endpoint}.`;
    return { ok: false, kind: "invalid_request", code: "model_not_served_here", param: "model", message };
  }
  const missing = registry.missingKey(target.provider);
  if (missing) {
    return { ok: false, kind: "bad_gateway", code: "provider_key_missing", message: `The provider ${target.provider} has no key: ${missing} is not set on this server.` };
  }
  return { ok: true, target };
}
