import type { IncomingHttpHeaders } from "node:http";
import { Pool, type Dispatcher } from "undici";
import { ProviderRegistry, type ModelEntry, type ProviderSpec } from "./provider-registry.ts";

export interface UpstreamOptions {
  openaiUrl: string;
  anthropicUrl: string;
  openaiKey?: string | undefined;
  anthropicKey?: string | undefined;
  /** Named upstreams beyond the two built in (config `providers` over the presets). */
  providers?: readonly ProviderSpec[] | undefined;
  /** The config's models table, which maps requested models onto providers. */
  models?: Readonly<Record<string, ModelEntry | undefined>> | undefined;
  /** Longest wait for the response head, and longest silence between body chunks. */
  timeoutMs: number;
  /** Keep-alive connections per upstream host. */
  connections: number;
}

interface Target {
  pool: Pool;
  basePath: string;
  apiKey: string | undefined;
  /** The provider's configured headers, under the call's own. */
  headers?: Readonly<Record<string, string>> | undefined;
}

export type UpstreamResponse = Dispatcher.ResponseData;

/** Lets the caller pause, resume or cancel a dispatched call. */
export type UpstreamControl = Dispatcher.DispatchController;

/**
 * Callbacks for a streamed call. Each body chunk is handed over as undici parsed it, with no stream object
 * in between; onError comes at most once, instead of onEnd, before or after the head.
 */
export interface UpstreamHandler {
  onStart(control: UpstreamControl): void;
  onHead(status: number, headers: IncomingHttpHeaders, control: UpstreamControl): void;
  onChunk(chunk: Buffer, control: UpstreamControl): void;
  onEnd(): void;
  onError(error: Error): void;
}

export interface UpstreamRequest {
  /** A registry name: "openai", "anthropic", or a configured or preset provider. */
  provider: string;
  /** Path under the provider's base URL, e.g. /chat/completions. */
  path: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: Buffer | undefined;
  signal?: AbortSignal | undefined;
}

function target(url: string, apiKey: string | undefined, options: UpstreamOptions, headers?: Readonly<Record<string, string>>): Target {
  const parsed = new URL(url);
  return {
    headers,
    pool: new Pool(parsed.origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    }),
    basePath: parsed.pathname.replace(/\/+$/, ""),
    apiKey,
  };
}

/**
 * One keep-alive pool per upstream host, made from server config only: the client never chooses the host
 * or the key. undici's request API rather than fetch, which costs several times more per call.
 */
export class Upstreams {
  // The two built in stay fields: today's routes look them up with no map in between.
  readonly #openai: Target;
  readonly #anthropic: Target;
  /** One pool per other provider, made on its first call: most presets are never used. */
  readonly #others = new Map<string, Target>();
  readonly #options: UpstreamOptions;
  readonly registry: ProviderRegistry;

  constructor(options: UpstreamOptions) {
    this.#options = options;
    this.#openai = target(options.openaiUrl, options.openaiKey, options);
    this.#anthropic = target(options.anthropicUrl, options.anthropicKey, options);
    const builtIn: ProviderSpec[] = [
      { name: "openai", wire: "openai", baseUrl: options.openaiUrl, apiKey: options.openaiKey, priceId: "openai" },
      { name: "anthropic", wire: "anthropic", baseUrl: options.anthropicUrl, apiKey: options.anthropicKey, priceId: "anthropic" },
    ];
    const others = (options.providers ?? []).filter((p) => p.name !== "openai" && p.name !== "anthropic");
    this.registry = new ProviderRegistry([...builtIn, ...others], options.models);
  }

  #target(provider: string): Target {
    if (provider === "openai") return this.#openai;
    if (provider === "anthropic") return this.#anthropic;
    let t = this.#others.get(provider);
    if (!t) {
      const spec = this.registry.get(provider);
      if (!spec) throw new Error(`no upstream provider named "${provider}"`);
      t = target(spec.baseUrl, spec.apiKey, this.#options, spec.headers);
      this.#others.set(provider, t);
    }
    return t;
  }

  apiKey(provider: string): string | undefined {
    if (provider === "openai") return this.#openai.apiKey;
    if (provider === "anthropic") return this.#anthropic.apiKey;
    return this.registry.get(provider)?.apiKey;
  }

  #headers(t: Target, headers: Record<string, string>): Record<string, string> {
    return t.headers ? { ...t.headers, ...headers } : headers;
  }

  request(req: UpstreamRequest): Promise<UpstreamResponse> {
    const t = this.#target(req.provider);
    return t.pool.request({
      path: t.basePath + req.path,
      method: req.method,
      headers: this.#headers(t, req.headers),
      body: req.body ?? null,
      signal: req.signal ?? null,
    });
  }

  /**
   * The proxy's path: undici's dispatch API, so the response needs neither a promise nor a Readable per
   * call (both showed in the proxy's CPU profile), and backpressure is a pause/resume on the controller.
   */
  dispatch(req: UpstreamRequest, handler: UpstreamHandler): void {
    const t = this.#target(req.provider);
    t.pool.dispatch(
      { path: t.basePath + req.path, method: req.method, headers: this.#headers(t, req.headers), body: req.body ?? null },
      {
        onRequestStart: (control) => handler.onStart(control),
        onResponseStart: (control, status, headers) => handler.onHead(status, headers, control),
        onResponseData: (control, chunk) => handler.onChunk(chunk, control),
        onResponseEnd: () => handler.onEnd(),
        onResponseError: (_control, error) => handler.onError(error),
      },
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.#openai.pool.close(), this.#anthropic.pool.close(), ...[...this.#others.values()].map((t) => t.pool.close())]);
  }
}

/** The reason a call is cancelled with when its client has gone; classifyUpstreamError reads the class. */
export class UpstreamCancelled extends Error {
  readonly code = "client_gone";
}

/** How an upstream call failed before a response arrived: unreachable (502) or too slow (504). */
export function classifyUpstreamError(error: unknown): "timeout" | "unreachable" | "aborted" {
  if (error instanceof UpstreamCancelled || (error instanceof DOMException && error.code === DOMException.ABORT_ERR)) return "aborted";
  const code = (error as { code?: string } | null)?.code;
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT") {
    return "timeout";
  }
  if (code === "UND_ERR_ABORTED") return "aborted";
  return "unreachable";
}
