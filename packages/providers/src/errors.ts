import { chatWireOf } from "./registry.ts";
import type { ErrorBodyInput } from "./error-kinds.ts";
import type { Provider } from "./wire.ts";

/** The error body in the caller's protocol. Both carry proofgate's request id at the top level. */
export function errorBody(protocol: Provider, input: ErrorBodyInput): string {
  return chatWireOf(protocol).errorBody(input);
}

/** Header the SDKs read for the request id of an error: OpenAI's and Anthropic's. */
export const requestIdHeader = { openai: "x-request-id", anthropic: "request-id" } as const satisfies Record<
  Provider,
  string
>;
