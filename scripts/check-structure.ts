// The structure rules of the house (file and function length, import cycles, walls between apps, jsonb
// casts, errors matched by text), checked over the product source. `--report` prints and exits 0.
// Usage: node scripts/check-structure.ts [--report] [root]
import { resolve } from "node:path";
import { checkStructure } from "./structure/check.ts";
import { formatReport } from "./structure/report.ts";

const args = process.argv.slice(2);
const reportOnly = args.includes("--report");
const root = resolve(args.find((a) => !a.startsWith("--")) ?? resolve(import.meta.dirname, ".."));
const result = checkStructure(root);
console.log(formatReport(result.offenders, result.files));
process.exitCode = result.offenders.length > 0 && !reportOnly ? 1 : 0;
