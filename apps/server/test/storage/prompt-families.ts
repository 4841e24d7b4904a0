/**
 * Realistic production prompt families with generated inputs, for measuring how well fingerprinting
 * groups requests. Each family is one template; inputs vary the way real traffic does (names, ids,
 * amounts, dates, multi-paragraph free text, optional fields, different lengths).
 */
import type { Endpoint } from "@proofgate/providers";

// Seeded draws: the one mulberry32 every simulation in the project uses.
export { mulberry32 as rng } from "@proofgate/parity";

export interface Sample {
  family: string;
  endpoint: Endpoint;
  body: unknown;
}

const FIRST = ["Jane", "Omar", "Li", "Priya", "Tom", "Sofia", "Mateo", "Aiko", "Noah", "Fatima", "Lukas", "Chloe"];
const LAST = ["Doe", "Haddad", "Wei", "Sharma", "Becker", "Rossi", "García", "Tanaka", "Smith", "Okafor", "Novak"];
const COMPANIES = ["Acme Corp", "Globex", "Initech", "Umbrella Health", "Stark Logistics", "Wayne Foods", "Hooli", "Vandelay Imports", "Pied Piper", "Soylent GmbH"];
const WORDS = (
  "the account invoice payment charged twice yesterday login password reset error page loading slow app crash " +
  "refund subscription plan upgrade downgrade export report dashboard team member invite email notification " +
  "delivery package warehouse shipment delayed tracking customer order support manager quarterly revenue growth " +
  "market launch product feature release roadmap budget hiring pipeline integration api webhook timeout retry " +
  "we our my they it was is not cannot after before when since because but and or so very really please help"
).split(" ");

export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const name = (r: () => number) => `${pick(r, FIRST)} ${pick(r, LAST)}`;
const email = (r: () => number) => `${pick(r, FIRST).toLowerCase()}.${pick(r, LAST).toLowerCase()}${int(r, 1, 99)}@${pick(r, ["gmail.com", "example.org", "acme.io", "corp.co.uk"])}`;
const date = (r: () => number) => `2026-${String(int(r, 1, 12)).padStart(2, "0")}-${String(int(r, 1, 28)).padStart(2, "0")}`;

function sentence(r: () => number): string {
  const n = int(r, 5, 18);
  const words = Array.from({ length: n }, () => pick(r, WORDS));
  if (r() < 0.3) words.splice(int(r, 0, n - 1), 0, String(int(r, 2, 5000)));
  if (r() < 0.2) words.splice(int(r, 1, n - 1), 0, pick(r, COMPANIES));
  const s = words.join(" ");
  return `${s[0]?.toUpperCase()}${s.slice(1)}${pick(r, [".", ".", "!", "?"])}`;
}
const paragraph = (r: () => number, lo: number, hi: number) => Array.from({ length: int(r, lo, hi) }, () => sentence(r)).join(" ");
const text = (r: () => number, paras: number) => Array.from({ length: int(r, 1, paras) }, () => paragraph(r, 1, 5)).join("\n\n");

const TICKET_SYSTEM =
  "You are a support triage assistant. Classify the customer ticket into exactly one category: billing, " +
  "technical, account or shipping. Also rate urgency from 1 to 5. Answer with JSON only.";

const ROUTING_SYSTEM =
  "You route customer tickets to a team: payments, platform, identity or logistics. Answer with the team name only.";

function ticket(r: () => number, system = TICKET_SYSTEM, family = "ticket-classification"): Sample {
  const lines = [`Ticket #${int(r, 10000, 99999)}`, `From: ${name(r)} <${email(r)}>`];
  if (r() < 0.5) lines.push(`Plan: ${pick(r, ["Free", "Pro", "Enterprise", "Team (annual)"])}`);
  lines.push(`Subject: ${sentence(r)}`, "", "Message:", text(r, 3));
  return {
    family,
    endpoint: "chat.completions",
    body: { model: "gpt-4o", temperature: 0, messages: [{ role: "system", content: system }, { role: "user", content: lines.join("\n") }] },
  };
}

const EXTRACT_SCHEMA = {
  type: "json_schema",
  json_schema: {
    name: "contact",
    strict: true,
    schema: {
      type: "object",
      properties: { name: { type: "string" }, company: { type: "string" }, phone: { type: ["string", "null"] }, meeting_date: { type: ["string", "null"] } },
      required: ["name", "company", "phone", "meeting_date"],
      additionalProperties: false,
    },
  },
};

