import type { JsonObject } from "../../json.ts";
import { checkInput, validateBody } from "../../validate-common.ts";
import type { Validated } from "../../wire.ts";

const checkFields = (body: JsonObject) => checkInput(body, false);

export function validateResponses(raw: Buffer): Validated {
  return validateBody(raw, checkFields);
}
