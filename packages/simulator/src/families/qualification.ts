import { Ajv } from "ajv";
import type { Rng } from "../rng.ts";
import type { Family, InputTruth, Meaning } from "./types.ts";
import { COMPANIES, FIRST_NAMES, LAST_NAMES, formatJson, looseJson, shuffleKeys, stripFence } from "./words.ts";

const FACTORS = ["budget", "timeline", "size", "authority"] as const;
type Factor = (typeof FACTORS)[number];

export type Lead = { company: string; employees: number; budget: number; months: number; role: string };
export type LeadInput = InputTruth & { lead: Lead; factor: Factor };

const DECIDERS = ["VP of Operations", "Head of Procurement", "Director of IT"];
const CHIEFS = ["CEO", "CTO", "COO"];
const NON_DECIDERS = ["Marketing Intern", "Junior Analyst", "Student Researcher"];

// Each reason names only its own factor's words, so the factor a reason cites can be read back from it.
const REASONS: Record<Factor, { yes: readonly string[]; no: readonly string[] }> = {
  budget: {
    yes: ["Budget of {b} is well above our threshold.", "They have set aside {b}, which comfortably covers a deal."],
    no: ["Budget of {b} is too small for our minimum deal.", "Only {b} to spend, below what we need."],
  },
  timeline: {
    yes: ["They want to buy within {m} months, a near-term timeline.", "Timeline is short: purchase planned in {m} months."],
    no: ["Timeline of {m} months is too far out.", "No purchase planned for {m} months, timeline is too long."],
  },
  size: {
    yes: ["Company size of {e} employees fits our enterprise segment.", "With {e} employees they are a large account."],
    no: ["Only {e} employees, too small a company for us.", "Headcount of {e} employees is below our segment."],
  },
  authority: {
    yes: ["Contact is the {r}, a decision maker.", "The {r} can sign off on the purchase."],
    no: ["Contact is a {r} with no authority to decide.", "The {r} cannot sign off, not a decision maker."],
  },
};
const FACTOR_WORDS: Record<Factor, RegExp> = {
  budget: /\$|budget|spend/i,
  timeline: /timeline|months?\b|purchase planned/i,
  size: /employees|headcount|company size/i,
  authority: /decision maker|sign off|authority/i,
};

const SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["qualified", "reason"],
  properties: { qualified: { type: "boolean" }, reason: { type: "string", maxLength: 200 } },
} as const;
const validate = new Ajv().compile(SCHEMA);

function money(n: number): string {
  return `$${n.toLocaleString("en-US")}`;
}

function readFactor(reason: string): Factor | null {
  for (const f of FACTORS) if (FACTOR_WORDS[f].test(reason)) return f;
  return null;
}

/** Qualified when budget >= $20,000, purchase within 6 months, >= 50 employees and a decision maker. */
function judge(lead: Lead): { qualified: boolean; factor: Factor } {
  const fails: Factor[] = [];
  if (lead.budget < 20000) fails.push("budget");
  if (lead.months > 6) fails.push("timeline");
  if (lead.employees < 50) fails.push("size");
  if (NON_DECIDERS.includes(lead.role)) fails.push("authority");
  if (fails.length) return { qualified: false, factor: fails[0] as Factor };
  // a qualified lead has one standout strength, which the reason should cite
  if (lead.budget >= 150000) return { qualified: true, factor: "budget" };
  if (lead.months <= 1) return { qualified: true, factor: "timeline" };
  if (lead.employees >= 2000) return { qualified: true, factor: "size" };
  return { qualified: true, factor: "authority" };
}

