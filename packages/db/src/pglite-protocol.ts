/** Messages between the main thread and the thread that owns the embedded database. */

export type Request =
  | { id: number; op: "open"; dataDir: string }
  | { id: number; op: "query"; sql: string; params: unknown[]; rowMode: "array" | "object"; rawTypes: number[]; tx: number | null }
  | { id: number; op: "begin" }
  | { id: number; op: "end"; tx: number; commit: boolean }
  | { id: number; op: "close" };

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

/** A database error as plain data: message plus the fields callers classify on (code, detail, ...). */
export interface SerializedError {
  name: string;
  message: string;
  fields: Record<string, unknown>;
}

const ERROR_FIELDS = ["code", "severity", "detail", "hint", "position", "schema", "table", "column", "constraint", "routine"];

export function serializeError(error: unknown): SerializedError {
  const e = error as Record<string, unknown> | null;
  const fields: Record<string, unknown> = {};
  for (const key of ERROR_FIELDS) if (e && e[key] !== undefined) fields[key] = e[key];
  return { name: String(e?.name ?? "Error"), message: String(e?.message ?? error), fields };
}

export function reviveError(s: SerializedError): Error {
  const error = new Error(s.message) as Error & Record<string, unknown>;
  error.name = s.name;
  Object.assign(error, s.fields);
  return error;
}
