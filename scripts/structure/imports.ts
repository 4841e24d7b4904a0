import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import type { Node, SourceFile, Workspace } from "./types.ts";

export interface ImportRef {
  specifier: string;
  line: number;
  /** "type": erased before run time (`import type`, `export type ... from`); "dynamic": `import("...")`. */
  kind: "value" | "type" | "dynamic";
}

export interface Resolved {
  /** Absolute file, when it exists. */
  file: string | null;
  /** The workspace the import lands in. */
  workspace: Workspace | null;
  /** Through a package name (`@proofgate/x`), and whether its package.json exports that subpath. */
  viaName: boolean;
  exported: boolean;
}

const EXPORTS_FROM = new Set(["ExportNamedDeclaration", "ExportAllDeclaration"]);

export function importsOf(file: SourceFile): ImportRef[] {
  const refs: ImportRef[] = [];
  for (const node of file.nodes) {
    const source = node["source"] as Node | null | undefined;
    if (source?.type !== "Literal" || typeof source["value"] !== "string") continue;
    const specifier = source["value"];
    const line = file.lineOf(node.start);
    if (node.type === "ImportDeclaration") refs.push({ specifier, line, kind: node["importKind"] === "type" ? "type" : "value" });
    else if (EXPORTS_FROM.has(node.type)) refs.push({ specifier, line, kind: node["exportKind"] === "type" ? "type" : "value" });
    else if (node.type === "ImportExpression") refs.push({ specifier, line, kind: "dynamic" });
  }
  return refs.sort((a, b) => a.line - b.line);
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

// The tree imports relative files with their .ts extension and workspaces by name, so these few candidates
// cover it; a general resolver would also have to follow pnpm's node_modules links, which a fixture lacks.
function resolveFile(path: string): string | null {
  const candidates = [path, path.replace(/\.js$/, ".ts"), `${path}.ts`, `${path}.tsx`, join(path, "index.ts")];
  return candidates.find(isFile) ?? null;
}

function conditionTarget(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(conditionTarget).find((t) => t !== null) ?? null;
  if (typeof value !== "object" || value === null) return null;
  const conditions = value as Record<string, unknown>;
  for (const key of ["import", "node", "default", "types"]) {
    const target = conditionTarget(conditions[key]);
    if (target !== null) return target;
  }
  return null;
}

/** The file a package.json `exports` field maps a subpath ("." or "./x") to, following Node's rules closely enough. */
export function exportTarget(exportsField: unknown, subpath: string): string | null {
  if (exportsField === undefined) return subpath === "." ? "./src/index.ts" : null;
  const isMap = typeof exportsField === "object" && exportsField !== null && Object.keys(exportsField).some((k) => k.startsWith("."));
  if (!isMap) return subpath === "." ? conditionTarget(exportsField) : null;
  const map = exportsField as Record<string, unknown>;
  if (subpath in map) return conditionTarget(map[subpath]);
  for (const [pattern, value] of Object.entries(map)) {
    const star = pattern.indexOf("*");
    if (star === -1) continue;
    const [prefix, suffix] = [pattern.slice(0, star), pattern.slice(star + 1)];
    if (!subpath.startsWith(prefix) || !subpath.endsWith(suffix) || subpath.length < pattern.length - 1) continue;
    const target = conditionTarget(value);
    if (target !== null) return target.replace("*", subpath.slice(prefix.length, subpath.length - suffix.length));
  }
  return null;
}

function byName(specifier: string, workspaces: Workspace[]): Resolved | null {
  const workspace = workspaces.find((w) => specifier === w.name || specifier.startsWith(`${w.name}/`));
  if (!workspace) return null;
  const subpath = specifier === workspace.name ? "." : `.${specifier.slice(workspace.name.length)}`;
  const target = exportTarget(workspace.exports, subpath);
  const file = target === null ? resolveFile(join(workspace.dir, subpath)) : resolveFile(join(workspace.dir, target));
  return { file, workspace, viaName: true, exported: target !== null };
}

/** Where an import lands inside the repository; null for node: builtins and npm packages. */
export function resolveImport(from: string, specifier: string, workspaces: Workspace[]): Resolved | null {
  if (!specifier.startsWith(".")) return byName(specifier, workspaces);
  const file = resolveFile(resolve(dirname(from), specifier));
  const target = file ?? resolve(dirname(from), specifier);
  const workspace = workspaces.find((w) => target.startsWith(`${w.dir}${sep}`)) ?? null;
  return { file, workspace, viaName: false, exported: false };
}