export const qualification: Family<LeadInput> = {
  kind: "qualification",
  system:
    "You qualify inbound sales leads. A lead qualifies when it has a budget of at least $20,000, plans to " +
    "buy within 6 months, has at least 50 employees and the contact can make the decision. Answer in JSON: " +
    '{"qualified": true|false, "reason": "<one short sentence citing the deciding factor>"}.',
  labels: ["yes", "no"],
  formatErrorHidesLabel: true,
  driftVariants: 3,
  responseFormat: "json_object",
  schema: SCHEMA as unknown as Record<string, unknown>,
  generate(rng) {
    const qualified = rng.chance(0.5);
    const factor = rng.pick(FACTORS);
    const lead: Lead = {
      company: rng.pick(COMPANIES),
      employees: 60 + rng.int(1500),
      budget: 25000 + rng.int(100) * 1000,
      months: 2 + rng.int(5),
      role: rng.pick(DECIDERS),
    };
    if (qualified) {
      if (factor === "budget") lead.budget = 150000 + rng.int(100) * 5000;
      if (factor === "timeline") lead.months = 1;
      if (factor === "size") lead.employees = 2000 + rng.int(8000);
      if (factor === "authority") lead.role = rng.pick(CHIEFS);
    } else {
      if (factor === "budget") lead.budget = 2000 + rng.int(17) * 1000;
      if (factor === "timeline") lead.months = 9 + rng.int(15);
      if (factor === "size") lead.employees = 3 + rng.int(40);
      if (factor === "authority") lead.role = rng.pick(NON_DECIDERS);
    }
    const truth = qualified ? "yes" : "no";
    return { truth, confusable: qualified ? "no" : "yes", lead, factor };
  },
  renderInput({ lead }) {
    const name = `${FIRST_NAMES[lead.budget % FIRST_NAMES.length]} ${LAST_NAMES[lead.employees % LAST_NAMES.length]}`;
    return [
      "Lead:",
      `Name: ${name}`,
      `Role: ${lead.role}`,
      `Company: ${lead.company} (${lead.employees} employees)`,
      `Stated budget: ${money(lead.budget)}`,
      `Expected purchase: in ${lead.months} month${lead.months === 1 ? "" : "s"}`,
      "Notes: came in through the pricing page contact form.",
    ].join("\n");
  },
  parseInput(text) {
    const role = /^Role: (.+)$/m.exec(text)?.[1];
    const company = /^Company: (.+) \((\d+) employees\)$/m.exec(text);
    const budget = /^Stated budget: \$([\d,]+)$/m.exec(text)?.[1];
    const months = /^Expected purchase: in (\d+) months?$/m.exec(text)?.[1];
    if (!role || !company || !budget || !months) return null;
    const lead: Lead = {
      company: company[1] as string,
      employees: Number(company[2]),
      budget: Number(budget.replace(/,/g, "")),
      months: Number(months),
      role,
    };
    const j = judge(lead);
    return { truth: j.qualified ? "yes" : "no", confusable: j.qualified ? "no" : "yes", lead, factor: j.factor };
  },
  render(input, plan, rng) {
    const qualified = (plan.label ?? input.truth) === "yes";
    const factor = plan.drift === null ? input.factor : (FACTORS.filter((f) => f !== input.factor)[plan.drift] as Factor);
    const reason = rng
      .pick(REASONS[factor][qualified ? "yes" : "no"])
      .replace("{b}", money(input.lead.budget))
      .replace("{m} months", input.lead.months === 1 ? "1 month" : `${input.lead.months} months`)
      .replace("{e}", String(input.lead.employees))
      .replace("{r}", input.lead.role);
    const order = (k: string[]) => (rng.chance(0.3) ? [...k].reverse() : k);
    const fence = !plan.strictJson && rng.chance(0.1);
    if (!plan.formatError) return formatJson(shuffleKeys({ qualified, reason }, order), rng.int(4), fence);
    // broken JSON only, so no baseline sample can teach a contract to accept it; the meaning stays readable
    const kind = rng.int(3);
    if (kind === 0) return formatJson({ qualified, reason }, 2, false).replace(/: (true|false)/, (_m, b: string) => `: ${b === "true" ? "True" : "False"}`);
    if (kind === 1) return `${qualified ? "Yes" : "No"}, ${reason[0]!.toLowerCase()}${reason.slice(1)}`;
    return formatJson({ qualified, reason }, 2, false).replace(/\n\}$/, ",\n}");
  },
  decode(text): Meaning | null {
    const v = looseJson(text) as Record<string, unknown> | null;
    let yes: boolean | null = null;
    let reason = "";
    if (v) {
      const q = v.qualified ?? v.is_qualified;
      yes = q === true || q === "yes" || q === "true" ? true : q === false || q === "no" || q === "false" ? false : null;
      reason = String(v.reason ?? "");
    } else {
      const m = /^\s*(yes|no)\b[,.:\s-]*([\s\S]*)$/i.exec(text);
      if (m) {
        yes = (m[1] as string).toLowerCase() === "yes";
        reason = m[2] as string;
      }
    }
    if (yes === null) return null;
    return { label: yes ? "yes" : "no", content: readFactor(reason) ?? "unstated" };
  },
  checkFormat(text) {
    try {
      return validate(JSON.parse(stripFence(text).trim()));
    } catch {
      return false;
    }
  },
};
