// Visible ASCII except "%": such a value is sent as it is.
const PLAIN = /^[\x21-\x24\x26-\x7e]*$/;
const ESCAPED = /[^\x21-\x24\x26-\x7e]/gu;

function escape(char: string): string {
  let out = "";
  for (const byte of Buffer.from(char, "utf8")) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  return out;
}

/**
 * A name (model, prompt) as a value any HTTP header can carry: "%", spaces and every character outside
 * visible ASCII are percent-encoded as UTF-8 bytes (RFC 3986 style, as in RFC 8187's ext-value), the rest
 * is left alone, so `ft:gpt-4o-mini:org:x:y` or `accounts/a/models/b` read as they are and
 * decodeURIComponent() always gives the name back. Node refuses to write a raw emoji, NUL or line break
 * into a header; encoding here means a response can never fail on its own header.
 */
export function headerValue(text: string): string {
  return PLAIN.test(text) ? text : text.replace(ESCAPED, escape);
}
