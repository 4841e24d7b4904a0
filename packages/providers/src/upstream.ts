import type { IncomingHttpHeaders } from "node:http";
import { Pool, type Dispatcher } from "undici";
import type { Provider } from "./wire.ts";

export interface UpstreamOptions {
  openaiUrl: string;
  anthropicUrl: string;
  openaiKey?: string | undefined;
  anthropicKey?: string | undefined;
  /** Longest wait for the response head, and longest silence between body chunks. */
  timeoutMs: number;
  /** Keep-alive connections per upstream host. */
  connections: number;
}

interface Target {
  pool: Pool;
  basePath: string;
  apiKey: string | undefined;
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
  provider: Provider;
  /** Path under the provider's base URL, e.g. /chat/completions. */
  path: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: Buffer | undefined;
  signal?: AbortSignal | undefined;
}

function target(url: string, apiKey: string | undefined, options: UpstreamOptions): Target {
  const parsed = new URL(url);
  return {
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
  readonly #targets: Record<Provider, Target>;

  constructor(options: UpstreamOptions) {
    this.#targets = {
      openai: target(options.openaiUrl, options.openaiKey, options),
      anthropic: target(options.anthropicUrl, options.anthropicKey, options),
    };
  }

  apiKey(provider: Provider): string | undefined {
    return this.#targets[provider].apiKey;
  }

  request(req: UpstreamRequest): Promise<UpstreamResponse> {
    const t = this.#targets[req.provider];
    return t.pool.request({
      path: t.basePath + req.path,
      method: req.method,
      headers: req.headers,
      body: req.body ?? null,
      signal: req.signal ?? null,
    });
  }

  /**
   * The proxy's path: undici's dispatch API, so the response needs neither a promise nor a Readable per
   * call (both showed in the proxy's CPU profile), and backpressure is a pause/resume on the controller.
   */
  dispatch(req: UpstreamRequest, handler: UpstreamHandler): void {
    const t = this.#targets[req.provider];
    t.pool.dispatch(
      { path: t.basePath + req.path, method: req.method, headers: req.headers, body: req.body ?? null },
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
    await Promise.all([this.#targets.openai.pool.close(), this.#targets.anthropic.pool.close()]);
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
