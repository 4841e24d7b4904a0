import { RULES, type Offender, type Rule } from "./types.ts";

const TITLES: Record<Rule, string> = {
  "file-length": "source files over the line limit",
  "function-length": "functions over the line limit",
  "import-cycle": "import cycles",
  "app-import": "imports across app walls",
  "jsonb-cast": "jsonb values cast with `as`",
  "error-match": "errors matched by name or message text",
};

export function countByRule(offenders: Offender[]): Record<Rule, number> {
  const counts = Object.fromEntries(RULES.map((rule) => [rule, 0])) as Record<Rule, number>;
  for (const offender of offenders) counts[offender.rule] += 1;
  return counts;
}

/** One line per offender (`file:line  reason`) under its rule, then a count per rule. */
export function formatReport(offenders: Offender[], fileCount: number): string {
  const lines: string[] = [];
  for (const rule of RULES) {
    const mine = offenders.filter((o) => o.rule === rule);
    if (mine.length === 0) continue;
    lines.push(`${rule}: ${TITLES[rule]}`);
    for (const o of mine) lines.push(`  ${o.file}:${o.line}  ${o.reason}`);
    lines.push("");
  }
  const counts = countByRule(offenders);
  lines.push(`structure: ${fileCount} source files checked`);
  for (const rule of RULES) lines.push(`  ${rule.padEnd(16)} ${counts[rule]}`);
  lines.push(offenders.length === 0 ? "structure: clean" : `structure: ${offenders.length} offenders`);
  return lines.join("\n");
}
