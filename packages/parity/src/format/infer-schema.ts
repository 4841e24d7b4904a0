/**
 * Infers a JSON Schema from sample values. A node accumulates what every sample showed at one position;
 * the schema keeps only what held in all of them (types, required keys) so that the baseline's own outputs
 * pass it, and adds enums where strings clearly come from a small closed set.
 */
export type JsonSchema = { [key: string]: unknown };

type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "object" | "array";

interface ShapeNode {
  seen: number;
  types: Set<JsonType>;
  objects: number;
  properties: Map<string, ShapeNode>;
  items: ShapeNode | undefined;
  strings: Map<string, number>;
}

/** Strings become an enum only with few distinct values, each seen often enough to be a real category. */
export const ENUM_MAX_VALUES = 8;
export const ENUM_MIN_SAMPLES_PER_VALUE = 2;
export const ENUM_MAX_LENGTH = 40;

function emptyNode(): ShapeNode {
  return { seen: 0, types: new Set(), objects: 0, properties: new Map(), items: undefined, strings: new Map() };
}

function typeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as JsonType;
}

function observe(node: ShapeNode, value: unknown): void {
  node.seen++;
  const type = typeOf(value);
  node.types.add(type);
  if (type === "string") {
    const s = value as string;
    // Cap the tally: once a field shows many distinct strings it is free text and will get no enum.
    if (node.strings.size <= ENUM_MAX_VALUES || node.strings.has(s)) node.strings.set(s, (node.strings.get(s) ?? 0) + 1);
  } else if (type === "object") {
    node.objects++;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      let childNode = node.properties.get(key);
      if (!childNode) node.properties.set(key, (childNode = emptyNode()));
      observe(childNode, child);
    }
  } else if (type === "array") {
    for (const element of value as unknown[]) {
      node.items ??= emptyNode();
      observe(node.items, element);
    }
  }
}

function isEnumLike(node: ShapeNode): boolean {
  const values = [...node.strings.entries()];
  if (values.length === 0 || values.length > ENUM_MAX_VALUES) return false;
  if (values.some(([s]) => s.length > ENUM_MAX_LENGTH)) return false;
  return values.every(([, count]) => count >= ENUM_MIN_SAMPLES_PER_VALUE);
}

function toSchema(node: ShapeNode): JsonSchema {
  const types = new Set(node.types);
  if (types.has("integer") && types.has("number")) types.delete("integer");
  const typeList = [...types].sort();
  const schema: JsonSchema = { type: typeList.length === 1 ? typeList[0] : typeList };
  if (types.has("string") && types.size <= 2 && isEnumLike(node)) {
    const values: (string | null)[] = [...node.strings.keys()].sort();
    if (types.has("null")) values.push(null);
    if (types.size === 1 || types.has("null")) schema.enum = values;
  }
  if (types.has("object")) {
    const keys = [...node.properties.keys()].sort();
    schema.properties = Object.fromEntries(keys.map((k) => [k, toSchema(node.properties.get(k) as ShapeNode)]));
    const required = keys.filter((k) => (node.properties.get(k) as ShapeNode).seen === node.objects);
    if (required.length > 0) schema.required = required;
  }
  if (types.has("array") && node.items) schema.items = toSchema(node.items);
  return schema;
}

export function inferJsonSchema(values: readonly unknown[]): JsonSchema {
  const root = emptyNode();
  for (const value of values) observe(root, value);
  return toSchema(root);
}

/** Plain-words description of each constraint, for the report and the dashboard. */
export function describeSchema(schema: JsonSchema, path = "$"): string[] {
  const lines: string[] = [];
  const type = Array.isArray(schema.type) ? (schema.type as string[]).join(" or ") : String(schema.type);
  if (Array.isArray(schema.enum)) {
    lines.push(`${path} is one of ${(schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`);
  } else {
    lines.push(`${path} is ${type}`);
  }
  if (Array.isArray(schema.required) && schema.required.length > 0) {
    lines.push(`${path} always has ${(schema.required as string[]).join(", ")} (present in every baseline sample)`);
  }
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, child] of Object.entries(properties)) lines.push(...describeSchema(child, `${path}.${key}`));
  if (schema.items) lines.push(...describeSchema(schema.items as JsonSchema, `${path}[]`));
  return lines;
}
