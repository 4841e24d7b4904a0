const BACKSLASH = 0x5c;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const U = 0x75;

function hexAt(line: string, at: number): number {
  const hex = line.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(hex) ? Number.parseInt(hex, 16) : -1;
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * Postgres refuses NUL characters and lone surrogates in text and jsonb. Rather than lose a capture over
 * them, the writer retries a refused line with those characters replaced by U+FFFD. Works on the line's
 * text (escapes, walked left to right, and raw characters) rather than parsing it, so no depth or size
 * can make it throw. Null when there was nothing to replace: a retry would be refused the same way.
 */
export function sanitizeLine(line: string): string | null {
  const text = line.replaceAll("\u0000", "\uFFFD").replace(LONE_SURROGATE, "\uFFFD");
  const parts: string[] = [];
  let from = 0;
  for (let i = text.indexOf("\\"); i !== -1; i = text.indexOf("\\", i)) {
    if (text.charCodeAt(i + 1) !== U) {
      i += 2; // any other escape, \\ included, is two characters
      continue;
    }
    const code = hexAt(text, i + 2);
    let length = 6;
    let bad = code === 0 || isLow(code);
    if (isHigh(code)) {
      const pairedLow = text.charCodeAt(i + 6) === BACKSLASH && text.charCodeAt(i + 7) === U && isLow(hexAt(text, i + 8));
      if (pairedLow) length = 12;
      else bad = true;
    }
    if (bad) {
      parts.push(text.slice(from, i), "\\ufffd");
      from = i + 6;
    }
    i += length;
  }
  if (parts.length === 0) return text === line ? null : text;
  parts.push(text.slice(from));
  return parts.join("");
}