function extraction(r: () => number): Sample {
  const who = name(r);
  const mail = [
    `Hi ${pick(r, FIRST)},`,
    paragraph(r, 1, 3),
    `Could we meet on ${date(r)} at ${int(r, 9, 17)}:${pick(r, ["00", "30"])}? You can reach me at +1 ${int(r, 200, 999)}-${int(r, 200, 999)}-${int(r, 1000, 9999)}.`,
    paragraph(r, 0, 2),
    `Best regards,\n${who}\n${pick(r, COMPANIES)}`,
  ].filter(Boolean);
  return {
    family: "json-extraction",
    endpoint: "chat.completions",
    body: {
      model: "gpt-4o-mini",
      response_format: EXTRACT_SCHEMA,
      messages: [
        { role: "system", content: "Extract the sender's contact details from the email. Use null when a field is absent." },
        { role: "user", content: `Email:\n"""\n${mail.join("\n\n")}\n"""` },
      ],
    },
  };
}

const LEAD_TOOL = {
  name: "record_lead",
  description: "Record the qualification of an inbound sales lead.",
  input_schema: {
    type: "object",
    properties: { tier: { type: "string", enum: ["hot", "warm", "cold"] }, reason: { type: "string" } },
    required: ["tier", "reason"],
  },
};

function lead(r: () => number): Sample {
  const user = [
    `Name: ${name(r)}`,
    `Company: ${pick(r, COMPANIES)}`,
    `Employees: ${int(r, 3, 20000)}`,
    `Industry: ${pick(r, ["retail", "healthcare", "fintech", "logistics", "education", "manufacturing and industrial equipment"])}`,
    `Budget: ${pick(r, ["$5k", "$50,000", "unknown", "€120k per year", "not disclosed yet"])}`,
    `Website: https://${pick(r, ["acme", "globex", "initech", "hooli"])}${int(r, 1, 999)}.com`,
    "",
    `Their message: ${paragraph(r, 1, 4)}`,
    "",
    "Qualify this lead and call record_lead.",
  ];
  return {
    family: "lead-qualification",
    endpoint: "messages",
    body: {
      model: "claude-sonnet-4-5",
      max_tokens: 512,
      system: "You qualify inbound B2B sales leads for a logistics software company. Hot leads have budget and urgency.",
      tools: [LEAD_TOOL],
      tool_choice: { type: "tool", name: "record_lead" },
      messages: [{ role: "user", content: user.join("\n") }],
    },
  };
}

function summary(r: () => number): Sample {
  return {
    family: "summarisation",
    endpoint: "responses",
    body: {
      model: "gpt-4.1",
      instructions: "You write crisp executive summaries. Never invent facts.",
      input: [{ role: "user", content: [{ type: "input_text", text: `Summarize the following article in 3 bullet points:\n\n${text(r, 6)}` }] }],
    },
  };
}

function oneLiner(r: () => number): Sample {
  return {
    family: "one-sentence-summary",
    endpoint: "responses",
    body: {
      model: "gpt-4.1",
      instructions: "You write crisp executive summaries. Never invent facts.",
      input: [{ role: "user", content: [{ type: "input_text", text: `Write a one-sentence summary of this article:\n\n${text(r, 6)}` }] }],
    },
  };
}

const PRODUCTS = ["Acme UltraBlend 3000", "Nimbus Trail Runner", "PureGlow Vitamin C Serum", "Kodiak Tent 4P", "Lumen Desk Lamp", "Aero Pro Earbuds", "bamboo toothbrush set", "Zen Sleep Mask"];

function product(r: () => number): Sample {
  const features = Array.from({ length: int(r, 2, 5) }, () => pick(r, ["1200W motor", "BPA-free jar", "waterproof", "30-hour battery", "recycled materials", "USB-C charging", "machine washable", "lifetime warranty"]));
  const user = [
    `Write a product description for ${pick(r, PRODUCTS)} of about ${pick(r, [50, 80, 120])} words.`,
    `Category: ${pick(r, ["kitchen", "outdoor gear", "skincare", "home office", "audio", "personal care"])}`,
    `Price: $${int(r, 9, 400)}.${pick(r, ["00", "99", "49"])}`,
    "Key features:",
    ...features.map((f) => `- ${f}`),
    "",
    `Tone: ${pick(r, ["playful", "premium", "technical", "warm and friendly"])}`,
  ];
  return {
    family: "product-description",
    endpoint: "chat.completions",
    body: { model: "gpt-4o-mini", messages: [{ role: "user", content: user.join("\n") }] },
  };
}

