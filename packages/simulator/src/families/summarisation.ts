import type { Rng } from "../rng.ts";
import type { Family, InputTruth, Meaning } from "./types.ts";
import { FIRST_NAMES, LAST_NAMES, MONTHS, PROJECTS, readDate, sayDate, shiftDate, wordCount } from "./words.ts";

const DECISIONS = ["approved", "postponed", "cancelled", "expanded"] as const;
type Decision = (typeof DECISIONS)[number];
const DECISION_WORDS: Record<Decision, readonly string[]> = {
  approved: ["approved", "signed off on", "gave the green light to"],
  postponed: ["postponed", "pushed back", "delayed"],
  cancelled: ["cancelled", "scrapped", "called off"],
  expanded: ["expanded", "widened the scope of", "extended"],
};
// what a reader looks for: stems that survive both active and passive wording
const DECISION_STEMS: Record<Decision, readonly string[]> = {
  approved: ["approved", "signed off", "green light"],
  postponed: ["postponed", "pushed back", "delayed"],
  cancelled: ["cancelled", "scrapped", "called off"],
  expanded: ["expanded", "widened", "extended"],
};

export type Facts = { project: string; decision: Decision; owner: string; deadline: string; budget: number };
export type DocInput = InputTruth & { facts: Facts; filler: number[] };

const FILLER = [
  "The meeting started ten minutes late because the room was double booked.",
  "Several people joined remotely and the audio was poor at times.",
  "There was a long discussion about the office coffee machine.",
  "Someone asked whether the slides would be shared afterwards; they will be.",
  "The team reviewed last week's action items and most are done.",
  "A question about holiday cover was parked for another meeting.",
  "The facilities update was short: the lifts are being serviced.",
  "People agreed the weekly sync could stay at its current time.",
];

function readFacts(text: string): Partial<Facts> {
  const out: Partial<Facts> = {};
  const project = new RegExp(`\\b(${PROJECTS.join("|")})\\b`).exec(text);
  if (project) out.project = project[1];
  let at = Infinity;
  for (const d of DECISIONS) {
    for (const w of DECISION_STEMS[d]) {
      const i = text.toLowerCase().indexOf(w);
      if (i >= 0 && i < at) [at, out.decision] = [i, d];
    }
  }
  const owner = new RegExp(`\\b(${FIRST_NAMES.join("|")}) (${LAST_NAMES.join("|")})\\b`).exec(text);
  if (owner) out.owner = `${owner[1]} ${owner[2]}`;
  const date = readDate(text);
  if (date) out.deadline = date;
  const money = /\$(\d{1,3}(?:,\d{3})+|\d+)(k)?\b/.exec(text);
  if (money) out.budget = Number((money[1] as string).replace(/,/g, "")) * (money[2] ? 1000 : 1);
  return out;
}

function alter(f: Facts, drift: number): Facts {
  const g = { ...f };
  if (drift === 0) g.decision = DECISIONS[(DECISIONS.indexOf(f.decision) + 1) % DECISIONS.length] as Decision;
  if (drift === 1) {
    const [first, last] = f.owner.split(" ");
    g.owner = `${first} ${LAST_NAMES[(LAST_NAMES.indexOf(last as (typeof LAST_NAMES)[number]) + 1) % LAST_NAMES.length]}`;
  }
  if (drift === 2) g.deadline = shiftDate(f.deadline, 7);
  if (drift === 3) g.budget = f.budget + 15000;
  return g;
}

function sayMoney(n: number, variant: number): string {
  return variant % 2 ? `$${n / 1000}k` : `$${n.toLocaleString("en-US")}`;
}

export const summarisation: Family<DocInput> = {
  kind: "summarisation",
  system:
    "Summarise the meeting notes in two or three plain sentences for an executive. Keep the decision, the " +
    "owner, the deadline and the budget. No lists, no headings.",
  labels: null,
  formatErrorHidesLabel: false,
  driftVariants: 4,
  responseFormat: "text",
  schema: null,
  generate(rng) {
    const facts: Facts = {
      project: rng.pick(PROJECTS),
      decision: rng.pick(DECISIONS),
      owner: `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`,
      deadline: `${1 + rng.int(28)} ${rng.pick(MONTHS)}`,
      budget: (20 + rng.int(180)) * 1000,
    };
    return { truth: null, confusable: null, facts, filler: rng.shuffle(FILLER.map((_, i) => i)).slice(0, 5) };
  },
  renderInput({ facts, filler }) {
    const f = facts;
    const said = [
      `Agenda item one was project ${f.project}.`,
      `After some debate, the steering group ${DECISION_WORDS[f.decision][0]} project ${f.project}.`,
      `${f.owner} will own the work from here.`,
      `The deadline for the next milestone is ${sayDate(f.deadline, 0)}.`,
      `Finance confirmed a budget of ${sayMoney(f.budget, 0)} for it.`,
    ];
    const notes = [said[0], ...filler.slice(0, 2).map((i) => FILLER[i]), said[1], said[2],
      ...filler.slice(2).map((i) => FILLER[i]), said[3], said[4]];
    return `Meeting notes:\n${notes.join(" ")}`;
  },
  parseInput(text) {
    const f = readFacts(text);
    if (!f.project || !f.decision || !f.owner || !f.deadline || f.budget === undefined) return null;
    return { truth: null, confusable: null, facts: f as Facts, filler: [] };
  },
  render(input, plan, rng) {
    const f = plan.drift === null ? input.facts : alter(input.facts, plan.drift);
    const verb = rng.pick(DECISION_WORDS[f.decision]);
    const date = sayDate(f.deadline, rng.int(3));
    const money = sayMoney(f.budget, rng.int(2));
    const s1 = rng.pick([
      `The steering group ${verb} project ${f.project}.`,
      `Project ${f.project} was ${verb === "signed off on" ? "signed off" : verb === "gave the green light to" ? "given the green light" : verb === "widened the scope of" ? "widened in scope" : verb} by the steering group.`,
      `Leadership ${verb} ${f.project} at this meeting.`,
    ]);
    const s2 = rng.pick([
      `${f.owner} owns the work, with a deadline of ${date}.`,
      `${f.owner} is responsible and must deliver by ${date}.`,
      `The next milestone is due ${date}, led by ${f.owner}.`,
    ]);
    const s3 = rng.pick([`The budget is ${money}.`, `Finance has committed ${money}.`, `It is funded with ${money}.`]);
    const sentences = rng.chance(0.5) ? [s1, s2, s3] : [s1, s3, s2];
    if (!plan.formatError) return sentences.join(" ");
    // Far too long either way (several times a summary's length), so any length band learnt from the
    // baseline rejects it; the facts stay readable.
    const padding = FILLER.slice(0, 6).join(" ");
    if (rng.chance(0.5)) return `## Summary\n\n- ${sentences.join("\n- ")}\n\n## Background\n\n${padding} ${padding}`;
    return `${sentences.join(" ")} For context, the rest of the meeting covered routine matters. ${padding} ${padding}`;
  },
  decode(text): Meaning | null {
    // Padding in an over-long summary repeats the filler, which carries no facts: read only the facts.
    const f = readFacts(text);
    if (!f.decision && !f.owner) return null;
    return { label: null, content: JSON.stringify([f.project, f.decision, f.owner, f.deadline, f.budget]) };
  },
  checkFormat(text) {
    const n = wordCount(text);
    return n >= 15 && n <= 90 && !/^\s*([-*#]|\d+\.)/m.test(text);
  },
};
