import { isObject, type JsonObject } from "./json.ts";
import { chatWireOf } from "./registry.ts";
import type { Assembled, HubTranslation, Provider, ReplyOptions, StreamTranslator, Wire, WireName } from "./wire.ts";

/** How a request on one wire reaches a model served on another provider, and how its answer comes back. */
export interface Crossing {
  readonly source: Wire;
  /** The wire the model is called on. */
  readonly target: Wire;
  /** Same wire: the body goes as it is but for the model; the reply is relayed unchanged. */
  readonly same: boolean;
  /** The request for `model` on the target wire, and what reading its reply back needs. */
  request(body: JsonObject, model: string): { body: JsonObject; back: ReplyOptions };
  /** A whole decoded reply from the target, as the source wire's body text. */
  replyText(text: string, eventStream: boolean, model: string, back: ReplyOptions, includeUsage: boolean): string;
  /** A target reply already assembled, re-assembled as if the source wire had answered (replays). */
  assembled(reply: Assembled, model: string, back: ReplyOptions): Assembled;
  /** The target's SSE translated into the source's, chunk by chunk. */
  stream(model: string, back: ReplyOptions, includeUsage: boolean): StreamTranslator;
}

/** The wire every translation goes through: each translatable wire maps to it and back. */
const HUB: WireName = "openai-chat";

const unchanged: StreamTranslator = { push: (text) => text, end: () => "" };

function sameWire(wire: Wire): Crossing {
  return {
    source: wire,
    target: wire,
    same: true,
    request: (body, model) => ({ body: { ...body, model }, back: {} }),
    replyText: (text) => text,
    assembled: (reply) => reply,
    stream: () => unchanged,
  };
}

/** The two directions through a hub translation, seen from the source wire. */
interface Direction {
  request(body: JsonObject, model: string): { body: JsonObject; back: ReplyOptions };
  reply(reply: JsonObject, model: string, back: ReplyOptions): JsonObject;
  stream(model: string, back: ReplyOptions, includeUsage: boolean): StreamTranslator;
}

function fromHub(hub: HubTranslation): Direction {
  return {
    request: (body, model) => hub.requestFromHub(body, model),
    reply: (reply, model, back) => hub.replyToHub(reply, model, back),
    stream: (model, back, includeUsage) => hub.streamToHub(model, includeUsage, back),
  };
}

function toHub(hub: HubTranslation): Direction {
  return {
    request: (body, model) => hub.requestToHub(body, model),
    reply: (reply, model, back) => hub.replyFromHub(reply, model, back),
    stream: (model, back) => hub.streamFromHub(model, back),
  };
}

/**
 * An assembled reply's body for the translators. They read fields that a body other than an object lacks,
 * so such a body reads as an empty object; a reply with no body at all cannot be translated.
 */
function replyObject(response: unknown): JsonObject {
  if (response === null || response === undefined) throw new TypeError("the reply has no body to translate");
  return isObject(response) ? response : {};
}

function translated(source: Wire, target: Wire, d: Direction): Crossing {
  return {
    source,
    target,
    same: false,
    request: d.request,
    replyText(text, eventStream, model, back, includeUsage) {
      if (eventStream) {
        const t = d.stream(model, back, includeUsage);
        return t.push(text) + t.end();
      }
      return JSON.stringify(d.reply(JSON.parse(text) as JsonObject, model, back));
    },
    // The usage stays the target's: it is what the call cost, whatever wire the reply is read on.
    assembled: (reply, model, back) => ({
      ...source.assemble(JSON.stringify(d.reply(replyObject(reply.response), model, back)), false),
      usage: reply.usage,
    }),
    stream: d.stream,
  };
}

/**
 * The one choice of translation, for the proxy and the replays: how a request on `source` reaches a model
 * served on `targetProvider`. The hub is openai-chat: a wire with `hub` translates to and from it. null
 * when it cannot (today: only chat completions and messages translate, each to the other).
 */
export function crossWire(source: Wire, targetProvider: Provider): Crossing | null {
  if (source.provider === targetProvider) return sameWire(source);
  const target = chatWireOf(targetProvider);
  if (source.name === HUB && target.hub) return translated(source, target, fromHub(target.hub));
  if (target.name === HUB && source.hub) return translated(source, target, toHub(source.hub));
  // Two wires that both translate through the hub would compose here; no pair needs that yet.
  return null;
}
