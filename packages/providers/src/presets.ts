import type { Provider } from "./wire.ts";

/** A known host: what a user gets by naming it, so the config need hold only a key variable. */
export interface Preset {
  wire: Provider;
  baseUrl: string;
  /** The variable the host's own SDKs and docs use for its key; absent for local servers (no key). */
  apiKeyEnv?: string;
  /** The host's provider id in @pydantic/genai-prices, when it has one. */
  priceId?: string;
}

/**
 * OpenAI-compatible hosts and local servers, by the name a config uses. Base URLs are the hosts' documented
 * OpenAI-compatible roots (each already ends where /chat/completions is appended).
 */
export const presets: Readonly<Record<string, Preset>> = {
  groq: { wire: "openai", baseUrl: "https://api.groq.com/openai/v1", apiKeyEnv: "GROQ_API_KEY", priceId: "groq" },
  together: { wire: "openai", baseUrl: "https://api.together.xyz/v1", apiKeyEnv: "TOGETHER_API_KEY", priceId: "together" },
  fireworks: { wire: "openai", baseUrl: "https://api.fireworks.ai/inference/v1", apiKeyEnv: "FIREWORKS_API_KEY", priceId: "fireworks" },
  deepseek: { wire: "openai", baseUrl: "https://api.deepseek.com/v1", apiKeyEnv: "DEEPSEEK_API_KEY", priceId: "deepseek" },
  mistral: { wire: "openai", baseUrl: "https://api.mistral.ai/v1", apiKeyEnv: "MISTRAL_API_KEY", priceId: "mistral" },
  xai: { wire: "openai", baseUrl: "https://api.x.ai/v1", apiKeyEnv: "XAI_API_KEY", priceId: "x-ai" },
  openrouter: { wire: "openai", baseUrl: "https://openrouter.ai/api/v1", apiKeyEnv: "OPENROUTER_API_KEY", priceId: "openrouter" },
  "gemini-openai": {
    wire: "openai",
    baseUrl: "https://generativelanguage.googleapis.com/v1beta/openai",
    apiKeyEnv: "GEMINI_API_KEY",
    priceId: "google",
  },
  vllm: { wire: "openai", baseUrl: "http://127.0.0.1:8000/v1" },
  ollama: { wire: "openai", baseUrl: "http://127.0.0.1:11434/v1" },
  lmstudio: { wire: "openai", baseUrl: "http://127.0.0.1:1234/v1" },
};

export function isPreset(name: string): boolean {
  return Object.hasOwn(presets, name);
}
