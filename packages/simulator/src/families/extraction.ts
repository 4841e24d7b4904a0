import { Ajv } from "ajv";
import type { Rng } from "../rng.ts";
import type { Family, InputTruth, Meaning } from "./types.ts";
import {
  FIRST_NAMES, LAST_NAMES, formatJson, looseJson, readDate, sayDate, shiftDate, shuffleKeys, stripFence, MONTHS,
} from "./words.ts";

const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
type Priority = (typeof PRIORITIES)[number];

const URGENCY: Record<Priority, readonly string[]> = {
  low: ["No rush on this at all.", "Whenever you get a chance is fine."],
  normal: ["I would appreciate a reply this week.", "Please look into it in the coming days."],
  high: ["I need this sorted in the next day or two.", "This is pressing, please prioritise it."],
  urgent: ["This cannot wait, our shop reopens tomorrow morning.", "We are losing sales every hour until this is fixed."],
};
const URGENCY_OF = new Map<string, Priority>(
  PRIORITIES.flatMap((p) => URGENCY[p].map((s) => [s, p] as [string, Priority])),
);

export type Extracted = {
  customer: { name: string; email: string | null };
  order_id: string;
  items: { sku: string; quantity: number }[];
  priority: string;
  callback_date: string | null;
};
export type EmailInput = InputTruth & { record: Extracted };

const SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["customer", "order_id", "items", "priority", "callback_date"],
  properties: {
    customer: {
      type: "object",
      additionalProperties: false,
      required: ["name", "email"],
      properties: { name: { type: "string" }, email: { type: ["string", "null"] } },
    },
    order_id: { type: "string", pattern: "^ORD-[0-9]{5}$" },
    items: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["sku", "quantity"],
        properties: { sku: { type: "string" }, quantity: { type: "integer", minimum: 1 } },
      },
    },
    priority: { type: "string", enum: [...PRIORITIES] },
    callback_date: { type: ["string", "null"], pattern: "^2026-[0-9]{2}-[0-9]{2}$" },
  },
} as const;
const validate = new Ajv({ allErrors: false }).compile(SCHEMA);

function isoDate(said: string): string {
  const [d, m] = said.split(" ");
  const month = MONTHS.indexOf(m as (typeof MONTHS)[number]) + 1;
  return `2026-${String(month).padStart(2, "0")}-${String(Number(d)).padStart(2, "0")}`;
}
function saidDate(iso: string): string {
  const [, m, d] = iso.split("-");
  return `${Number(d)} ${MONTHS[Number(m) - 1]}`;
}

function alter(record: Extracted, drift: number): Extracted {
  const r = structuredClone(record);
  if (drift === 0) {
    const [first, last] = r.customer.name.split(" ");
    const i = FIRST_NAMES.indexOf(first as (typeof FIRST_NAMES)[number]);
    r.customer.name = `${FIRST_NAMES[(i + 1) % FIRST_NAMES.length]} ${last}`;
  } else if (drift === 1) {
    const n = Number(r.order_id.slice(4));
    r.order_id = `ORD-${String(((n + 1) % 90000) + 10000)}`;
  } else if (drift === 2) {
    r.items[0]!.quantity += 1;
  } else {
    r.callback_date = r.callback_date ? null : "2026-03-02";
  }
  return r;
}

function canonical(x: Extracted): string {
  const items = [...x.items].sort((a, b) => a.sku.localeCompare(b.sku)).map((i) => `${i.sku}x${i.quantity}`);
  return JSON.stringify([x.customer.name, x.customer.email, x.order_id, items, x.callback_date]);
}

