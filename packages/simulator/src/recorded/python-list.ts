/**
 * MMLU-Pro stores each question's options as a Python list literal ("['6', \"it's\", ...]"). JSON.parse
 * cannot read it and no maintained package parses Python literals, so this reads exactly that shape:
 * a list of single- or double-quoted strings with backslash escapes.
 */
export function parsePythonStringList(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf("[") + 1;
  if (i === 0) throw new Error("not a list literal");
  const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"' };
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "]") return out;
    if (ch === "'" || ch === '"') {
      let s = "";
      i++;
      while (i < text.length && text[i] !== ch) {
        if (text[i] === "\\" && i + 1 < text.length) {
          const next = text[i + 1] as string;
          s += escapes[next] ?? `\\${next}`;
          i += 2;
        } else {
          s += text[i];
          i++;
        }
      }
      out.push(s);
    }
    i++;
  }
  throw new Error("unterminated list literal");
}
