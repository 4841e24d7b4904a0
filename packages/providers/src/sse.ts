import { createParser, type EventSourceMessage } from "eventsource-parser";

/**
 * Splits a whole SSE stream into its events. Runs after the stream has ended, on the bytes the client
 * already received, so parsing never sits between an upstream chunk and the client.
 */
export function parseSse(text: string): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  parser.feed(text);
  // A stream cut short may lack the final blank line; reset(consume) still emits the last complete event.
  parser.reset({ consume: true });
  return events;
}

/** The JSON payload of an event, or undefined for non-JSON data such as OpenAI's `[DONE]`. */
export function eventJson(event: EventSourceMessage): unknown {
  const data = event.data;
  if (data.length === 0 || (data[0] !== "{" && data[0] !== "[")) return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}
