/**
 * Every kind of request identifyPrompt sees, for the golden fixture that pins its output byte for byte:
 * the realistic families, the simulator's held-out families, bench's body, the shapes the grouping tests
 * build, and odd, hostile and oversized bodies. Deterministic, so the fixture stores outputs, not inputs.
 */
import { FAMILIES as SIMULATED, generateInput, requestBody } from "@proofgate/simulator";
import type { Endpoint } from "@proofgate/providers";
import type { IdentifyInput } from "../../src/prompts/identify.ts";
import { FAMILIES, rng } from "./prompt-families.ts";

export interface Case {
  name: string;
  input: IdentifyInput;
}

const ENDPOINTS: Endpoint[] = ["chat.completions", "responses", "messages", "embeddings"];

/** A copy of bench/lib.ts's chatBody, so a bench change does not move this fixture. */
const BENCH_BODY = {
  model: "gpt-4o-mini",
  messages: [
    { role: "system", content: "You are a support triage assistant. Answer with one word: billing, bug or other." },
    { role: "user", content: "Ticket 48213 from ana@example.com: I was charged twice for order 99812 yesterday." },
  ],
  temperature: 0,
};

const HOSTILE = ["<a>".repeat(4000), "[[".repeat(6000), "a1-".repeat(4000), `${"a.".repeat(6000)}@`, '"a '.repeat(4000), "Ab: c\n".repeat(2000), "```".repeat(4000)];

const chat = (system: string | null, user: string | null, extra: Record<string, unknown> = {}) => ({
  model: "gpt-4o",
  messages: [...(system === null ? [] : [{ role: "system", content: system }]), ...(user === null ? [] : [{ role: "user", content: user }])],
  ...extra,
});

function families(seed: number, perFamily: number): Case[] {
  const r = rng(seed);
  return FAMILIES.flatMap((make) =>
    Array.from({ length: perFamily }, (_, i) => {
      const s = make(r);
      return { name: `family ${s.family} seed ${seed} #${i}`, input: { endpoint: s.endpoint, body: s.body } };
    }),
  );
}

function simulated(): Case[] {
  return Object.entries(SIMULATED).flatMap(([kind, family]) =>
    [1, 2, 3].flatMap((seed) =>
      Array.from({ length: 4 }, (_, i) => ({
        name: `simulator ${kind} seed ${seed} #${i}`,
        input: { endpoint: "chat.completions" as const, body: requestBody(family, kind, generateInput(family, seed, kind, i), "gpt-4o") },
      })),
    ),
  );
}

