import { checkMessages, validateBody } from "../../validate-common.ts";
import type { Validated } from "../../wire.ts";

export function validateChat(raw: Buffer): Validated {
  return validateBody(raw, checkMessages);
}
