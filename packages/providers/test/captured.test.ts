import { describe, expect, it } from "vitest";
import { answerText, lastUserInput, replayBody, retryAfterMsFrom, taskText, UnreadableCapture } from "../src/index.ts";

// The worker's and the proxy's former taskText and answerText, and the dashboard's requestInput
// (apps/dashboard/src/report-model.ts), kept as oracles: these readers replaced the first two.
function textOfBefore(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map(textOfBefore)
      .filter((t) => t.length > 0)
      .join("\n");
  if (content !== null && typeof content === "object") {
    const part = content as { text?: unknown; content?: unknown };
    if (typeof part.text === "string") return part.text;
    if (part.content !== undefined) return textOfBefore(part.content);
  }
  return "";
}
function taskTextBefore(request: unknown): string {
  if (request === null || typeof request !== "object") return "";
  const r = request as { system?: unknown; instructions?: unknown; messages?: unknown; input?: unknown };
  const parts: string[] = [];
  for (const field of [r.system, r.instructions]) {
    const text = textOfBefore(field);
    if (text) parts.push(text);
  }
  const turns = Array.isArray(r.messages) ? r.messages : Array.isArray(r.input) ? r.input : typeof r.input === "string" ? [r.input] : [];
  for (const turn of turns) {
    const text = textOfBefore(turn);
    if (text) parts.push(text);
  }
  return parts.join("\n\n");
}
function answerTextBefore(outputText: string | null, toolCalls: unknown): string {
  if (outputText !== null && outputText !== "") return outputText;
  return toolCalls ? JSON.stringify(toolCalls) : "";
}
function requestInputBefore(request: unknown): string | null {
  const body = request as { messages?: { role?: string; content?: unknown }[]; input?: unknown } | null;
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  const last = [...messages].reverse().find((m) => m.role === "user");
  const content = last?.content ?? (typeof body?.input === "string" ? body.input : null);
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const text = content
      .map((part) => (typeof part === "object" && part && "text" in part && typeof part.text === "string" ? part.text : ""))
      .join("\n")
      .trim();
    return text || null;
  }
  return null;
}

const nestedParts = [
  { type: "text", text: "outer" },
  [{ type: "text", text: "inner" }, "bare"],
  { type: "tool_result", content: [{ type: "text", text: "deep" }] },
  { type: "image_url", image_url: { url: "x" } },
];

/** A handful of captured bodies per wire, including nested content arrays and bodies that are not objects. */
const bodies: unknown[] = [
  // openai-chat
  {
    model: "m",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Classify: refund" },
    ],
  },
  {
    model: "m",
    messages: [
      { role: "developer", content: [{ type: "text", text: "Rules" }] },
      { role: "user", content: nestedParts },
      { role: "assistant", content: "ok" },
      { role: "user", content: "again" },
    ],
  },
  { model: "m", messages: [{ role: "user", content: [{ type: "text", text: "  spaced  " }, { type: "image_url" }] }] },
  { model: "m", messages: [{ role: "assistant", content: "no user turn" }] },
  // openai-responses
  { model: "m", instructions: "Summarise.", input: "the text" },
  {
    model: "m",
    instructions: [{ type: "input_text", text: "Summarise." }],
    input: [
      { role: "user", content: [{ type: "input_text", text: "t1" }] },
      { type: "function_call_output", output: "o" },
    ],
  },
  // anthropic-messages
  { model: "m", system: "You label tickets.", messages: [{ role: "user", content: "My card was charged twice" }], max_tokens: 10 },
  {
    model: "m",
    system: [
      { type: "text", text: "sys a" },
      { type: "text", text: "sys b" },
    ],
    messages: [{ role: "user", content: nestedParts }],
  },
  // openai-embeddings
  { model: "m", input: ["a", "b"] },
  { model: "m", input: 42 },
  // not requests
  null,
  "a string",
  [1, 2],
  {},
];