function supportChat(r: () => number): Sample {
  const question = sentence(r).replace(/[.!]$/, "?");
  return {
    family: "support-chat",
    endpoint: "messages",
    body: {
      model: "claude-haiku-4-5",
      max_tokens: 300,
      system: [{ type: "text", text: "You are Acme's friendly help-center assistant. Answer from the help center only." }],
      messages: [{ role: "user", content: question }],
    },
  };
}

function embedding(r: () => number): Sample {
  return { family: "embeddings", endpoint: "embeddings", body: { model: "text-embedding-3-small", input: paragraph(r, 1, 3) } };
}

function multiTurnChat(r: () => number): Sample {
  const messages: Array<{ role: string; content: string }> = [
    { role: "system", content: "You are the in-app assistant of Acme Budget. Be brief and never give tax advice." },
  ];
  const first = r() < 0.5 ? sentence(r) : `Hi,\n${sentence(r)}\n${sentence(r)}\nThanks, ${pick(r, FIRST)}`;
  messages.push({ role: "user", content: first });
  for (let t = int(r, 0, 3); t > 0; t--) messages.push({ role: "assistant", content: paragraph(r, 1, 2) }, { role: "user", content: sentence(r) });
  return { family: "multi-turn-chat", endpoint: "chat.completions", body: { model: "gpt-4o-mini", messages } };
}

function rag(r: () => number): Sample {
  const docs = Array.from({ length: int(r, 2, 5) }, (_, i) => `[${i + 1}] ${pick(r, COMPANIES)} ${pick(r, ["pricing", "returns", "warranty", "shipping"])} policy\n${paragraph(r, 2, 6)}`);
  return {
    family: "rag-answer",
    endpoint: "chat.completions",
    body: {
      model: "gpt-4.1-mini",
      messages: [
        { role: "system", content: `You answer customer questions using only the documents below. If the answer is not in them, say you do not know.\n\nDocuments:\n\n${docs.join("\n\n")}` },
        { role: "user", content: sentence(r).replace(/[.!]$/, "?") },
      ],
    },
  };
}

function fewShot(r: () => number): Sample {
  return {
    family: "few-shot-sentiment",
    endpoint: "chat.completions",
    body: {
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "Label the sentiment of the review as positive, negative or mixed." },
        { role: "user", content: "The blender is loud but it crushes ice perfectly." },
        { role: "assistant", content: "mixed" },
        { role: "user", content: "Broke after two days. Never again." },
        { role: "assistant", content: "negative" },
        { role: "user", content: paragraph(r, 1, 3) },
      ],
    },
  };
}

function jsonInput(r: () => number): Sample {
  const order: Record<string, unknown> = {
    order_id: `ORD-${int(r, 10000, 99999)}`,
    customer: { name: name(r), email: email(r), account_age_days: int(r, 0, 3000) },
    items: Array.from({ length: int(r, 1, 6) }, () => ({ sku: `SKU-${int(r, 100, 999)}`, qty: int(r, 1, 5), price: int(r, 5, 900) })),
    shipping_country: pick(r, ["US", "DE", "FR", "NG", "BR"]),
  };
  if (r() < 0.4) order.notes = sentence(r);
  return {
    family: "json-input",
    endpoint: "chat.completions",
    body: {
      model: "gpt-4o",
      messages: [
        { role: "system", content: "Decide whether this order needs a manual fraud review. Answer yes or no with one reason." },
        { role: "user", content: JSON.stringify(order, null, r() < 0.5 ? 2 : undefined) },
      ],
    },
  };
}

/** Same user turn as the classifier, different instructions: a different template. */
const ticketRouting = (r: () => number) => ticket(r, ROUTING_SYSTEM, "ticket-routing");

export const FAMILIES = [(r: () => number) => ticket(r), ticketRouting, extraction, lead, summary, oneLiner, product, supportChat, embedding, multiTurnChat, rag, fewShot, jsonInput] as const;
