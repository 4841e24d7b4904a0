import type { EventSourceMessage } from "eventsource-parser";
import { parseSse } from "./sse.ts";
import type { Assembled } from "./wire.ts";

/**
 * Turns a response's text (already decoded) into what the capture keeps, with a wire's readers of a JSON
 * body and of an event stream. `eventStream` says the body is SSE; a streamed request answered with a JSON
 * error is read as JSON, and so is any body of a wire that does not stream.
 */
export function assembleReply(
  text: string,
  eventStream: boolean,
  fromJson: (body: unknown) => Assembled,
  fromStream?: (events: readonly EventSourceMessage[]) => Assembled,
): Assembled {
  if (eventStream && fromStream) return fromStream(parseSse(text));
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    return { response: text, outputText: null, toolCalls: null, usage: null, error: "response body is not JSON" };
  }
  const assembled = fromJson(body);
  if (assembled.response === body && typeof body === "object" && body !== null) assembled.verbatim = true;
  return assembled;
}
