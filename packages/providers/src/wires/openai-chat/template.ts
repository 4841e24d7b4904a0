import { isObject, type JsonObject } from "../../json.ts";
import { emptyParts, fromMessages, toolSchemas } from "../../template-common.ts";
import type { TemplateParts } from "../../wire.ts";

export function chatTemplateParts(body: JsonObject): TemplateParts {
  const parts = emptyParts();
  fromMessages(body.messages, parts);
  parts.schemas.push(...toolSchemas(body.tools), ...toolSchemas(body.functions));
  if (isObject(body.response_format)) parts.schemas.push({ response_format: body.response_format });
  return parts;
}
