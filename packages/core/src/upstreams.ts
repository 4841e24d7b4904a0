import { providerSpecsOf, type Config } from "@proofgate/config";
import { Upstreams, type PriceBook } from "@proofgate/providers";

/** Upstream pools from the server's configuration: the only source of upstream hosts and keys. */
export function upstreamsFromConfig(config: Config): Upstreams {
  return new Upstreams({
    openaiUrl: config.env.OPENAI_UPSTREAM_URL,
    anthropicUrl: config.env.ANTHROPIC_UPSTREAM_URL,
    openaiKey: config.env.OPENAI_API_KEY,
    anthropicKey: config.env.ANTHROPIC_API_KEY,
    providers: providerSpecsOf(config.file, config.keys ?? process.env),
    models: config.file.models,
    timeoutMs: config.file.upstream.timeoutMs,
    connections: config.file.upstream.connections,
  });
}

interface Warner {
  warn(fields: Record<string, unknown>, message: string): void;
}

/**
 * Start-up warnings about the registry: a provider the config uses whose key variable is unset (its calls
 * answer 502), and a configured model or candidate with no price (its savings show as unknown). Names
 * the provider and the variable, never a value.
 */
export function warnAboutProviders(config: Config, upstreams: Upstreams, prices: PriceBook, logger: Warner): void {
  const registry = upstreams.registry;
  const configured = new Set(Object.keys(config.file.providers));
  const models = new Set([...Object.keys(config.file.models), ...Object.keys(config.file.candidates), ...Object.values(config.file.candidates).flat()]);
  const used = new Set<string>(configured);
  for (const model of models) {
    const target = registry.resolve(/^claude/i.test(model) ? "anthropic" : "openai", model);
    used.add(target.provider);
    if (!prices.known(target.provider, target.model)) {
      logger.warn({ model, provider: target.provider }, "model has no price: its cost and savings show as unknown");
    }
  }
  for (const name of used) {
    const variable = registry.missingKey(name);
    if (variable) logger.warn({ provider: name, variable }, `provider ${name} has no key: ${variable} is unset, so its calls answer 502`);
  }
}
