import type { Offender } from "./types.ts";

/** Module graph: file -> imported file -> where the first import is, and whether every import of it is type-only. */
export type Graph = Map<string, Map<string, { line: number; typeOnly: boolean }>>;

/** Strongly connected components (Tarjan); every component of two or more files, or a file importing itself, is a cycle. */
function components(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** A shortest cycle through `start` that stays inside its component (breadth-first). */
function shortestCycle(graph: Graph, start: string, members: Set<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        for (let at = cameFrom.get(node); at !== undefined; at = cameFrom.get(at)) path.unshift(at);
        return [...path, start];
      }
      if (cameFrom.has(next)) continue;
      cameFrom.set(next, node);
      queue.push(next);
    }
  }
  return [start, start];
}

export function checkCycles(graph: Graph): Offender[] {
  return components(graph).map((component) => {
    const start = component[0] as string;
    const cycle = shortestCycle(graph, start, new Set(component));
    const edges = cycle.slice(1).map((to, i) => graph.get(cycle[i] as string)?.get(to));
    const more = component.length > cycle.length - 1 ? `; ${component.length} files tied together` : "";
    const types = edges.some((edge) => edge?.typeOnly) ? "; through type-only imports too" : "";
    const reason = `import cycle: ${cycle.join(" -> ")}${more}${types}`;
    return { rule: "import-cycle", file: start, line: edges[0]?.line ?? 1, reason };
  });
}
