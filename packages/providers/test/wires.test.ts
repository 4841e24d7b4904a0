import { describe, expect, it } from "vitest";
import {
  chatWireOf,
  crossWire,
  endpointSpecs,
  errorBody,
  isEndpoint,
  serverHeaders,
  wireOf,
  wires,
  type Endpoint,
  type Provider,
  type StructuredRequest,
} from "../src/index.ts";

// The literal endpoints.ts held before the wires existed: the derived table must stay equal to it.
const endpointSpecsBefore = {
  "chat.completions": { endpoint: "chat.completions", provider: "openai", upstreamPath: "/chat/completions", streams: true },
  responses: { endpoint: "responses", provider: "openai", upstreamPath: "/responses", streams: true },
  messages: { endpoint: "messages", provider: "anthropic", upstreamPath: "/v1/messages", streams: true },
  embeddings: { endpoint: "embeddings", provider: "openai", upstreamPath: "/embeddings", streams: false },
};

// The judge's request bodies as the calibration built them (apps/worker/src/calibration/judge-call.ts), as the oracle.
function judgeBody(provider: Provider, model: string, request: StructuredRequest): { endpoint: Endpoint; body: Record<string, unknown> } {
  if (provider === "anthropic") {
    return {
      endpoint: "messages",
      body: {
        model,
        system: request.system,
        messages: [{ role: "user", content: request.user }],
        max_tokens: request.maxTokens,
        temperature: request.temperature,
        tools: [{ name: request.schemaName, description: "Record the judgment.", input_schema: request.schema }],
        tool_choice: { type: "tool", name: request.schemaName },
      },
    };
  }
  return {
    endpoint: "chat.completions",
    body: {
      model,
      messages: [
        { role: "system", content: request.system },
        { role: "user", content: request.user },
      ],
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      response_format: { type: "json_schema", json_schema: { name: request.schemaName, schema: request.schema, strict: true } },
    },
  };
}

function replyTextBefore(assembled: { toolCalls: unknown[] | null; outputText: string | null }): string {
  const call = assembled.toolCalls?.[0] as { input?: unknown } | undefined;
  if (call?.input !== undefined) return JSON.stringify(call.input);
  return assembled.outputText ?? "";
}

describe("the registry", () => {
  it("derives endpointSpecs equal to the table it replaced", () => {
    expect(endpointSpecs).toEqual(endpointSpecsBefore);
    expect(Object.keys(endpointSpecs)).toEqual(Object.keys(endpointSpecsBefore));
  });

  it("has a wire for every endpoint, found again by its endpoint", () => {
    for (const endpoint of Object.keys(endpointSpecsBefore) as Endpoint[]) {
      const wire = wireOf(endpoint);
      expect(wire.endpoint).toBe(endpoint);
      expect(wires[wire.name]).toBe(wire);
    }
    for (const wire of Object.values(wires)) expect(wireOf(wire.endpoint)).toBe(wire);
  });

  it("refuses an endpoint it does not know, as stored text may name one", () => {
    expect(isEndpoint("messages")).toBe(true);
    expect(isEndpoint("completions")).toBe(false);
    expect(isEndpoint("constructor")).toBe(false);
    expect(() => wireOf("completions" as Endpoint)).toThrow(/unknown endpoint completions/);
  });

  it("names each provider's chat wire, which shapes its errors", () => {
    expect(chatWireOf("openai").name).toBe("openai-chat");
    expect(chatWireOf("anthropic").name).toBe("anthropic-messages");
    const input = { kind: "too_large", message: "m", requestId: "r", param: null, code: "c" } as const;
    expect(JSON.parse(errorBody("openai", input))).toEqual({
      error: { message: "m", type: "invalid_request_error", param: null, code: "c" },
      request_id: "r",
    });
    expect(JSON.parse(errorBody("anthropic", input))).toEqual({ type: "error", error: { type: "request_too_large", message: "m" }, request_id: "r" });
    // The three OpenAI wires answer in one shape.
    expect(wireOf("responses").errorBody(input)).toBe(errorBody("openai", input));
    expect(wireOf("embeddings").errorBody(input)).toBe(errorBody("openai", input));
  });
});

describe("crossWire", () => {
  const cases: Array<[Endpoint, Provider, string | null]> = [
    ["chat.completions", "anthropic", "anthropic-messages"],
    ["messages", "openai", "openai-chat"],
    ["responses", "anthropic", null],
    ["embeddings", "anthropic", null],
  ];
  it.each(cases)("%s to a model on %s", (endpoint, provider, target) => {
    const crossing = crossWire(wireOf(endpoint), provider);
    if (target === null) expect(crossing).toBeNull();
    else {
      expect(crossing?.same).toBe(false);
      expect(crossing?.target.name).toBe(target);
      expect(crossing?.source).toBe(wireOf(endpoint));
    }
  });

  it("keeps the wire for the same provider, changing only the model", () => {
    for (const wire of Object.values(wires)) {
      const crossing = crossWire(wire, wire.provider)!;
      expect(crossing.same).toBe(true);
      expect(crossing.target).toBe(wire);
      expect(crossing.request({ model: "a", stream: true, x: [1] }, "b")).toEqual({ body: { model: "b", stream: true, x: [1] }, back: {} });
    }
  });
});

describe("structured requests (judge calls)", () => {
  const request: StructuredRequest = {
    system: "You compare two answers.",
    user: "<task>t</task>",
    maxTokens: 300,
    temperature: 0,
    schemaName: "verdict",
    schema: { type: "object", properties: { verdict: { enum: ["A", "B"] } }, required: ["verdict"] },
  };

  it.each(["openai", "anthropic"] as const)("builds the judge body the calibration built on %s", (provider) => {
    const wire = chatWireOf(provider);
    const before = judgeBody(provider, "judge-model", request);
    expect(wire.endpoint).toBe(before.endpoint);
    expect(wire.structured!.request("judge-model", request)).toEqual(before.body);
  });

  it.each(["openai", "anthropic"] as const)("reads the judge's reply as the calibration read it on %s", (provider) => {
    const replies = [
      { toolCalls: [{ id: "t", name: "verdict", input: { verdict: "A" } }], outputText: null },
      { toolCalls: [{ id: "t", name: "verdict", input: {} }], outputText: "ignored" },
      { toolCalls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }], outputText: '{"verdict":"B"}' },
      { toolCalls: null, outputText: '{"verdict":"B"}' },
      { toolCalls: null, outputText: null },
    ];
    for (const reply of replies) {
      const assembled = { response: null, usage: null, error: null, ...reply };
      expect(chatWireOf(provider).structured!.replyText(assembled)).toBe(replyTextBefore(assembled));
    }
  });

  it("is absent on the wires no judge runs on", () => {
    expect(wireOf("responses").structured).toBeUndefined();
    expect(wireOf("embeddings").structured).toBeUndefined();
  });
});

describe("serverHeaders", () => {
  it("sets anthropic-version on the Anthropic wire and not on OpenAI", () => {
    expect(serverHeaders(wireOf("messages"), "sk-ant", { "x-replay": "3" })).toEqual({
      "x-api-key": "sk-ant",
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
      "x-replay": "3",
    });
    expect(serverHeaders(wireOf("chat.completions"), "sk-oai")).toEqual({ authorization: "Bearer sk-oai", "content-type": "application/json" });
  });

  it("sends no key header without a key, and lets extra headers win", () => {
    expect(serverHeaders(wireOf("messages"), undefined, { "anthropic-version": "2024-01-01" })).toEqual({
      "content-type": "application/json",
      "anthropic-version": "2024-01-01",
    });
  });
});
