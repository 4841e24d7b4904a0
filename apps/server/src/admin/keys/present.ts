import type { ClientKeyListing } from "@proofgate/db";
import { z } from "zod";
import type { KeyLimiter, KeyUse } from "../../limits/limiter.ts";

const count = z.number().int().min(1).max(2_147_483_647);
const usd = z.number().positive().max(1e9);

/** The limit fields of a key body: a number sets the limit, null removes it, absent leaves it. */
export const limitFields = {
  rpm: count.nullable().optional(),
  tpm: count.nullable().optional(),
  dailyUsd: usd.nullable().optional(),
  monthlyUsd: usd.nullable().optional(),
};

const unknownUse: KeyUse = { requestsThisMinute: null, tokensThisMinute: null, spentTodayUsd: null, spentThisMonthUsd: null };

/** A key's current use from the limit counters (unknown without them, or for a revoked key: nothing to count). */
export async function useOf(limiter: KeyLimiter | undefined, row: ClientKeyListing): Promise<KeyUse> {
  return limiter && row.revokedAt === null ? limiter.use(row.id) : unknownUse;
}

/** A key as the admin API shows it: never its hash, never the secret (that is shown once, at creation). */
export function presentKey(row: ClientKeyListing, use: KeyUse) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    status: row.revokedAt ? "revoked" : "active",
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    limits: { rpm: row.rpm, tpm: row.tpm, dailyUsd: row.dailyUsd, monthlyUsd: row.monthlyUsd },
    use,
  };
}
