import { calcPrice, type ModelPrice } from "@pydantic/genai-prices";
import { presets } from "./presets.ts";
import type { Usage } from "./wire.ts";

/** USD per million tokens from proofgate.config.json; each one replaces the price table's. */
export interface PriceOverride {
  inputPerMTok?: number | undefined;
  outputPerMTok?: number | undefined;
}

interface Cached {
  price: ModelPrice | null;
  until: number;
}

const refreshMs = 60 * 60 * 1000;

type Rate = ModelPrice[string];

/** A rate that does not depend on the request's size here: flat, or tiered with input below the first tier. */
function flatRate(rate: Rate, inputTokens: number): number | null {
  if (rate === undefined) return null;
  if (typeof rate === "number") return rate;
  const firstTier = rate.tiers.reduce((min, tier) => Math.min(min, tier.start), Infinity);
  return inputTokens < firstTier ? rate.base : null;
}

/**
 * Costs from @pydantic/genai-prices, with config overrides. calcPrice resolves the provider and model on
 * every call (25-55 µs measured here), which at thousands of captures a second on one core is a real share;
 * so the active price row is looked up once per model per hour and applied directly when it is flat, and
 * calcPrice does the rare sizes that fall into a higher tier.
 */
export class PriceBook {
  readonly #overrides: Record<string, PriceOverride | undefined>;
  readonly #cache = new Map<string, Cached>();
  readonly #priceIds: Readonly<Record<string, string>>;

  /**
   * `priceIds` maps registry provider names to the price table's provider ids (ProviderRegistry.priceIds);
   * a name it lacks is looked up as a preset's, else as itself.
   */
  constructor(overrides: Record<string, (PriceOverride & { upstreamModel?: string | undefined }) | undefined> = {}, priceIds: Readonly<Record<string, string>> = {}) {
    // A models entry prices its upstream model id too: calls are priced by the id that went upstream.
    const byUpstream = Object.fromEntries(Object.values(overrides).flatMap((o) => (o?.upstreamModel ? [[o.upstreamModel, o]] : [])));
    this.#overrides = { ...byUpstream, ...overrides };
    this.#priceIds = priceIds;
  }

  #priceId(provider: string): string {
    if (Object.hasOwn(this.#priceIds, provider)) return this.#priceIds[provider]!;
    return (Object.hasOwn(presets, provider) ? presets[provider]?.priceId : undefined) ?? provider;
  }

  /** Whether the price table knows the model, or the config prices it (start-up warns of the others). */
  known(provider: string, model: string): boolean {
    const override = this.#overrides[model];
    if (override?.inputPerMTok !== undefined && override.outputPerMTok !== undefined) return true;
    return this.#price(this.#priceId(provider), model) !== null;
  }

  /** USD for one exchange, or null when the model has no known price. `provider` is a registry name. */
  cost(provider: string, model: string, usage: Usage): number | null {
    const override = this.#overrides[model];
    const input = override?.inputPerMTok;
    const output = override?.outputPerMTok;
    if (input !== undefined && output !== undefined) {
      return (usage.inputTokens * input + usage.outputTokens * output) / 1e6;
    }
    const table = this.#tableCost(this.#priceId(provider), model, usage);
    if (!table) return null;
    const inputCost = input !== undefined ? (usage.inputTokens * input) / 1e6 : table.input;
    const outputCost = output !== undefined ? (usage.outputTokens * output) / 1e6 : table.output;
    return inputCost + outputCost;
  }

  #tableCost(provider: string, model: string, usage: Usage): { input: number; output: number } | null {
    const price = this.#price(provider, model);
    if (!price) return null;
    const inputRate = flatRate(price["input_mtok"], usage.inputTokens);
    const outputRate = flatRate(price["output_mtok"], usage.inputTokens) ?? (price["output_mtok"] === undefined ? 0 : null);
    const readRate = usage.cacheReadTokens > 0 ? flatRate(price["cache_read_mtok"] ?? price["input_mtok"], usage.inputTokens) : 0;
    const writeRate = usage.cacheWriteTokens > 0 ? flatRate(price["cache_write_mtok"] ?? price["input_mtok"], usage.inputTokens) : 0;
    if (inputRate !== null && outputRate !== null && readRate !== null && writeRate !== null) {
      const uncached = Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens);
      return {
        input: (uncached * inputRate + usage.cacheReadTokens * readRate + usage.cacheWriteTokens * writeRate) / 1e6,
        output: (usage.outputTokens * outputRate) / 1e6,
      };
    }
    const result = calcPrice(genaiUsage(usage), model, { providerId: provider });
    return result ? { input: result.input_price, output: result.output_price } : null;
  }

  #price(provider: string, model: string): ModelPrice | null {
    const key = `${provider}:${model}`;
    const now = Date.now();
    const cached = this.#cache.get(key);
    if (cached && cached.until > now) return cached.price;
    const result = calcPrice({ input_tokens: 0, output_tokens: 0 }, model, { providerId: provider });
    const price = result?.model_price ?? null;
    this.#cache.set(key, { price, until: now + refreshMs });
    return price;
  }
}

export function genaiUsage(usage: Usage) {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_read_tokens: usage.cacheReadTokens,
    cache_write_tokens: usage.cacheWriteTokens,
  };
}
