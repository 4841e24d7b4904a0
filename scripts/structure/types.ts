export const RULES = ["file-length", "function-length", "import-cycle", "app-import", "jsonb-cast", "error-match"] as const;
export type Rule = (typeof RULES)[number];

export const LIMITS = { fileLines: 300, functionLines: 80 } as const;

export interface Offender {
  rule: Rule;
  /** Path relative to the checked root, with forward slashes. */
  file: string;
  line: number;
  reason: string;
}

/** An AST node as oxc-parser returns it: ESTree shape plus TypeScript nodes, offsets in UTF-16 units. */
export type Node = { type: string; start: number; end: number } & { [key: string]: unknown };

export interface Workspace {
  /** Package name, e.g. "@proofgate/server". */
  name: string;
  /** "apps" or "packages". */
  layer: "apps" | "packages";
  /** The folder name under its layer, e.g. "server". */
  short: string;
  /** Absolute folder. */
  dir: string;
  exports: unknown;
}

export interface SourceFile {
  abs: string;
  rel: string;
  text: string;
  lineCount: number;
  /** The workspace the file belongs to. */
  workspace: Workspace;
  program: Node;
  /** Every node of the file, in no particular order, and each node's parent. */
  nodes: Node[];
  parents: Map<Node, Node>;
  lineOf(offset: number): number;
}
