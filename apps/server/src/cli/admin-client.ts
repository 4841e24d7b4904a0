import { config, UsageError, type CliContext } from "./context.ts";

/** An admin API answer that was not a success, with the server's own message. */
export class AdminApiError extends Error {
  override name = "AdminApiError";
  readonly status: number;
  readonly code: string | null;
  constructor(status: number, message: string, code: string | null) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export interface AdminClient {
  baseUrl: string;
  request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
}

/**
 * The running server's admin API. Commands that need the server's database go through it rather than
 * opening the database: the embedded one (PGlite) belongs to the one process that serves it.
 */
export function adminClient(ctx: CliContext, url: string | undefined): AdminClient {
  const c = config(ctx);
  const token = c.env.PROOFGATE_ADMIN_TOKEN;
  if (!token) throw new UsageError("PROOFGATE_ADMIN_TOKEN is not set: the admin API of the running server needs it.");
  const host = c.env.HOST === "0.0.0.0" || c.env.HOST === "::" ? "127.0.0.1" : c.env.HOST;
  const baseUrl = (url ?? `http://${host.includes(":") ? `[${host}]` : host}:${c.env.PORT}`).replace(/\/+$/, "");
  return {
    baseUrl,
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/api${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        throw new Error(`no proofgate server answered at ${baseUrl} (${(error as Error).message}); start one with \`pnpm start\`, or pass --url`, { cause: error });
      }
      const text = await response.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON: not a proofgate admin API; the status says enough.
      }
      if (!response.ok) {
        const error = (parsed as { error?: { message?: string; code?: string } } | null)?.error;
        throw new AdminApiError(response.status, error?.message ?? `${method} ${path} answered ${response.status}`, error?.code ?? null);
      }
      return parsed as T;
    },
  };
}
