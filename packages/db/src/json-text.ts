/**
 * JSON text of any value, however deeply nested, without recursion. Stored captures are whatever clients
 * sent, and rows from before the ingress nesting limit may be 10,000 levels deep: JSON.stringify recurses
 * and throws a RangeError on them. No well-kept library writes JSON iteratively with a size budget (the
 * safe-stringify ones recurse too, and none stops early), so this one is written out; with no options its
 * output is JSON.stringify's.
 */

export interface JsonTextOptions {
  /** Spaces per level; 0 writes compact JSON. */
  indent?: number;
  /** Stop after this many characters: the text is cut there and `truncated` is set. */
  maxChars?: number;
  /** Containers at this depth are written as `[…]` or `{…}` (for display: the text is then not JSON). */
  maxDepth?: number;
}

export interface JsonTextResult {
  text: string;
  /** Cut at maxChars. */
  truncated: boolean;
  /** Some container was written as `[…]` or `{…}`. */
  elided: boolean;
}

interface Frame {
  container: object;
  /** Own enumerable keys of an object; null for an array. */
  keys: string[] | null;
  length: number;
  index: number;
  wrote: boolean;
  depth: number;
}

/** What JSON.stringify would write for a value: toJSON applied and boxed primitives unwrapped. */
function resolve(value: unknown, key: string): unknown {
  let v = value;
  if (typeof v === "object" && v !== null && typeof (v as { toJSON?: unknown }).toJSON === "function") {
    v = (v as { toJSON(key: string): unknown }).toJSON(key);
  }
  if (v instanceof Number) return Number(v);
  if (v instanceof String) return String(v);
  if (v instanceof Boolean) return v.valueOf();
  return v;
}

/** Whether a resolved value writes anything: undefined, functions and symbols are left out (null in arrays). */
function writable(v: unknown): boolean {
  return v === null || (typeof v !== "undefined" && typeof v !== "function" && typeof v !== "symbol");
}

export function jsonText(value: unknown, options: JsonTextOptions = {}): JsonTextResult {
  const indent = options.indent ?? 0;
  const maxChars = options.maxChars ?? Number.POSITIVE_INFINITY;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const parts: string[] = [];
  let size = 0;
  let elided = false;
  const stack: Frame[] = [];
  const open = new Set<object>();
  const pads: string[] = [];
  const newline = (depth: number) => (indent === 0 ? "" : (pads[depth] ??= `\n${" ".repeat(indent * depth)}`));
  const push = (s: string) => {
    parts.push(s);
    size += s.length;
  };
  // A long string is cut before it is quoted, so a 30 MB field costs no more than the budget.
  const quote = (s: string) => JSON.stringify(s.length > maxChars - size + 1 ? s.slice(0, Math.max(maxChars - size + 1, 0)) : s);

  /** Writes a resolved, writable value; a container is opened and its frame pushed. */
  const write = (v: unknown, depth: number) => {
    switch (typeof v) {
      case "string":
        return push(quote(v));
      case "number":
        return push(Number.isFinite(v) ? String(v) : "null");
      case "boolean":
        return push(v ? "true" : "false");
      case "bigint":
        throw new TypeError("Do not know how to serialize a BigInt");
    }
    if (v === null) return push("null");
    const container = v as object;
    const isArray = Array.isArray(container);
    if (depth >= maxDepth) {
      elided = true;
      return push(isArray ? "[…]" : "{…}");
    }
    if (open.has(container)) throw new TypeError("Converting circular structure to JSON");
    open.add(container);
    const keys = isArray ? null : Object.keys(container);
    push(isArray ? "[" : "{");
    stack.push({ container, keys, length: keys ? keys.length : (container as unknown[]).length, index: 0, wrote: false, depth: depth + 1 });
  };

  const top = resolve(value, "");
  write(writable(top) ? top : null, 0);
  while (stack.length > 0 && size <= maxChars) {
    const f = stack[stack.length - 1]!;
    if (f.index >= f.length) {
      stack.pop();
      open.delete(f.container);
      push(`${f.wrote ? newline(f.depth - 1) : ""}${f.keys ? "}" : "]"}`);
      continue;
    }
    const i = f.index++;
    const key = f.keys ? f.keys[i]! : String(i);
    const v = resolve((f.container as Record<string, unknown>)[key], key);
    const separator = `${f.wrote ? "," : ""}${newline(f.depth)}`;
    if (f.keys) {
      if (!writable(v)) continue;
      push(`${separator}${quote(key)}${indent === 0 ? ":" : ": "}`);
    } else {
      push(separator);
    }
    f.wrote = true;
    write(writable(v) ? v : null, f.depth);
  }
  const truncated = stack.length > 0 || size > maxChars;
  const text = parts.join("");
  return { text: truncated ? text.slice(0, maxChars) : text, truncated, elided };
}
