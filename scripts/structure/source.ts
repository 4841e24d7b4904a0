import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseSync, visitorKeys } from "oxc-parser";
import type { Node, SourceFile, Workspace } from "./types.ts";

const CODE = /\.(?:[cm]?ts|tsx|[cm]?js)$/;
// Tests, benches and fixtures are not product source: they may be long and cast freely.
const NOT_SOURCE_DIR = new Set(["test", "tests", "__tests__", "bench", "benches", "fixtures", "node_modules"]);
const NOT_SOURCE_FILE = /\.(?:test|spec|bench)\.[cm]?[jt]sx?$|\.d\.[cm]?ts$/;

/** apps/* and packages/* folders that carry a package.json. */
export function findWorkspaces(root: string): Workspace[] {
  const found: Workspace[] = [];
  for (const layer of ["apps", "packages"] as const) {
    const base = join(root, layer);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      const manifest = join(base, entry.name, "package.json");
      if (!entry.isDirectory() || !existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown; exports?: unknown };
      const name = typeof pkg.name === "string" ? pkg.name : `${layer}/${entry.name}`;
      found.push({ name, layer, short: entry.name, dir: join(base, entry.name), exports: pkg.exports });
    }
  }
  return found;
}

/** The product source of a workspace: code under src/, less tests, benches and fixtures. */
export function sourcePaths(workspace: Workspace): string[] {
  const src = join(workspace.dir, "src");
  if (!existsSync(src)) return [];
  const paths: string[] = [];
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !CODE.test(entry.name) || NOT_SOURCE_FILE.test(entry.name)) continue;
    const abs = join(entry.parentPath, entry.name);
    if (
      relative(src, abs)
        .split(sep)
        .some((part) => NOT_SOURCE_DIR.has(part))
    )
      continue;
    paths.push(abs);
  }
  return paths.sort();
}

export function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join("/");
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** Lines as an editor counts them: a final newline does not open another line. */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  const newlines = lineStarts(text).length - 1;
  return text.endsWith("\n") ? newlines : newlines + 1;
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** Every node below the root with its parent, walked with oxc's own visitor keys. */
function collect(program: Node): { nodes: Node[]; parents: Map<Node, Node> } {
  const nodes: Node[] = [];
  const parents = new Map<Node, Node>();
  const stack: Node[] = [program];
  for (let node = stack.pop(); node; node = stack.pop()) {
    nodes.push(node);
    for (const key of visitorKeys[node.type] ?? []) {
      const value = node[key];
      for (const child of Array.isArray(value) ? value : [value]) {
        if (!isNode(child)) continue;
        parents.set(child, node);
        stack.push(child);
      }
    }
  }
  return { nodes, parents };
}

export function parseFile(root: string, abs: string, workspace: Workspace): SourceFile {
  const text = readFileSync(abs, "utf8");
  const result = parseSync(abs, text, { sourceType: "module", preserveParens: false });
  if (result.errors.length > 0) {
    throw new Error(`${toRel(root, abs)}: cannot parse: ${result.errors[0]?.message ?? "unknown error"}`);
  }
  const program = result.program as unknown as Node;
  const starts = lineStarts(text);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return { abs, rel: toRel(root, abs), text, lineCount: countLines(text), workspace, program, ...collect(program), lineOf };
}