describe("readers of a captured request", () => {
  it.each(bodies.map((b, i) => [i, b]))("taskText agrees with the calibration's original (%i)", (_i, body) => {
    expect(taskText(body)).toBe(taskTextBefore(body));
  });

  it.each(bodies.map((b, i) => [i, b]))("lastUserInput agrees with the dashboard's original (%i)", (_i, body) => {
    expect(lastUserInput(body)).toBe(requestInputBefore(body));
  });

  it("reads what the task and the last input are", () => {
    expect(taskText(bodies[6])).toBe("You label tickets.\n\nMy card was charged twice");
    expect(lastUserInput(bodies[1])).toBe("again");
    expect(lastUserInput(bodies[2])).toBe("spaced");
    expect(lastUserInput(bodies[3])).toBeNull();
  });

  it("answerText agrees with the two originals", () => {
    const cases: Array<[string | null, unknown]> = [
      ["text", null],
      ["", [{ id: "a", function: { name: "f", arguments: "{}" } }]],
      [null, [{ id: "t", name: "n", input: { x: 1 } }]],
      [null, null],
      ["", []],
      [null, undefined],
    ];
    for (const [text, calls] of cases) expect(answerText(text, calls)).toBe(answerTextBefore(text, calls));
  });

  it("replayBody keeps the captured request but for the model, never streamed", () => {
    const captured = {
      model: "gpt-4o",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "hi" }],
      temperature: 0,
    };
    const body = replayBody(captured, "gpt-4o-mini");
    expect(body).toEqual({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], temperature: 0 });
    // The same bytes a replay sent before: `{ ...rest, model }` keeps the captured key order.
    const { stream: _s, stream_options: _o, ...rest } = captured;
    expect(JSON.stringify(body)).toBe(JSON.stringify({ ...rest, model: "gpt-4o-mini" }));
    expect(captured.stream).toBe(true);
  });

  it.each([null, undefined, "text", [1], 3])("replayBody refuses a capture that is not an object (%s)", (captured) => {
    expect(() => replayBody(captured, "m")).toThrow(UnreadableCapture);
    try {
      replayBody(captured, "m");
    } catch (error) {
      expect((error as UnreadableCapture).code).toBe("unreadable_capture");
    }
  });
});

// apps/worker/src/errors.ts's original, pasted as the oracle.
type HeadersBefore = Record<string, string | string[] | undefined> | Headers | undefined;
function headerBefore(headers: HeadersBefore, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
function retryAfterMsFromBefore(headers: HeadersBefore, now = Date.now()): number | undefined {
  const ms = Number(headerBefore(headers, "retry-after-ms"));
  if (Number.isFinite(ms) && ms >= 0 && headerBefore(headers, "retry-after-ms") !== undefined) return ms;
  const raw = headerBefore(headers, "retry-after");
  if (raw === undefined || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

describe("retryAfterMsFrom", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  const cases: HeadersBefore[] = [
    undefined,
    {},
    { "retry-after-ms": "250" },
    { "retry-after-ms": "-1", "retry-after": "2" },
    { "retry-after-ms": "", "retry-after": "3" },
    { "retry-after": ["4", "5"] },
    { "retry-after": " " },
    { "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" },
    { "retry-after": "Tue, 31 Dec 2024 23:59:00 GMT" },
    { "retry-after": "soon" },
    new Headers({ "retry-after": "7" }),
    new Headers({ "Retry-After-Ms": "90" }),
  ];
  it.each(cases.map((h, i) => [i, h]))("agrees with the worker's original (%i)", (_i, headers) => {
    expect(retryAfterMsFrom(headers, now)).toBe(retryAfterMsFromBefore(headers, now));
  });

  it("reads milliseconds, seconds and dates", () => {
    expect(retryAfterMsFrom({ "retry-after-ms": "250" }, now)).toBe(250);
    expect(retryAfterMsFrom({ "retry-after": "2" }, now)).toBe(2000);
    expect(retryAfterMsFrom({ "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" }, now)).toBe(30_000);
  });
});
