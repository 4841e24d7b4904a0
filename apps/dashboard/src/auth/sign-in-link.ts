import { randomId, Signer } from "./tokens.ts";

export const DEFAULT_LINK_TTL_MS = 10 * 60 * 1000;

export interface SignInLinkOptions {
  adminToken: string;
  /** Where the dashboard is served, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  ttlMs?: number;
  now?: number;
}

/**
 * A one-time sign-in link, for `pnpm demo` to print: opening it starts a dashboard session without typing
 * the token. The dashboard accepts each link once (per server process) and only within its lifetime, so a
 * link left in a terminal's scrollback soon stops working.
 */
export function createSignInLink(options: SignInLinkOptions): string {
  const now = options.now ?? Date.now();
  const token = new Signer(options.adminToken).sign({
    kind: "link",
    nonce: randomId(),
    exp: now + (options.ttlMs ?? DEFAULT_LINK_TTL_MS),
  });
  const url = new URL("/sign-in/link", options.baseUrl);
  url.searchParams.set("token", token);
  return url.toString();
}
