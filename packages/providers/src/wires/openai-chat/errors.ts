import { errorKinds, type ErrorBodyInput } from "../../error-kinds.ts";

/** proofgate's own error in OpenAI's shape (all three OpenAI wires), with its request id at the top level. */
export function openaiErrorBody(input: ErrorBodyInput): string {
  const kind = errorKinds[input.kind];
  return JSON.stringify({
    error: { message: input.message, type: kind.openai, param: input.param ?? null, code: input.code ?? input.kind },
    request_id: input.requestId,
  });
}
