/** Markdown structure of a text output, measured the same way on the baseline and on every checked output. */
export interface TextFeatures {
  chars: number;
  headings: number;
  listItems: number;
  codeBlocks: number;
  tables: number;
}

export const TEXT_FEATURES = ["headings", "listItems", "codeBlocks", "tables"] as const;
export type TextFeature = (typeof TEXT_FEATURES)[number];

export const FEATURE_WORDS: Record<TextFeature, string> = {
  headings: "markdown headings",
  listItems: "list items",
  codeBlocks: "code blocks",
  tables: "tables",
};

const HEADING = /^#{1,6}\s+\S/gm;
const LIST_ITEM = /^\s{0,6}(?:[-*+]|\d{1,3}[.)])\s+\S/gm;
const FENCE_LINE = /^\s{0,3}```/gm;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$/gm;

function count(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let n = 0;
  while (pattern.exec(text) !== null) n++;
  return n;
}

export function measureText(output: string): TextFeatures {
  const text = output.trim();
  return {
    chars: text.length,
    headings: count(HEADING, text),
    listItems: count(LIST_ITEM, text),
    codeBlocks: Math.floor(count(FENCE_LINE, text) / 2),
    tables: count(TABLE_RULE, text),
  };
}
