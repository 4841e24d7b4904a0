/**
 * Whether a database error is about the connection or the server's state (retry later) rather than
 * about the data (retrying the same rows would fail forever). drizzle wraps driver errors, so the
 * cause chain is searched for a SQLSTATE.
 */
export function isTransientDbError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
      // 22: data exception (bad json, \u0000 in text), 23: integrity, 54: program limit (row too big),
      // 42: a statement the data made invalid. Everything else (08 connection, 53 resources, 57 shutdown,
      // 40 serialization/deadlock, 25/55 state) may pass on a retry.
      return !/^(22|23|54|42)/.test(code);
    }
  }
  return true;
}
