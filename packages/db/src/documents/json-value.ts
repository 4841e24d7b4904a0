/**
 * Any JSON value. The provider formats proofgate stores as sent (captures.request, .response, .tool_calls,
 * replays.response) are not documents of proofgate's own: they carry no version, and only the wire
 * readers in packages/providers interpret them.
 *
 * Nor are the lists of identifiers and frozen settings (calibration_batches.captures and .models,
 * calibrations.candidates and .margins): their shape is part of the SQL that reads them (`@>`,
 * `jsonb_array_length`, `jsonb_array_elements`), so changing one is a migration, not a document version.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
