import postgres from "postgres";
import { ROUTES_CHANNEL } from "./queries/routes.ts";

export interface RouteListener {
  close(): Promise<void>;
}

/**
 * Calls onChange with the prompt id of every route change committed by any process on this Postgres.
 * A dedicated connection, since LISTEN holds it; postgres.js re-listens by itself after a reconnect and
 * onListen then fires again, which is when a caller should reload everything it may have missed.
 */
export async function listenRouteChanges(
  databaseUrl: string,
  onChange: (promptId: string) => void,
  onListen: () => void = () => {},
): Promise<RouteListener> {
  const sql = postgres(databaseUrl, { max: 1, connect_timeout: 5, fetch_types: false, onnotice: () => {} });
  await sql.listen(ROUTES_CHANNEL, onChange, onListen);
  return { close: () => sql.end({ timeout: 2 }) };
}
