// Request translation between OpenAI Chat Completions and Anthropic Messages, for a routed candidate that
// lives on the other wire. Only what both formats express is carried; the rest is dropped, never guessed.

type Json = Record<string, unknown>;

/** Anthropic requires max_tokens; OpenAI callers often leave it out. */
export const DEFAULT_MAX_TOKENS = 4096;

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((p) => (p && typeof p === "object" && typeof (p as Json)["text"] === "string" ? ((p as Json)["text"] as string) : ""))
    .filter((t) => t.length > 0)
    .join("\n");
}

function parseArguments(raw: unknown): unknown {
  if (typeof raw !== "string") return raw ?? {};
  try {
    return JSON.parse(raw);
  } catch {
    return { arguments: raw };
  }
}

/** The tool name a `json_object` response format becomes (a `json_schema` one is named after its schema). */
export const JSON_OBJECT_TOOL = "json_object";

/**
 * The tool an OpenAI request's structured output (`response_format` `json_schema` or `json_object`) becomes
 * on the Anthropic wire, where a single forced tool is how JSON is asked for; its input is the JSON body.
 * None when the request has its own tools (they keep their meaning) or asks for text.
 */
export function structuredOutputTool(body: Json): Json | undefined {
  if (((body["tools"] as unknown[] | undefined) ?? []).length > 0) return undefined;
  const format = body["response_format"] as Json | undefined;
  if (format?.["type"] === "json_object") return { name: JSON_OBJECT_TOOL, input_schema: { type: "object" } };
  if (format?.["type"] !== "json_schema") return undefined;
  const spec = (format["json_schema"] ?? {}) as Json;
  const name = typeof spec["name"] === "string" && spec["name"] ? spec["name"] : "json_schema";
  const description = typeof spec["description"] === "string" && spec["description"] ? { description: spec["description"] } : {};
  return { name, ...description, input_schema: (spec["schema"] as Json | undefined) ?? { type: "object" } };
}

/** An OpenAI chat request as an Anthropic messages request for `model`. */
export function chatRequestToMessages(body: Json, model: string): Json {
  const system: string[] = [];
  const messages: Json[] = [];
  const push = (role: "user" | "assistant", blocks: Json[]) => {
    const last = messages.at(-1);
    // Anthropic wants alternating roles: consecutive turns of one role are merged.
    if (last && last["role"] === role) (last["content"] as Json[]).push(...blocks);
    else messages.push({ role, content: blocks });
  };
  for (const m of (body["messages"] as Json[] | undefined) ?? []) {
    const role = m["role"];
    if (role === "system" || role === "developer") system.push(textOf(m["content"]));
    else if (role === "tool") push("user", [{ type: "tool_result", tool_use_id: String(m["tool_call_id"] ?? ""), content: textOf(m["content"]) }]);
    else if (role === "assistant") {
      const blocks: Json[] = [];
      const text = textOf(m["content"]);
      if (text) blocks.push({ type: "text", text });
      for (const call of (m["tool_calls"] as Json[] | undefined) ?? []) {
        const fn = (call["function"] ?? {}) as Json;
        blocks.push({ type: "tool_use", id: String(call["id"] ?? ""), name: String(fn["name"] ?? ""), input: parseArguments(fn["arguments"]) });
      }
      if (blocks.length > 0) push("assistant", blocks);
    } else push("user", [{ type: "text", text: textOf(m["content"]) }]);
  }
  const out: Json = { model, messages, max_tokens: body["max_completion_tokens"] ?? body["max_tokens"] ?? DEFAULT_MAX_TOKENS };
  if (system.length > 0) out["system"] = system.join("\n\n");
  for (const key of ["temperature", "top_p", "stream"] as const) if (body[key] !== undefined && body[key] !== null) out[key] = body[key];
  const stop = body["stop"];
  if (stop !== undefined && stop !== null) out["stop_sequences"] = Array.isArray(stop) ? stop : [stop];
  const tools = body["tools"] as Json[] | undefined;
  if (tools?.length) {
    out["tools"] = tools.map((t) => {
      const fn = (t["function"] ?? {}) as Json;
      return { name: fn["name"], ...(fn["description"] ? { description: fn["description"] } : {}), input_schema: fn["parameters"] ?? { type: "object" } };
    });
    const choice = body["tool_choice"];
    if (choice === "required") out["tool_choice"] = { type: "any" };
    else if (choice === "auto") out["tool_choice"] = { type: "auto" };
    else if (choice && typeof choice === "object") out["tool_choice"] = { type: "tool", name: ((choice as Json)["function"] as Json | undefined)?.["name"] };
  }
  const json = structuredOutputTool(body);
  if (json) {
    out["tools"] = [json];
    out["tool_choice"] = { type: "tool", name: json["name"] };
  }
  return out;
}

/** An Anthropic messages request as an OpenAI chat request for `model`. */
export function messagesRequestToChat(body: Json, model: string): Json {
  const messages: Json[] = [];
  const system = typeof body["system"] === "string" ? body["system"] : textOf(body["system"]);
  if (system) messages.push({ role: "system", content: system });
  for (const m of (body["messages"] as Json[] | undefined) ?? []) {
    const content = m["content"];
    if (typeof content === "string") {
      messages.push({ role: m["role"], content });
      continue;
    }
    const blocks = (content as Json[] | undefined) ?? [];
    const text = blocks.filter((b) => b["type"] === "text").map((b) => String(b["text"] ?? "")).join("\n");
    if (m["role"] === "assistant") {
      const calls = blocks
        .filter((b) => b["type"] === "tool_use")
        .map((b) => ({ id: b["id"], type: "function", function: { name: b["name"], arguments: JSON.stringify(b["input"] ?? {}) } }));
      messages.push({ role: "assistant", content: text || null, ...(calls.length ? { tool_calls: calls } : {}) });
      continue;
    }
    for (const b of blocks.filter((b) => b["type"] === "tool_result")) {
      messages.push({ role: "tool", tool_call_id: b["tool_use_id"], content: textOf(b["content"]) });
    }
    if (text) messages.push({ role: "user", content: text });
  }
  const out: Json = { model, messages };
  if (body["max_tokens"] !== undefined) out["max_completion_tokens"] = body["max_tokens"];
  for (const key of ["temperature", "top_p", "stream"] as const) if (body[key] !== undefined && body[key] !== null) out[key] = body[key];
  if (body["stream"] === true) out["stream_options"] = { include_usage: true };
  if (Array.isArray(body["stop_sequences"])) out["stop"] = body["stop_sequences"];
  const tools = body["tools"] as Json[] | undefined;
  if (tools?.length) {
    out["tools"] = tools.map((t) => ({ type: "function", function: { name: t["name"], description: t["description"], parameters: t["input_schema"] } }));
    const choice = body["tool_choice"] as Json | undefined;
    if (choice?.["type"] === "any") out["tool_choice"] = "required";
    else if (choice?.["type"] === "auto") out["tool_choice"] = "auto";
    else if (choice?.["type"] === "tool") out["tool_choice"] = { type: "function", function: { name: choice["name"] } };
  }
  return out;
}
