import { z } from "zod";

const url = z.url({ protocol: /^https?$/ });
const optionalText = z.string().min(1).optional();

/** The public contract's environment variables (README "Configuration"). */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PROOFGATE_DATA_DIR: z.string().min(1).default("./.proofgate"),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  OPENAI_UPSTREAM_URL: url.default("https://api.openai.com/v1"),
  ANTHROPIC_UPSTREAM_URL: url.default("https://api.anthropic.com"),
  OPENAI_API_KEY: optionalText,
  ANTHROPIC_API_KEY: optionalText,
  PROOFGATE_ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  PROOFGATE_DEV_KEY: z.string().min(8, "must be at least 8 characters").optional(),
  PROOFGATE_CONFIG: optionalText,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;
