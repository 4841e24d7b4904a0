/** Any JSON value: what a provider's body, as sent or as stored, may hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A parsed JSON object whose fields are still to be checked by whoever reads them. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** The message of a provider error body ({"error":{"message"}} in both formats). */
export function errorMessage(body: unknown): string | null {
  if (!isObject(body)) return null;
  const error = body["error"];
  if (isObject(error) && typeof error["message"] === "string") return error["message"];
  if (typeof error === "string") return error;
  return null;
}
