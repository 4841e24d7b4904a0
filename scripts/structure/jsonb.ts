import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseFile } from "./source.ts";
import type { Node, Offender, SourceFile, Workspace } from "./types.ts";

const SCHEMA_DIR = ["packages", "db", "src", "schema"];

/** The call at the end of a chain such as `jsonb("x").$type<T>().notNull()`: the value bound to the column's key. */
function chainEnd(call: Node, parents: Map<Node, Node>): Node {
  let node = call;
  for (let parent = parents.get(node); parent; parent = parents.get(node)) {
    const continues =
      (parent.type === "MemberExpression" && parent["object"] === node) || (parent.type === "CallExpression" && parent["callee"] === node);
    if (!continues) break;
    node = parent;
  }
  return node;
}

/**
 * Names of the jsonb columns declared in packages/db/src/schema, as drizzle rows carry them (`toolCalls`).
 * The SQL names (`tool_calls`) are left out: only packages/db reads raw rows, and the wire formats reuse
 * those names for fields that are not stored documents.
 */
export function jsonbColumns(root: string, workspace: Workspace): Set<string> {
  const dir = join(root, ...SCHEMA_DIR);
  const names = new Set<string>();
  if (!existsSync(dir)) return names;
  for (const entry of readdirSync(dir).filter((name) => name.endsWith(".ts"))) {
    const file = parseFile(root, join(dir, entry), workspace);
    for (const node of file.nodes) {
      const callee = node["callee"] as Node | undefined;
      if (node.type !== "CallExpression" || callee?.type !== "Identifier" || callee["name"] !== "jsonb") continue;
      const holder = file.parents.get(chainEnd(node, file.parents));
      const key = holder?.type === "Property" ? (holder["key"] as Node) : null;
      if (key?.type === "Identifier") names.add(String(key["name"]));
    }
  }
  return names;
}

const TRANSPARENT = new Set(["TSNonNullExpression", "ChainExpression", "ParenthesizedExpression"]);

function unwrap(node: Node): Node {
  let inner = node;
  while (TRANSPARENT.has(inner.type)) inner = inner["expression"] as Node;
  return inner;
}

function readName(member: Node): string | null {
  const property = member["property"] as Node;
  if (!member["computed"] && property.type === "Identifier") return String(property["name"]);
  if (property.type === "Literal" && typeof property["value"] === "string") return property["value"];
  return null;
}

function isConst(type: Node): boolean {
  const name = type["typeName"] as Node | undefined;
  return type.type === "TSTypeReference" && name?.type === "Identifier" && name["name"] === "const";
}

const clip = (text: string): string => {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > 70 ? `${flat.slice(0, 67)}...` : flat;
};

/** `row.report as Report`: a stored document read without its schema. */
export function checkJsonbCasts(file: SourceFile, columns: Set<string>): Offender[] {
  const found: Offender[] = [];
  if (columns.size === 0) return found;
  for (const node of file.nodes) {
    if (node.type !== "TSAsExpression" && node.type !== "TSTypeAssertion") continue;
    if (isConst(node["typeAnnotation"] as Node)) continue;
    const inner = unwrap(node["expression"] as Node);
    if (inner.type !== "MemberExpression") continue;
    const column = readName(inner);
    if (column === null || !columns.has(column)) continue;
    found.push({
      rule: "jsonb-cast",
      file: file.rel,
      line: file.lineOf(node.start),
      reason: `\`${clip(file.text.slice(node.start, node.end))}\` casts jsonb column "${column}": read it through its schema`,
    });
  }
  return found;
}
