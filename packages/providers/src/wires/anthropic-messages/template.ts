import { isObject, type JsonObject } from "../../json.ts";
import { contentText, emptyParts, fromMessages, toolSchemas } from "../../template-common.ts";
import type { TemplateParts } from "../../wire.ts";

export function messagesTemplateParts(body: JsonObject): TemplateParts {
  const parts = emptyParts();
  const system = contentText(body.system);
  if (system) parts.instructions.push(system);
  fromMessages(body.messages, parts);
  parts.schemas.push(...toolSchemas(body.tools));
  if (isObject(body.output_format)) parts.schemas.push({ output_format: body.output_format });
  return parts;
}
