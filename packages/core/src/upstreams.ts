import type { Config } from "@proofgate/config";
import { Upstreams } from "@proofgate/providers";

/** Upstream pools from the server's configuration: the only source of upstream hosts and keys. */
export function upstreamsFromConfig(config: Config): Upstreams {
  return new Upstreams({
    openaiUrl: config.env.OPENAI_UPSTREAM_URL,
    anthropicUrl: config.env.ANTHROPIC_UPSTREAM_URL,
    openaiKey: config.env.OPENAI_API_KEY,
    anthropicKey: config.env.ANTHROPIC_API_KEY,
    timeoutMs: config.file.upstream.timeoutMs,
    connections: config.file.upstream.connections,
  });
}
