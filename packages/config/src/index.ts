import { readFileSync } from "node:fs";
import { z } from "zod";
import { envSchema, type Env } from "./env.ts";
import { fileSchema, type FileConfig } from "./file.ts";

export { envSchema, fileSchema };
export type { Env, FileConfig };
export type { ModelConfig } from "./file.ts";

export interface Config {
  env: Env;
  file: FileConfig;
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
  return { env: env.data, file: file.data };
}

/** Which wire format serves a model: the config says, else the name does. */
export function providerOf(config: FileConfig, model: string): "openai" | "anthropic" {
  return config.models[model]?.provider ?? (/^claude/i.test(model) ? "anthropic" : "openai");
}
