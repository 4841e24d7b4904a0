import type { Wire } from "../../wire.ts";
import { openaiErrorBody } from "../openai-chat/errors.ts";
import { openaiAuthHeaders } from "../openai-chat/index.ts";
import { responsesAssemble } from "./assemble.ts";
import { responsesTemplateParts } from "./template.ts";
import { validateResponses } from "./validate.ts";

export const openaiResponses: Wire = {
  name: "openai-responses",
  endpoint: "responses",
  provider: "openai",
  upstreamPath: "/responses",
  streams: true,
  requiredHeaders: {},
  authHeaders: openaiAuthHeaders,
  validate: validateResponses,
  assemble: responsesAssemble,
  templateParts: responsesTemplateParts,
  errorBody: openaiErrorBody,
};
