import type { Node, Offender, SourceFile } from "./types.ts";

// An error is recognised by its class (`instanceof`) or a typed code, never by its name or message text.
const ERRORISH = /^(?:e|err|error|cause|reason|ex|exc|exception|failure)$|(?:Error|Err|Exception)$/;
const ERROR_NAME = /(?:Error|Exception)$/;
const EQUALITY = new Set(["===", "!==", "==", "!="]);
const TEXT_METHODS = new Set(["includes", "startsWith", "endsWith", "match", "indexOf", "search"]);
const MESSAGE_VARIABLE = /^(?:message|msg|errorMessage|errMessage)$/;

function unwrap(node: Node): Node {
  let inner = node;
  while (["TSAsExpression", "TSNonNullExpression", "ChainExpression", "TSTypeAssertion"].includes(inner.type)) inner = inner["expression"] as Node;
  return inner;
}

function propertyName(member: Node): string | null {
  const property = member["property"] as Node;
  if (!member["computed"] && property.type === "Identifier") return String(property["name"]);
  if (property.type === "Literal" && typeof property["value"] === "string") return property["value"];
  return null;
}

/** `err`, `error`, `cause`, `fooError`, or anything cast to an Error type (`(x as Error).name`). */
function isErrorish(node: Node): boolean {
  if (node.type === "Identifier") return ERRORISH.test(String(node["name"]));
  if (node.type === "TSAsExpression") return /Error/.test(JSON.stringify(node["typeAnnotation"]));
  const inner = unwrap(node);
  if (inner !== node) return isErrorish(node["expression"] as Node);
  if (inner.type === "MemberExpression") return ERRORISH.test(propertyName(inner) ?? "");
  return false;
}

function isText(node: Node): boolean {
  return (node.type === "Literal" && typeof node["value"] === "string") || node.type === "TemplateLiteral";
}

/** `err.message`, `message`, `String(err)`: the text of an error. */
function isMessage(node: Node): boolean {
  const inner = unwrap(node);
  if (inner.type === "Identifier") return MESSAGE_VARIABLE.test(String(inner["name"]));
  if (inner.type === "MemberExpression") return propertyName(inner) === "message";
  if (inner.type === "CallExpression") {
    const callee = inner["callee"] as Node;
    const arg = (inner["arguments"] as Node[])[0];
    return callee.type === "Identifier" && callee["name"] === "String" && arg !== undefined && isErrorish(arg);
  }
  return false;
}

function isErrorName(node: Node, other: Node): boolean {
  const inner = unwrap(node);
  if (inner.type !== "MemberExpression" || propertyName(inner) !== "name" || !isText(other)) return false;
  const literal = other.type === "Literal" ? String(other["value"]) : "";
  return isErrorish(inner["object"] as Node) || ERROR_NAME.test(literal);
}

function comparison(node: Node): string | null {
  if (node.type !== "BinaryExpression" || !EQUALITY.has(String(node["operator"]))) return null;
  const [left, right] = [node["left"] as Node, node["right"] as Node];
  if (isErrorName(left, right) || isErrorName(right, left)) return "error matched by its name";
  if ((isMessage(left) && isText(right)) || (isMessage(right) && isText(left))) return "error matched by its message text";
  return null;
}

function textCall(node: Node): string | null {
  if (node.type !== "CallExpression") return null;
  const callee = unwrap(node["callee"] as Node);
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  const object = unwrap(callee["object"] as Node);
  const args = node["arguments"] as Node[];
  if (method !== null && TEXT_METHODS.has(method) && isMessage(object)) return `error matched by its message text (.${method})`;
  const isPattern = (object.type === "Literal" && "regex" in object) || object.type === "Identifier" || object.type === "NewExpression";
  if (method === "test" && isPattern && args[0] !== undefined && isMessage(args[0])) return "error matched by its message text (regex)";
  return null;
}

export function checkErrorMatching(file: SourceFile): Offender[] {
  const found: Offender[] = [];
  for (const node of file.nodes) {
    const reason = comparison(node) ?? textCall(node);
    if (reason === null) continue;
    const text = file.text.slice(node.start, node.end).replace(/\s+/g, " ");
    found.push({ rule: "error-match", file: file.rel, line: file.lineOf(node.start), reason: `${reason}: \`${text.slice(0, 70)}\`` });
  }
  return found;
}
