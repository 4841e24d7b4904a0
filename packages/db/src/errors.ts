/**
 * Whether a database error is about the connection or the server's state (retry later) rather than
 * about the data (retrying the same rows would fail forever). drizzle wraps driver errors, so the
 * cause chain is searched for a SQLSTATE. A JavaScript error of the language's own kinds (RangeError,
 * TypeError, ...) with no code is a bug or bad data on this side, never a passing condition: retrying it
 * would fail the same way forever.
 */
export function isTransientDbError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
      // 22: data exception (bad json, \u0000 in text), 23: integrity, 54: program limit (row too big,
      // stack depth), 42: a statement the data made invalid. Everything else (08 connection, 53
      // resources, 57 shutdown or cancelled, 40 serialization/deadlock, 25/55 state) may pass on a retry.
      return !/^(22|23|54|42)/.test(code);
    }
    if (code === undefined && isLanguageError(e)) return false;
  }
  return true;
}

const LANGUAGE_ERRORS = new Set(["RangeError", "TypeError", "SyntaxError", "ReferenceError"]);

/** By name too: an error from the embedded database's thread arrives as a plain Error carrying its name. */
function isLanguageError(e: unknown): boolean {
  return e instanceof Error && LANGUAGE_ERRORS.has(e.name);
}

/**
 * Postgres's unique_violation (SQLSTATE 23505), through whatever wrapping the driver and drizzle add: a
 * conflict detected by its code, never by the words of its message.
 */
export function isUniqueViolation(error: unknown): boolean {
  // Bounded, like the other walks of a cause chain: a cyclic one is no unique violation.
  for (let e: unknown = error, depth = 0; e !== null && typeof e === "object" && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/** RemotePGlite's rejection once the thread that owns the embedded database has gone. */
export class DatabaseThreadExited extends Error {
  readonly code = "PGLITE_THREAD_EXITED";

  constructor(exitCode: number) {
    super(`the embedded database thread exited (${exitCode})`);
    this.name = "DatabaseThreadExited";
  }
}
