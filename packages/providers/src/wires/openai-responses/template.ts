import { isObject, type JsonObject } from "../../json.ts";
import { emptyParts, fromMessages, toolSchemas } from "../../template-common.ts";
import type { TemplateParts } from "../../wire.ts";

export function responsesTemplateParts(body: JsonObject): TemplateParts {
  const parts = emptyParts();
  if (typeof body.instructions === "string") parts.instructions.push(body.instructions);
  if (typeof body.input === "string") parts.user = body.input;
  else fromMessages(body.input, parts);
  parts.schemas.push(...toolSchemas(body.tools));
  if (isObject(body.text) && isObject(body.text.format)) parts.schemas.push({ format: body.text.format });
  return parts;
}
