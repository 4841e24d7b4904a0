import type { JsonObject } from "../../json.ts";
import { emptyParts } from "../../template-common.ts";
import type { TemplateParts } from "../../wire.ts";

/** Embeddings: the input is all data; the template is the endpoint and the model. */
export function embeddingsTemplateParts(_body: JsonObject): TemplateParts {
  return emptyParts();
}
