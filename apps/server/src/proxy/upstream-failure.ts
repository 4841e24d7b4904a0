import type { Provider } from "@proofgate/providers";
import { HttpError } from "../http/errors.ts";

const providerName = { openai: "OpenAI", anthropic: "Anthropic" } as const satisfies Record<Provider, string>;

/** Upstream failure before any response: 504 when it was too slow, 502 when it could not be reached. */
export function upstreamFailure(provider: Provider, kind: "timeout" | "unreachable", error: unknown, timeoutMs: number, registryName?: string) {
  const name = registryName && registryName !== provider ? registryName : providerName[provider];
  if (kind === "timeout") {
    return new HttpError("gateway_timeout", `The ${name} upstream did not answer within ${timeoutMs} ms.`, {
      code: "upstream_timeout",
    });
  }
  const reason = (error as { code?: string } | null)?.code ?? (error as Error | null)?.message ?? "unknown error";
  return new HttpError("bad_gateway", `The ${name} upstream could not be reached (${reason}).`, {
    code: "upstream_unreachable",
  });
}
