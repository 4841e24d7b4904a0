import { readFileSync } from "node:fs";
import { z } from "zod";
import { envSchema, type Env } from "./env.ts";
import { fileSchema, type FileConfig } from "./file.ts";
import { providerProblems, providerSpecsOf, targetOf } from "./providers.ts";

export { envSchema, fileSchema };
export type { Env, FileConfig };
export type { ModelConfig, ProviderConfig } from "./file.ts";
export { providerProblems, providerSpecsOf, targetOf } from "./providers.ts";

export interface Config {
  env: Env;
  file: FileConfig;
  /**
   * The provider key variables the config file names, read from the environment at load (envSchema keeps
   * only its own). Absent in a config built by hand: the process environment is read instead.
   */
  keys?: Readonly<Record<string, string | undefined>>;
}

/** A configuration problem, named by the variable or field that caused it; start-up stops on it. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

function describe(error: z.ZodError, prefix: string): string {
  return error.issues.map((i) => `${prefix}${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

/** Parses the environment and the optional config file once, at start. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const env = envSchema.safeParse(source);
  if (!env.success) throw new ConfigError(`invalid environment: ${describe(env.error, "")}`);
  const path = env.data.PROOFGATE_CONFIG;
  let raw: unknown = {};
  if (path) {
    try {
      raw = JSON.parse(readFileSync(path, "utf8"));
    } catch (cause) {
      throw new ConfigError(`PROOFGATE_CONFIG: cannot read ${path}: ${(cause as Error).message}`);
    }
  }
  const file = fileSchema.safeParse(raw);
  if (!file.success) throw new ConfigError(`PROOFGATE_CONFIG ${path}: ${describe(file.error, "")}`);
  const problems = providerProblems(file.data);
  if (problems.length > 0) throw new ConfigError(`PROOFGATE_CONFIG ${path}: ${problems.join("; ")}`);
  return { env: env.data, file: file.data, keys: keyVariables(file.data, source) };
}

/** Only the variables that providers name (theirs or their preset's), so nothing else is held. */
function keyVariables(file: FileConfig, source: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const names = new Set<string>();
  for (const spec of providerSpecsOf(file, {})) if (spec.apiKeyEnv) names.add(spec.apiKeyEnv);
  return Object.fromEntries([...names].map((n) => [n, source[n]]));
}

/** Which wire format serves a model: the models table, a `provider/` prefix, else the name (claude-*). */
export function providerOf(config: FileConfig, model: string): "openai" | "anthropic" {
  return targetOf(config, model).wire;
}
