import type { Wire } from "../../wire.ts";
import { openaiErrorBody } from "../openai-chat/errors.ts";
import { openaiAuthHeaders } from "../openai-chat/index.ts";
import { embeddingsAssemble } from "./assemble.ts";
import { embeddingsTemplateParts } from "./template.ts";
import { validateEmbeddings } from "./validate.ts";

export const openaiEmbeddings: Wire = {
  name: "openai-embeddings",
  endpoint: "embeddings",
  provider: "openai",
  upstreamPath: "/embeddings",
  streams: false,
  requiredHeaders: {},
  authHeaders: openaiAuthHeaders,
  validate: validateEmbeddings,
  assemble: embeddingsAssemble,
  templateParts: embeddingsTemplateParts,
  errorBody: openaiErrorBody,
};
