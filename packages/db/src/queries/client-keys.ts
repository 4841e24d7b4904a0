import { and, desc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client.ts";
import { clientKeys, type ClientKeyRow } from "../schema/client-keys.ts";

/** A key's limits; null is no limit. */
export type ClientKeyLimits = Pick<ClientKeyRow, "rpm" | "tpm" | "dailyUsd" | "monthlyUsd">;

/** A key as listings show it: everything but its hash. */
export type ClientKeyListing = Omit<ClientKeyRow, "keyHash">;

const listing = {
  id: clientKeys.id,
  name: clientKeys.name,
  prefix: clientKeys.prefix,
  createdAt: clientKeys.createdAt,
  revokedAt: clientKeys.revokedAt,
  rpm: clientKeys.rpm,
  tpm: clientKeys.tpm,
  dailyUsd: clientKeys.dailyUsd,
  monthlyUsd: clientKeys.monthlyUsd,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Active keys named by an id, a name or a prefix (an id that is not a uuid matches nothing by id). */
function activeByRef(ref: string): SQL | undefined {
  const match = or(UUID.test(ref) ? eq(clientKeys.id, ref) : sql`false`, eq(clientKeys.name, ref), eq(clientKeys.prefix, ref));
  return and(match, isNull(clientKeys.revokedAt));
}

function activeById(id: string): SQL | undefined {
  return UUID.test(id) ? and(eq(clientKeys.id, id), isNull(clientKeys.revokedAt)) : sql`false`;
}

export async function insertClientKey(
  db: Db,
  params: { id: string; name: string; keyHash: string; prefix: string } & Partial<ClientKeyLimits>,
): Promise<ClientKeyRow> {
  const rows = await db.insert(clientKeys).values(params).returning();
  const row = rows[0];
  if (!row) throw new Error("insert into client_keys returned no row");
  return row;
}

/** The active (not revoked) key with this hash, with its limits, or null. */
export async function findActiveClientKeyByHash(
  db: Db,
  keyHash: string,
): Promise<(Pick<ClientKeyRow, "id" | "name"> & ClientKeyLimits) | null> {
  const rows = await db
    .select({ id: clientKeys.id, name: clientKeys.name, rpm: clientKeys.rpm, tpm: clientKeys.tpm, dailyUsd: clientKeys.dailyUsd, monthlyUsd: clientKeys.monthlyUsd })
    .from(clientKeys)
    .where(and(eq(clientKeys.keyHash, keyHash), isNull(clientKeys.revokedAt)))
    .limit(1);
  return rows[0] ?? null;
}

export async function listClientKeys(db: Db, options: { active?: boolean } = {}): Promise<ClientKeyListing[]> {
  const query = db.select(listing).from(clientKeys);
  const filtered = options.active ? query.where(isNull(clientKeys.revokedAt)) : query;
  return filtered.orderBy(desc(clientKeys.createdAt));
}

/** The active keys an id, a name or a prefix names (a name may cover several). */
export async function findActiveClientKeys(db: Db, ref: string): Promise<ClientKeyListing[]> {
  return db.select(listing).from(clientKeys).where(activeByRef(ref)).orderBy(desc(clientKeys.createdAt));
}

/** Sets the given limits of an active key (a field left out stays; null removes that limit); null when no active key has this id. */
export async function updateClientKeyLimits(db: Db, id: string, limits: Partial<ClientKeyLimits>): Promise<ClientKeyListing | null> {
  if (Object.keys(limits).length === 0) {
    const rows = await db.select(listing).from(clientKeys).where(activeById(id)).limit(1);
    return rows[0] ?? null;
  }
  const rows = await db.update(clientKeys).set(limits).where(activeById(id)).returning(listing);
  return rows[0] ?? null;
}

/**
 * Revokes the active keys matching an id, a name or a prefix; returns the revoked rows (none when
 * nothing matched). A name may cover several keys; the caller decides whether that is allowed.
 */
export async function revokeClientKeys(db: Db, ref: string): Promise<Pick<ClientKeyRow, "id" | "name" | "prefix">[]> {
  return db
    .update(clientKeys)
    .set({ revokedAt: new Date() })
    .where(activeByRef(ref))
    .returning({ id: clientKeys.id, name: clientKeys.name, prefix: clientKeys.prefix });
}

/** Revokes the active key with this id (the admin API names keys by id only); null when there is none. */
export async function revokeClientKey(db: Db, id: string): Promise<ClientKeyListing | null> {
  const rows = await db.update(clientKeys).set({ revokedAt: new Date() }).where(activeById(id)).returning(listing);
  return rows[0] ?? null;
}