function shapes(): Case[] {
  const base = chat("Rate the review.", "Review: great");
  const tool = { type: "function", function: { name: "rate", description: "Rate it.", parameters: { type: "object", properties: { n: { type: "integer" } } } } };
  const bodies: Array<[string, Endpoint, unknown]> = [
    ["base", "chat.completions", base],
    ["base other model", "chat.completions", { ...base, model: "gpt-4o-mini" }],
    ["json_object", "chat.completions", { ...base, response_format: { type: "json_object" } }],
    ["chat tool", "chat.completions", { ...base, tools: [tool] }],
    ["legacy functions", "chat.completions", { ...base, functions: [{ name: "rate", parameters: { type: "object" } }] }],
    ["odd tools", "chat.completions", { ...base, tools: [null, 3, "x", { type: "function" }, { name: "n", parameters: { b: undefined, a: [1, { d: 2, c: 1 }] } }] }],
    ["schema key order a", "chat.completions", { ...base, response_format: { type: "json_schema", json_schema: { name: "a", schema: { type: "object", required: [] } } } }],
    ["schema key order b", "chat.completions", { ...base, response_format: { json_schema: { schema: { required: [], type: "object" }, name: "a" }, type: "json_schema" } }],
    ["base as responses", "responses", base],
    ["developer and two systems", "chat.completions", { model: "o3", messages: [{ role: "developer", content: "Be terse." }, { role: "system", content: "Cite sources." }, { role: "user", content: "Why is the sky blue?" }] }],
    ["system that masks to nothing", "chat.completions", chat('"quoted only"', "What now?")],
    ["empty system", "chat.completions", chat("", "Hello there")],
    ["user only bare", "chat.completions", chat(null, "How do I reset my password?")],
    ["user json", "chat.completions", chat("Flag fraud.", '{"order": 1, "items": [1, 2]}')],
    ["user json array", "chat.completions", chat("Flag fraud.", "[1, 2, 3]")],
    ["user broken json", "chat.completions", chat("Flag fraud.", "{order: 1}")],
    ["crlf", "chat.completions", chat("Rules:\r\n- be kind\r\n- be brief", "Subject: hi\r\nBody:\r\nsome text here\r\n")],
    ["image part", "chat.completions", { model: "gpt-4o", messages: [{ role: "user", content: [{ type: "text", text: "What is in this image?" }, { type: "image_url", image_url: { url: "https://x.io/a.png" } }, "raw", 5] }] }],
    ["assistant first", "chat.completions", { model: "gpt-4o", messages: [{ role: "assistant", content: "Hi!" }, { role: "user", content: "Order ORD-1 is late" }] }],
    ["responses string input", "responses", { model: "gpt-4.1", instructions: "Translate to French.", input: "good morning" }],
    ["responses string input no instructions", "responses", { model: "gpt-4.1", input: "Translate to French: good morning" }],
    ["responses items", "responses", { model: "gpt-4.1", instructions: "Use the tools.", input: [{ type: "function_call_output", call_id: "c1", output: "42" }, { role: "user", content: [{ type: "input_text", text: "Total for 2026-01-02?" }] }], tools: [{ type: "function", name: "sum", parameters: { type: "object" } }] }],
    ["responses text format", "responses", { model: "gpt-4.1", input: "x", text: { format: { type: "json_schema", name: "f", schema: { type: "object" } } } }],
    ["responses text without format", "responses", { model: "gpt-4.1", input: "x", text: { verbosity: "low" } }],
    ["anthropic system blocks", "messages", { model: "claude-sonnet-4-5", system: [{ type: "text", text: "You are a lawyer." }, { type: "text", text: "Cite the statute, e.g. § 12(3)." }], messages: [{ role: "user", content: [{ type: "text", text: "Can I sublet?" }] }] }],
    ["anthropic odd system", "messages", { model: "claude", system: [1, { text: 2 }, { type: "image" }], messages: [{ role: "user", content: "hi" }] }],
    ["anthropic output format", "messages", { model: "claude", system: "Extract.", output_format: { type: "json_schema", schema: { type: "object" } }, messages: [{ role: "user", content: "Name: Jane Doe\nPhone: +1 555 0100" }] }],
    ["anthropic tools", "messages", { model: "claude", tools: [{ name: "t", description: "d", input_schema: { type: "object" } }, { type: "web_search_20250305", name: "web_search" }], messages: [{ role: "user", content: "Search the news" }] }],
    ["embeddings", "embeddings", { model: "text-embedding-3-small", input: ["a", "b"] }],
    ["no model", "chat.completions", { messages: [{ role: "user", content: "hi" }] }],
    ["non-string model", "chat.completions", { model: 5, messages: [{ role: "user", content: "hi" }] }],
    ["inline tokens", "chat.completions", chat("Today is 2026-03-04 14:05 UTC. Contact ops@acme.io or @oncall, see https://acme.io/runbook and www.acme.io. Budget $1,299.99, 15% off, 3.5k users, ticket #4411, build a3f9c2e1d, id 123e4567-e89b-12d3-a456-426614174000, v2.3.1, Jan 5th, 2026, 5 March 2026, 12/31/2025, 9:30 am. Ask Jane Doe of Acme Corp.", "Hi")],
    ["quotes and brackets", "chat.completions", chat("Reply in the style of “the bard” or «le poète» or „der Dichter“ or 'a poet' or `code`. Fill {{name}} and [[context]].", "Use <doc id=\"1\">the text</doc> and <note>unclosed")],
    ["fenced", "chat.completions", chat("Follow this format:\n```json\n{\"a\": 1}\n```\nand '''x''' and \"\"\"y\"\"\" and ```unterminated", "Code:\n```\nlet x = 1;\n```")],
    ["introduced long block", "chat.completions", chat(`Answer from the profile below.\n\nProfile:\n${"The customer has been with us since the spring and likes weekly updates about the account. ".repeat(6)}\n## Rules\n- be brief`, "Question: when do they renew?")],
    ["introduced short block", "chat.completions", chat("Rules:\n- be kind\n- be brief\nTone: friendly", "Hi")],
    ["field block fingerprint", "chat.completions", chat("Route it.", "From: a\nTo: b\nSubject: c\nPlan: d\n\nNote: e")],
    ["user introduced email", "chat.completions", chat("Summarise.", "Summarise this email:\nFrom: Jane\nSubject: Late order\nOne more small thing: it was cold.\n---\nThanks")],
    ["user prose with colon", "chat.completions", chat(null, "Classify this review: great product!\nhttps: not a label\nhttp://x.io: link")],
    ["user long paragraph", "chat.completions", chat(null, "word ".repeat(60))],
    ["unicode", "chat.completions", chat("Réponds en français. Ne donne jamais de conseils fiscaux. 日本語で答えてください。", "Où est ma commande n° 4411 ? 🙂")],
    ["lone surrogates", "chat.completions", chat("Be kind \uD800 and \uDC00 brief.", "Subject: \uDBFF")],
    ["whitespace", "chat.completions", chat("  \n\n\n  Be   brief.  \t\n\n\n\nVery.  ", "   ")],
    ["huge json user", "chat.completions", chat(null, JSON.stringify({ rows: Array.from({ length: 2000 }, (_, i) => ({ i, name: `row ${i}` })) }))],
    ["huge prose user", "chat.completions", chat(null, "lorem ipsum dolor sit amet ".repeat(3000))],
    ["huge prose system", "chat.completions", chat(`Rules: ${"Be precise, cite the 2026-01-01 policy and #12. ".repeat(600)}`, "Hi")],
    ["huge system with tail", "messages", { model: "claude", system: `${"Context paragraph about Acme Corp and order ORD-77. ".repeat(400)}\nAnswer: yes or no.`, messages: [{ role: "user", content: "Go" }] }],
  ];
  const cases: Case[] = bodies.map(([name, endpoint, body]) => ({ name, input: { endpoint, body } }));
  for (const [i, content] of HOSTILE.entries()) {
    cases.push({ name: `hostile user ${i}`, input: { endpoint: "chat.completions", body: chat(null, content) } });
    cases.push({ name: `hostile system ${i}`, input: { endpoint: "chat.completions", body: chat(content, "Hi") } });
  }
  for (const body of [null, undefined, 42, "text", [], {}, { messages: "x" }, { input: [null, 3] }, { system: [1, { text: 2 }] }, { messages: [null, "x", { role: "user" }] }]) {
    for (const endpoint of ENDPOINTS) cases.push({ name: `odd body ${JSON.stringify(body) ?? "undefined"} on ${endpoint}`, input: { endpoint, body } });
  }
  return cases;
}

function named(): Case[] {
  const headers = ["triage", " triage ", "  ", "", null, undefined, "Triage", "support/v2 — éclair", "x".repeat(300), "tri\uD800age"];
  return headers.map((promptHeader, i) => ({ name: `header #${i} ${JSON.stringify(promptHeader)?.slice(0, 20)}`, input: { endpoint: "chat.completions", body: BENCH_BODY, promptHeader } }));
}

export function identityCorpus(): Case[] {
  return [
    { name: "bench chatBody", input: { endpoint: "chat.completions", body: BENCH_BODY } },
    ...named(),
    ...families(42, 8),
    ...families(3, 4),
    ...simulated(),
    ...shapes(),
  ];
}
