/**
 * What to advise a client that met a database outage: postgres.js gives up on a connect after 5 s, so a
 * retry sooner than that would mostly meet the same wait.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Socket errors of a database that cannot be reached or went away mid-query. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ECONNABORTED", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/**
 * SQLSTATEs that say the server cannot serve now, whatever the statement: 08 connection exception, 53
 * insufficient resources (too many connections, out of memory, disk full), 57P operator intervention
 * (shutdown, restart, cannot connect now) and 57014 query_canceled, which a statement time limit raises.
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P)[0-9A-Z]{3}$|^57014$/;

function unavailableHere(e: object): boolean {
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") {
    if (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)) return true;
    // postgres.js's own codes: CONNECTION_CLOSED / _ENDED / _DESTROYED, CONNECT_TIMEOUT.
    if (code.startsWith("CONNECTION_") || code === "CONNECT_TIMEOUT") return true;
    // RemotePGlite's DatabaseThreadExited: the thread that owns the embedded database has gone.
    if (code === "PGLITE_THREAD_EXITED") return true;
  }
  return false;
}

/**
 * Whether an error means the database is unreachable or cannot serve just now (answer 503 and ask for a
 * retry), as opposed to a fault in the statement or the data (a bug: 500). drizzle wraps driver errors
 * in its own, so the `cause` chain is followed, and a failed connect to several addresses arrives as an
 * AggregateError, so its `errors` are looked at too.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailableLink(error) !== null;
}

/**
 * The driver's own words for the outage ("connect ECONNREFUSED 127.0.0.1:5432"), for a log line: not
 * drizzle's wrapper, whose message carries the statement and its parameters. Null when it is no outage.
 */
export function databaseUnavailableReason(error: unknown): string | null {
  const link = unavailableLink(error);
  if (link === null) return null;
  const { code, message } = link as { code?: unknown; message?: unknown };
  return [typeof code === "string" ? code : null, typeof message === "string" ? message : null].filter(Boolean).join(": ");
}

function unavailableLink(error: unknown): object | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  // Bounded: a cause chain is a few links long; a cyclic or absurd one is not a database outage.
  while (queue.length > 0 && seen.size < 16) {
    const e = queue.shift();
    if (typeof e !== "object" || e === null || seen.has(e)) continue;
    seen.add(e);
    if (unavailableHere(e)) return e;
    queue.push((e as { cause?: unknown }).cause);
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) queue.push(...errors.slice(0, 8));
  }
  return null;
}
