import { LIMITS, type Node, type Offender, type SourceFile } from "./types.ts";

const FUNCTIONS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);
// Expressions that wrap a function without changing what it is bound to: `const f = (() => {}) as Handler`.
const WRAPPERS = new Set(["TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression", "TSTypeAssertion", "ParenthesizedExpression"]);
const MEMBERS = new Set(["MethodDefinition", "TSAbstractMethodDefinition", "PropertyDefinition", "Property"]);

function keyName(key: unknown): string {
  const node = key as Node | undefined;
  if (node?.type === "Identifier") return String(node["name"]);
  if (node?.type === "PrivateIdentifier") return `#${String(node["name"])}`;
  if (node?.type === "Literal") return String(node["value"]);
  return "[computed]";
}

function targetName(target: Node): string {
  if (target.type === "Identifier") return String(target["name"]);
  if (target.type === "MemberExpression") return keyName(target["property"]);
  return "[pattern]";
}

/**
 * The name a function is bound to, or null for an anonymous callback. Only bound functions are held to the
 * limit: a callback's length is its caller's business, and the caller is measured too.
 */
export function boundName(fn: Node, parents: Map<Node, Node>): string | null {
  const own = fn["id"] as Node | null | undefined;
  if (own?.type === "Identifier") return String(own["name"]);
  let child = fn;
  let parent = parents.get(fn);
  while (parent && WRAPPERS.has(parent.type) && parent["expression"] === child) {
    child = parent;
    parent = parents.get(parent);
  }
  if (!parent) return null;
  if (parent.type === "VariableDeclarator" && parent["init"] === child) return targetName(parent["id"] as Node);
  if (MEMBERS.has(parent.type) && parent["value"] === child) return keyName(parent["key"]);
  if (parent.type === "AssignmentExpression" && parent["right"] === child) return targetName(parent["left"] as Node);
  if (parent.type === "ExportDefaultDeclaration") return "default";
  return null;
}

export function checkFunctionLengths(file: SourceFile): Offender[] {
  const found: Offender[] = [];
  for (const node of file.nodes) {
    if (!FUNCTIONS.has(node.type)) continue;
    const name = boundName(node, file.parents);
    if (name === null) continue;
    const first = file.lineOf(node.start);
    const lines = file.lineOf(node.end) - first + 1;
    if (lines <= LIMITS.functionLines) continue;
    found.push({
      rule: "function-length",
      file: file.rel,
      line: first,
      reason: `function ${name} is ${lines} lines (limit ${LIMITS.functionLines})`,
    });
  }
  return found;
}

export function checkFileLength(file: SourceFile): Offender[] {
  if (file.lineCount <= LIMITS.fileLines) return [];
  return [{ rule: "file-length", file: file.rel, line: 1, reason: `${file.lineCount} lines (limit ${LIMITS.fileLines})` }];
}
