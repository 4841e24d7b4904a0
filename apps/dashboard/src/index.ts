export { createDashboard } from "./app.ts";
export { createSignInLink, DEFAULT_LINK_TTL_MS, type SignInLinkOptions } from "./auth/sign-in-link.ts";
export { SESSION_COOKIE, DEFAULT_SESSION_TTL_MS } from "./auth/session.ts";
export type { DashboardDeps } from "./env.ts";
