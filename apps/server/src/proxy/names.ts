import { isUtf8 } from "node:buffer";
import { HttpError } from "../http/errors.ts";

/** Longest model id accepted; provider ids (fine-tunes, ARNs, account paths) stay well under it. */
export const maxModelLength = 256;
/** Longest prompt name accepted from `x-proofgate-prompt`, in characters. */
export const maxPromptNameLength = 200;

// A model id is printable ASCII: letters, digits and the punctuation ids use (- _ . : / @ + ...).
const PLAUSIBLE_MODEL = /^[\x20-\x7e]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// C0, DEL and C1 controls: they have no place in a name and break logs, headers and terminals.
const CONTROL = /\p{Cc}/u;

function describeChar(text: string, at: number): string {
  const code = text.codePointAt(at)!;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Refuses, before any upstream call, a model name that is not a plausible model id: no provider has
 * one with a control character, an emoji or 300 characters, and such a name cannot be echoed in a
 * response header either.
 */
export function checkModelName(model: string): void {
  if (model.length > maxModelLength) {
    throw new HttpError("invalid_request", `Invalid value for 'model': a model id is at most ${maxModelLength} characters; this one has ${model.length}.`, {
      param: "model",
      code: "invalid_value",
    });
  }
  if (!PLAUSIBLE_MODEL.test(model)) {
    const at = model.search(/[^\x20-\x7e]/u);
    throw new HttpError(
      "invalid_request",
      `Invalid value for 'model': a model id is printable ASCII; this one has ${describeChar(model, at)} at position ${at}.`,
      { param: "model", code: "invalid_value" },
    );
  }
}

/**
 * The prompt name a client sent in `x-proofgate-prompt`, or null when it sent none. Node hands header
 * values over as latin1 (one character per byte), so UTF-8 bytes are decoded as UTF-8 when they are valid
 * UTF-8; anything else stays as latin1, which is what such bytes meant. Names over 200 characters or
 * with control characters get 400.
 */
export function promptNameFromHeader(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  const raw = Array.isArray(value) ? value.join(", ") : value;
  let name = raw;
  if (!PRINTABLE_ASCII.test(raw)) {
    const bytes = Buffer.from(raw, "latin1");
    if (isUtf8(bytes)) name = bytes.toString("utf8");
  }
  name = name.trim();
  if (name === "") return null;
  const control = name.search(CONTROL);
  if (control >= 0) {
    throw new HttpError("invalid_request", `Invalid 'x-proofgate-prompt' header: a prompt name cannot hold control characters (${describeChar(name, control)} at position ${control}).`, {
      code: "invalid_prompt_name",
    });
  }
  // Characters as people count them (code points), not UTF-16 units.
  let length = 0;
  for (const _ of name) if (++length > maxPromptNameLength) break;
  if (length > maxPromptNameLength) {
    throw new HttpError("invalid_request", `Invalid 'x-proofgate-prompt' header: a prompt name is at most ${maxPromptNameLength} characters.`, {
      code: "invalid_prompt_name",
    });
  }
  return name;
}
