import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { findActiveClientKeys, insertClientKey, listClientKeys, revokeClientKeys, updateClientKeyLimits, type ClientKeyLimits } from "@proofgate/db";
import { generateKey } from "../keys/key-material.ts";
import { openMigrated, UsageError, type CliContext, type Command } from "./context.ts";

const USAGE = `proofgate keys create --name <name> [limits]   create a client key (printed once)
proofgate keys update <id|name|prefix> [limits] change a key's limits (N, or none to remove one)
proofgate keys list                             list keys (prefix, name, limits, status; never the key)
proofgate keys revoke <id|name|prefix>          revoke a key
limits: --rpm N (requests per minute) --tpm N (tokens per minute) --daily-usd N --monthly-usd N`;

const limitOptions = {
  rpm: { type: "string" },
  tpm: { type: "string" },
  "daily-usd": { type: "string" },
  "monthly-usd": { type: "string" },
} as const;

const flags = { rpm: "rpm", tpm: "tpm", dailyUsd: "daily-usd", monthlyUsd: "monthly-usd" } as const satisfies Record<keyof ClientKeyLimits, string>;

/** A limit flag's value: a whole count for rates, a positive amount for USD; `none` removes it (update only). */
function limitValue(field: keyof ClientKeyLimits, text: string, allowNone: boolean): number | null {
  if (allowNone && text === "none") return null;
  const n = Number(text);
  const whole = field === "rpm" || field === "tpm";
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n)) || n > (whole ? 2_147_483_647 : 1e9)) {
    const want = whole ? "a whole number above 0" : "an amount in USD above 0";
    throw new UsageError(`--${flags[field]} must be ${want}${allowNone ? ", or none" : ""} (got '${text}')`);
  }
  return n;
}

function limitsFrom(values: Partial<Record<(typeof flags)[keyof typeof flags], string>>, allowNone: boolean): Partial<ClientKeyLimits> {
  const limits: Partial<ClientKeyLimits> = {};
  for (const [field, flag] of Object.entries(flags) as Array<[keyof ClientKeyLimits, (typeof flags)[keyof typeof flags]]>) {
    const text = values[flag];
    if (text !== undefined) limits[field] = limitValue(field, text, allowNone);
  }
  return limits;
}

function describeLimits(l: ClientKeyLimits): string {
  const parts = [l.rpm !== null ? `rpm=${l.rpm}` : "", l.tpm !== null ? `tpm=${l.tpm}` : "", l.dailyUsd !== null ? `daily-usd=${l.dailyUsd}` : "", l.monthlyUsd !== null ? `monthly-usd=${l.monthlyUsd}` : ""];
  return parts.filter(Boolean).join(" ") || "none";
}

async function create(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseArgs({ args, options: { name: { type: "string" }, ...limitOptions }, strict: true });
  const name = values.name?.trim();
  if (!name) throw new UsageError("keys create needs --name <name>");
  const limits = limitsFrom(values, false);
  const database = await openMigrated(ctx);
  try {
    const k = generateKey();
    const row = await insertClientKey(database.db, { id: randomUUID(), name, keyHash: k.keyHash, prefix: k.prefix, ...limits });
    ctx.err(`Created key "${row.name}" (id ${row.id}, limits: ${describeLimits(row)}). It is shown once; only its hash is stored:`);
    ctx.out(k.key);
    return 0;
  } finally {
    await database.close();
  }
}

async function update(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: limitOptions, allowPositionals: true, strict: true });
  const ref = positionals[0];
  if (!ref || positionals.length > 1) throw new UsageError("keys update needs one key id, name or prefix");
  const limits = limitsFrom(values, true);
  if (Object.keys(limits).length === 0) throw new UsageError(`keys update needs at least one limit\n${USAGE}`);
  const database = await openMigrated(ctx);
  try {
    const matches = await findActiveClientKeys(database.db, ref);
    if (matches.length === 0) {
      ctx.err(`No active key matches '${ref}'.`);
      return 1;
    }
    if (matches.length > 1) {
      ctx.err(`'${ref}' names ${matches.length} active keys; name one by its id or prefix: ${matches.map((m) => m.prefix).join(", ")}.`);
      return 1;
    }
    const row = await updateClientKeyLimits(database.db, matches[0]!.id, limits);
    if (!row) {
      ctx.err(`The key '${ref}' was revoked meanwhile.`);
      return 1;
    }
    ctx.out(`updated ${row.id} ${row.name} ${row.prefix}: ${describeLimits(row)}`);
    ctx.err("Running proxies apply new limits within 30 seconds (their verification cache).");
    return 0;
  } finally {
    await database.close();
  }
}

async function list(_args: string[], ctx: CliContext): Promise<number> {
  const database = await openMigrated(ctx);
  try {
    const rows = await listClientKeys(database.db);
    if (rows.length === 0) {
      ctx.err("No keys yet: create one with `proofgate keys create --name <name>`.");
      return 0;
    }
    ctx.out(["ID", "NAME", "PREFIX", "CREATED", "LIMITS", "STATUS"].join("\t"));
    for (const r of rows) {
      const status = r.revokedAt ? `revoked ${r.revokedAt.toISOString()}` : "active";
      ctx.out([r.id, r.name, r.prefix, r.createdAt.toISOString(), describeLimits(r), status].join("\t"));
    }
    return 0;
  } finally {
    await database.close();
  }
}

async function revoke(args: string[], ctx: CliContext): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  const ref = positionals[0];
  if (!ref || positionals.length > 1) throw new UsageError("keys revoke needs one key id, name or prefix");
  const database = await openMigrated(ctx);
  try {
    const revoked = await revokeClientKeys(database.db, ref);
    if (revoked.length === 0) {
      ctx.err(`No active key matches '${ref}'.`);
      return 1;
    }
    for (const r of revoked) ctx.out(`revoked ${r.id} ${r.name} ${r.prefix}`);
    ctx.err("Running proxies stop accepting a revoked key within 30 seconds (their verification cache).");
    return 0;
  } finally {
    await database.close();
  }
}

const subcommands: Record<string, (args: string[], ctx: CliContext) => Promise<number>> = { create, update, list, revoke };

export const keysCommand: Command = {
  summary: "create, update, list and revoke client keys",
  usage: USAGE,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    const fn = sub ? subcommands[sub] : undefined;
    if (!fn) throw new UsageError(sub ? `unknown keys command '${sub}'\n${USAGE}` : USAGE);
    return fn(rest, ctx);
  },
};
