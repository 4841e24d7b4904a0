import { toRel } from "./source.ts";
import type { ImportRef, Resolved } from "./imports.ts";
import type { Offender, SourceFile } from "./types.ts";

/**
 * The only app-to-app imports allowed, always through the imported app's package entry (`@proofgate/<app>`).
 * Packages import no app at all.
 */
export const ALLOWED_APP_EDGES: ReadonlyArray<readonly [from: string, to: string]> = [
  ["server", "dashboard"], // the server mounts the dashboard's routes
  ["server", "worker"], // `proofgate start` runs the workers in the same process
  ["demo", "server"], // the demo starts the product as a user would
  ["demo", "dashboard"], // and signs in to its dashboard
];

const allowed = (from: string, to: string): boolean => ALLOWED_APP_EDGES.some(([a, b]) => a === from && b === to);

function edgeList(): string {
  return ALLOWED_APP_EDGES.map(([a, b]) => `${a} -> ${b}`).join(", ");
}

/** Why this import crosses a wall, or null when it does not. */
function violation(file: SourceFile, ref: ImportRef, target: Resolved, root: string): string | null {
  const from = file.workspace;
  const to = target.workspace;
  if (to?.layer !== "apps" || to.dir === from.dir) return null;
  if (from.layer === "packages") return `package ${from.short} imports app ${to.short}: packages never depend on apps`;
  const edge = allowed(from.short, to.short) ? "" : `; ${from.short} -> ${to.short} is not an allowed edge (${edgeList()})`;
  if (!target.viaName) {
    const where = target.file ? toRel(root, target.file) : ref.specifier;
    return `reaches into ${where}: an app imports another only through its package entry${edge}`;
  }
  if (!target.exported) return `imports ${ref.specifier}, which ${to.name} does not export${edge}`;
  return edge === "" ? null : `imports ${ref.specifier}${edge}`;
}

export function checkAppImports(file: SourceFile, refs: Array<{ ref: ImportRef; target: Resolved | null }>, root: string): Offender[] {
  const found: Offender[] = [];
  for (const { ref, target } of refs) {
    const reason = target ? violation(file, ref, target, root) : null;
    if (reason !== null) found.push({ rule: "app-import", file: file.rel, line: ref.line, reason });
  }
  return found;
}
