import { crossWire, isEndpoint, wireOf } from "@proofgate/providers";

/** Endpoints a candidate on the other provider can serve (chat completions and messages, both ways): providers' one choice of crossing. */
export function translatable(endpoint: string): boolean {
  if (!isEndpoint(endpoint)) return false;
  const wire = wireOf(endpoint);
  return crossWire(wire, wire.provider === "openai" ? "anthropic" : "openai") !== null;
}
