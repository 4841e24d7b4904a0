import { join } from "node:path";
import { checkCycles, type Graph } from "./cycles.ts";
import { checkErrorMatching } from "./error-match.ts";
import { checkFileLength, checkFunctionLengths } from "./functions.ts";
import { type ImportRef, importsOf, type Resolved, resolveImport } from "./imports.ts";
import { jsonbColumns, checkJsonbCasts } from "./jsonb.ts";
import { checkAppImports } from "./layers.ts";
import { findWorkspaces, parseFile, sourcePaths, toRel } from "./source.ts";
import type { Offender, SourceFile, Workspace } from "./types.ts";

/**
 * A file's edges in the module graph. Type-only imports count: a cycle of types still ties two modules into
 * one. Dynamic imports do not: they load on demand, after both modules are in place.
 */
function importEdges(root: string, refs: Array<{ ref: ImportRef; target: Resolved | null }>, known: Set<string>) {
  const edges = new Map<string, { line: number; typeOnly: boolean }>();
  for (const { ref, target } of refs) {
    if (ref.kind === "dynamic" || !target?.file || !known.has(target.file)) continue;
    const to = toRel(root, target.file);
    const seen = edges.get(to);
    edges.set(to, { line: seen?.line ?? ref.line, typeOnly: (seen?.typeOnly ?? true) && ref.kind === "type" });
  }
  return edges;
}

export interface StructureResult {
  files: number;
  offenders: Offender[];
}

function byPlace(a: Offender, b: Offender): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}

/**
 * Runs every structure rule over the product source of `root` (apps/* and packages/* src, less tests,
 * benches and fixtures).
 */
export function checkStructure(root: string): StructureResult {
  const workspaces = findWorkspaces(root);
  const files: SourceFile[] = workspaces.flatMap((w) => sourcePaths(w).map((abs) => parseFile(root, abs, w)));
  const known = new Set(files.map((f) => f.abs));
  const db: Workspace = workspaces.find((w) => w.layer === "packages" && w.short === "db") ?? {
    name: "db",
    layer: "packages",
    short: "db",
    dir: join(root, "packages", "db"),
    exports: undefined,
  };
  const columns = jsonbColumns(root, db);
  const graph: Graph = new Map();
  const offenders: Offender[] = [];
  for (const file of files) {
    const refs = importsOf(file).map((ref) => ({ ref, target: resolveImport(file.abs, ref.specifier, workspaces) }));
    graph.set(file.rel, importEdges(root, refs, known));
    offenders.push(
      ...checkFileLength(file),
      ...checkFunctionLengths(file),
      ...checkAppImports(file, refs, root),
      ...checkJsonbCasts(file, columns),
      ...checkErrorMatching(file),
    );
  }
  offenders.push(...checkCycles(graph));
  return { files: files.length, offenders: offenders.sort(byPlace) };
}
