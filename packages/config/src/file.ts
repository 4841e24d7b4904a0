import { z } from "zod";

const share = z.number().min(0).max(1);

const modelSchema = z.object({
  /** A registry name: openai, anthropic, a preset, or a provider of `providers`. */
  provider: z.string().min(1),
  /** The model id sent upstream, when it differs from the name callers use. */
  upstreamModel: z.string().min(1).optional(),
  /** USD per million tokens; overrides the maintained price table. */
  inputPerMTok: z.number().nonnegative().optional(),
  outputPerMTok: z.number().nonnegative().optional(),
});

/** Wires a provider may name; only those in builtWires can be served yet. */
const wireNames = ["openai", "anthropic", "azure-openai", "gemini", "bedrock"] as const;
export const builtWires: readonly string[] = ["openai", "anthropic"];

const providerSchema = z.strictObject({
  wire: z.enum(wireNames).optional(),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The environment variable holding its key: keys are never written in the file. */
  apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name").optional(),
  headers: z.record(z.string(), z.string()).optional(),
  preset: z.string().min(1).optional(),
  apiVersion: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
});

/** proofgate.config.json: everything that is policy rather than deployment. */
export const fileSchema = z.object({
  /** Named upstreams beyond openai and anthropic (built in, from the environment). */
  providers: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "provider names are letters, digits, '.', '_' and '-'"), providerSchema).default({}),
  models: z.record(z.string(), modelSchema).default({}),
  /** Baseline model -> cheaper models to calibrate against it. */
  candidates: z.record(z.string(), z.array(z.string()).min(1)).default({}),
  margins: z
    .object({ format: share.default(0.05), categorical: share.default(0.05), semantic: share.default(0.05) })
    .prefault({}),
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  budgets: z
    .object({
      maxPairs: z.number().int().positive().default(400),
      maxCostUsd: z.number().positive().default(10),
      batchSize: z.number().int().positive().default(20),
    })
    .prefault({}),
  /** Start a calibration by itself once a prompt has this many captures (0: never). */
  autoCalibrateAfter: z.number().int().nonnegative().default(0),
  capture: z
    .object({
      batchSize: z.number().int().positive().default(200),
      flushIntervalMs: z.number().int().positive().default(200),
      /** Captures held in memory while Postgres is away, before spilling to disk. */
      memoryLimit: z.number().int().positive().default(10_000),
      /** The same bound in (estimated) bytes, whichever is reached first; the spool takes the rest. */
      memoryLimitBytes: z.number().int().positive().default(16 * 1024 * 1024),
      /** Bytes the on-disk spool may hold; past it captures are dropped and counted. */
      spoolLimitBytes: z.number().int().positive().default(1024 * 1024 * 1024),
    })
    .prefault({}),
  limits: z
    .object({
      /**
       * Bytes of request bodies (from content-length, or as chunks arrive) and of replies kept for their
       * capture, in flight at once across the server. A request that cannot get its share waits, unread.
       */
      inFlightBytes: z.number().int().positive().default(48 * 1024 * 1024),
      /** How long a request may wait for its share before it is answered 503 with retry advice. */
      inFlightWaitMs: z.number().int().positive().default(10_000),
      /** A reply larger than this is relayed in full but captured without its body. */
      captureReplyBytes: z.number().int().positive().default(16 * 1024 * 1024),
    })
    .prefault({}),
  upstream: z
    .object({
      timeoutMs: z.number().int().positive().default(600_000),
      connections: z.number().int().positive().default(128),
    })
    .prefault({}),
  routing: z
    .object({
      shadowShare: share.default(0.05),
      fallbackRevertRate: share.default(0.2),
      fallbackWindow: z.number().int().positive().default(200),
      candidateTimeoutMs: z.number().int().positive().optional(),
    })
    .prefault({}),
});

export type FileConfig = z.infer<typeof fileSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
