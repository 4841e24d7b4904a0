import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { clientKeys, type ClientKeyRow } from "../schema/client-keys.ts";

export async function insertClientKey(
  db: Db,
  params: { id: string; name: string; keyHash: string; prefix: string },
): Promise<ClientKeyRow> {
  const rows = await db.insert(clientKeys).values(params).returning();
  const row = rows[0];
  if (!row) throw new Error("insert into client_keys returned no row");
  return row;
}

/** The active (not revoked) key with this hash, or null. */
export async function findActiveClientKeyByHash(db: Db, keyHash: string): Promise<Pick<ClientKeyRow, "id" | "name"> | null> {
  const rows = await db
    .select({ id: clientKeys.id, name: clientKeys.name })
    .from(clientKeys)
    .where(and(eq(clientKeys.keyHash, keyHash), isNull(clientKeys.revokedAt)))
    .limit(1);
  return rows[0] ?? null;
}

export async function listClientKeys(db: Db): Promise<Omit<ClientKeyRow, "keyHash">[]> {
  return db
    .select({ id: clientKeys.id, name: clientKeys.name, prefix: clientKeys.prefix, createdAt: clientKeys.createdAt, revokedAt: clientKeys.revokedAt })
    .from(clientKeys)
    .orderBy(desc(clientKeys.createdAt));
}

/**
 * Revokes the active keys matching an id, a name or a prefix; returns the revoked rows (none when
 * nothing matched). A name may cover several keys; the caller decides whether that is allowed.
 */
export async function revokeClientKeys(db: Db, ref: string): Promise<Pick<ClientKeyRow, "id" | "name" | "prefix">[]> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const match = or(isUuid ? eq(clientKeys.id, ref) : sql`false`, eq(clientKeys.name, ref), eq(clientKeys.prefix, ref));
  return db
    .update(clientKeys)
    .set({ revokedAt: new Date() })
    .where(and(match, isNull(clientKeys.revokedAt)))
    .returning({ id: clientKeys.id, name: clientKeys.name, prefix: clientKeys.prefix });
}
