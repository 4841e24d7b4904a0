import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { insertClientKey, listClientKeys, revokeClientKeys } from "@proofgate/db";
import { generateKey } from "../keys/key-material.ts";
import { openMigrated, UsageError, type CliContext, type Command } from "./context.ts";

const USAGE = `proofgate keys create --name <name>   create a client key (printed once)
proofgate keys list                   list keys (prefix, name, status; never the key)
proofgate keys revoke <id|name|prefix> revoke a key`;

async function create(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseArgs({ args, options: { name: { type: "string" } }, strict: true });
  const name = values.name?.trim();
  if (!name) throw new UsageError("keys create needs --name <name>");
  const database = await openMigrated(ctx);
  try {
    const k = generateKey();
    const row = await insertClientKey(database.db, { id: randomUUID(), name, keyHash: k.keyHash, prefix: k.prefix });
    ctx.err(`Created key "${row.name}" (id ${row.id}). It is shown once; only its hash is stored:`);
    ctx.out(k.key);
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
    ctx.out(["ID", "NAME", "PREFIX", "CREATED", "STATUS"].join("\t"));
    for (const r of rows) {
      const status = r.revokedAt ? `revoked ${r.revokedAt.toISOString()}` : "active";
      ctx.out([r.id, r.name, r.prefix, r.createdAt.toISOString(), status].join("\t"));
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

const subcommands: Record<string, (args: string[], ctx: CliContext) => Promise<number>> = { create, list, revoke };

export const keysCommand: Command = {
  summary: "create, list and revoke client keys",
  usage: USAGE,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    const fn = sub ? subcommands[sub] : undefined;
    if (!fn) throw new UsageError(sub ? `unknown keys command '${sub}'\n${USAGE}` : USAGE);
    return fn(rest, ctx);
  },
};
