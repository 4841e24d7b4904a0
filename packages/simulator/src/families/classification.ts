import type { Rng } from "../rng.ts";
import type { Family, InputTruth, Meaning } from "./types.ts";
import { FIRST_NAMES, LAST_NAMES, findWord } from "./words.ts";

const LABELS = ["billing", "technical", "account", "shipping", "refund"] as const;
type Label = (typeof LABELS)[number];

/** the wrong label a reader plausibly picks for a ticket whose second theme is it */
const CONFUSABLE: Record<Label, readonly Label[]> = {
  billing: ["refund", "account"],
  technical: ["account"],
  account: ["technical", "billing"],
  shipping: ["refund"],
  refund: ["billing", "shipping"],
};

// Placeholders: {order} {amount} {device}. No sentence names a label word, so only meaning tells them apart.
const ISSUES: Record<Label, readonly string[]> = {
  billing: [
    "I was charged twice for my subscription this month, {amount} each time.",
    "My invoice shows a charge of {amount} that I do not recognise.",
    "The payment for my plan went through but the invoice still says unpaid.",
    "Why did my monthly bill go up to {amount} without any notice?",
  ],
  technical: [
    "The app crashes every time I open the settings page on my {device}.",
    "I keep getting an error when I try to upload a file, it says something went wrong.",
    "Sync has stopped working on my {device} since the last update.",
    "The dashboard will not load, it just spins forever on my {device}.",
  ],
  account: [
    "I cannot log in, it says my password is wrong even after resetting it.",
    "Please change the email address on my profile to my new work address.",
    "My two-factor codes are not being accepted when I sign in.",
    "I would like to add a second user to my workspace and cannot find where.",
  ],
  shipping: [
    "Order {order} was supposed to arrive last week and the tracking has not updated.",
    "The parcel for order {order} was delivered to the wrong address.",
    "Can you tell me when order {order} will leave your warehouse?",
    "The courier says order {order} is lost in transit.",
  ],
  refund: [
    "I returned order {order} two weeks ago and still have not received my money back ({amount}).",
    "I want my money back for order {order}, the item is not what was described.",
    "Please return the {amount} I paid for the cancelled order {order}.",
  ],
};
const GREETINGS = ["Hi,", "Hello there,", "Good morning,", "Hi support team,", "Dear support,"];
const SECOND = ["Also, less important:", "Unrelated, but while I am here:", "One more small thing:"];
const SIGNOFFS = ["Thanks,", "Kind regards,", "Cheers,", "Best,"];
const DEVICES = ["iPhone", "Android phone", "laptop", "tablet", "work PC"];

export type TicketInput = InputTruth & { text: string };

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
const PATTERNS: { label: Label; re: RegExp }[] = LABELS.flatMap((label) =>
  ISSUES[label].map((t) => ({ label, re: new RegExp(escape(t).replace(/\\\{\w+\\\}/g, ".+?"), "i") })),
);

function fill(template: string, rng: Rng): string {
  return template
    .replace("{order}", `#${100000 + rng.int(900000)}`)
    .replace("{amount}", `$${(5 + rng.int(195)).toString()}.${rng.int(10)}9`)
    .replace("{device}", rng.pick(DEVICES));
}

function decodeLabel(text: string): string | null {
  let best: { label: string; at: number } | null = null;
  for (const label of LABELS) {
    const at = findWord(text, label);
    if (at >= 0 && (!best || at < best.at)) best = { label, at };
  }
  return best?.label ?? null;
}

export const classification: Family<TicketInput> = {
  kind: "classification",
  system:
    "You are a support ticket router. Classify the customer ticket into exactly one category: billing, " +
    "technical, account, shipping or refund. Reply with the category name only.",
  labels: LABELS,
  formatErrorHidesLabel: false,
  driftVariants: 0,
  responseFormat: "text",
  schema: null,
  generate(rng) {
    const truth = rng.pick(LABELS);
    const confusable = rng.pick(CONFUSABLE[truth]);
    const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    const lines = [
      rng.pick(GREETINGS),
      fill(rng.pick(ISSUES[truth]), rng),
      `${rng.pick(SECOND)} ${fill(rng.pick(ISSUES[confusable]), rng)}`,
      `${rng.pick(SIGNOFFS)}\n${name}`,
    ];
    return { truth, confusable, text: lines.join("\n") };
  },
  renderInput: (input) => `Ticket:\n${input.text}`,
  parseInput(text) {
    const hits = PATTERNS.map((p) => ({ label: p.label, at: text.search(p.re) }))
      .filter((h) => h.at >= 0)
      .sort((a, b) => a.at - b.at);
    const first = hits[0];
    if (!first) return null;
    const second = hits.find((h) => h.label !== first.label);
    const confusable = second?.label ?? (CONFUSABLE[first.label][0] as Label);
    return { truth: first.label, confusable, text };
  },
  render(_input, plan, rng) {
    const label = plan.label ?? "technical";
    const cap = label[0]!.toUpperCase() + label.slice(1);
    if (plan.formatError) {
      // a labelled answer instead of the bare word: longer than any bare label, yet the label stays readable
      return rng.pick([`Classification: ${label}`, `Category: ${cap}.`, `CATEGORY: ${label.toUpperCase()}`]);
    }
    return rng.pick([label, label, label, cap, `${label}\n`, `${label}.`]);
  },
  decode(text): Meaning | null {
    const label = decodeLabel(text);
    return label ? { label, content: "" } : null;
  },
  checkFormat: (text) => /^\s*[A-Za-z]+\.?\s*$/.test(text) && decodeLabel(text) !== null,
};