export const extraction: Family<EmailInput> = {
  kind: "extraction",
  system:
    "Extract the order details from the customer email as JSON with the fields customer {name, email}, " +
    "order_id, items [{sku, quantity}], priority (low, normal, high or urgent) and callback_date " +
    "(YYYY-MM-DD or null). Use null for anything the email does not state.",
  labels: PRIORITIES,
  formatErrorHidesLabel: true,
  driftVariants: 4,
  responseFormat: "json_schema",
  schema: SCHEMA as unknown as Record<string, unknown>,
  generate(rng) {
    const truth = rng.pick(PRIORITIES);
    const i = PRIORITIES.indexOf(truth);
    const confusable = (i === 0 ? PRIORITIES[1] : i === 3 ? PRIORITIES[2] : PRIORITIES[i + (rng.chance(0.5) ? 1 : -1)]) as Priority;
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const items = Array.from({ length: 1 + rng.int(3) }, (_, k) => ({
      sku: `SKU-${String.fromCharCode(65 + rng.int(26), 65 + rng.int(26))}${10 + rng.int(90)}-${k}`,
      quantity: 1 + rng.int(5),
    }));
    const record: Extracted = {
      customer: { name: `${first} ${last}`, email: rng.chance(0.7) ? `${first}.${last}@example.com`.toLowerCase() : null },
      order_id: `ORD-${10000 + rng.int(90000)}`,
      items,
      priority: truth,
      callback_date: rng.chance(0.5) ? isoDate(`${1 + rng.int(28)} ${rng.pick(MONTHS)}`) : null,
    };
    return { truth, confusable, record };
  },
  renderInput({ record, truth, confusable }) {
    const r = record;
    const from = r.customer.email ? `From: ${r.customer.name} <${r.customer.email}>` : `From: ${r.customer.name}`;
    const items = r.items.map((x) => `${x.quantity} x ${x.sku}`).join(", ");
    const urgency = URGENCY[truth as Priority][r.items.length % 2] as string;
    const hint = URGENCY[confusable as Priority][0] as string;
    const lines = [
      from,
      `Subject: Problem with order ${r.order_id}`,
      "",
      "Hi team,",
      `My order ${r.order_id} arrived incomplete. It should have contained ${items}.`,
      urgency,
      `(My colleague would put it this way: "${hint}")`,
      r.callback_date ? `Please call me back on ${sayDate(saidDate(r.callback_date), 0)}.` : "No need to call me, email is fine.",
      "",
      `Thanks, ${r.customer.name.split(" ")[0]}`,
    ];
    return `Email:\n${lines.join("\n")}`;
  },
  parseInput(text) {
    const name = /^From: ([^<\n]+?)(?: <([^>]+)>)?$/m.exec(text);
    const order = /order (ORD-\d{5})/.exec(text);
    const itemsLine = /should have contained (.+)\.$/m.exec(text);
    if (!name || !order || !itemsLine) return null;
    const items = [...(itemsLine[1] as string).matchAll(/(\d+) x (SKU-[A-Z]{2}\d{2}-\d)/g)].map((m) => ({
      sku: m[2] as string,
      quantity: Number(m[1]),
    }));
    const hintAt = text.indexOf("(My colleague");
    let truth: Priority | null = null;
    let confusable: Priority | null = null;
    for (const [sentence, p] of URGENCY_OF) {
      const at = text.indexOf(sentence);
      if (at < 0) continue;
      if (hintAt >= 0 && at > hintAt) confusable = p;
      else truth = p;
    }
    if (!truth) return null;
    const call = /call me back on ([^.\n]+)\./.exec(text);
    const date = call ? readDate(call[1] as string) : null;
    return {
      truth,
      confusable: confusable ?? (truth === "low" ? "normal" : "low"),
      record: {
        customer: { name: (name[1] as string).trim(), email: name[2] ?? null },
        order_id: order[1] as string,
        items,
        priority: truth,
        callback_date: date ? isoDate(date) : null,
      },
    };
  },
  render(input, plan, rng) {
    let record = { ...input.record, priority: plan.label ?? input.truth ?? "normal" } as Extracted;
    if (plan.drift !== null) record = alter(record, plan.drift);
    const value: Record<string, unknown> = shuffleKeys(record, (k) => (rng.chance(0.5) ? rng.shuffle(k) : k)) as Record<string, unknown>;
    const fence = !plan.strictJson && rng.chance(0.1);
    if (!plan.formatError) return formatJson(value, rng.int(4), fence);
    // Every format error is broken JSON (a reader that learns the format from the baseline cannot learn it
    // away) whose meaning a lenient reader still recovers.
    const kind = rng.int(3);
    // a dropped comma between two fields
    if (kind === 0) return formatJson(value, 2, false).replace(/,\n(\s*")(?![\s\S]*,\n\s*")/, "\n$1");
    if (kind === 1) return formatJson(value, 2, false).replace(/\n\}$/, ",\n}");
    return formatJson(value, 2, false).replace(/^\{\n/, "{\n  // extracted from the customer email\n");
  },
  decode(text): Meaning | null {
    const v = looseJson(text) as Partial<Extracted> | null;
    if (!v || typeof v !== "object" || !v.customer || !Array.isArray(v.items)) return null;
    const x: Extracted = {
      customer: { name: String(v.customer.name ?? ""), email: v.customer.email ?? null },
      order_id: String(v.order_id ?? ""),
      items: v.items.map((i) => ({ sku: String(i.sku), quantity: Number(i.quantity) })),
      priority: String(v.priority ?? "").toLowerCase(),
      callback_date: v.callback_date ?? null,
    };
    return { label: x.priority || null, content: canonical(x) };
  },
  checkFormat(text) {
    try {
      return validate(JSON.parse(stripFence(text).trim()));
    } catch {
      return false;
    }
  },
};
