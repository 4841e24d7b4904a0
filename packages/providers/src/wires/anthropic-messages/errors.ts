import { errorKinds, type ErrorBodyInput } from "../../error-kinds.ts";

/** proofgate's own error in Anthropic's shape, with its request id at the top level. */
export function anthropicErrorBody(input: ErrorBodyInput): string {
  const kind = errorKinds[input.kind];
  return JSON.stringify({
    type: "error",
    error: { type: kind.anthropic, message: input.message },
    request_id: input.requestId,
  });
}
