import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { routeEvents, type RouteEventRow } from "../schema/route-events.ts";
import { routes, type RouteRow } from "../schema/routes.ts";

/** The channel every server process listens on; the payload is the prompt id that changed. */
export const ROUTES_CHANNEL = "proofgate_routes";

export async function getRoute(db: Db, promptId: string): Promise<RouteRow | undefined> {
  const [row] = await db.select().from(routes).where(eq(routes.promptId, promptId));
  return row;
}

export async function listRoutes(db: Db): Promise<RouteRow[]> {
  return db.select().from(routes).orderBy(asc(routes.promptId));
}

/** What a server process serves: the switched prompts only. */
export async function listActiveRoutes(db: Db): Promise<RouteRow[]> {
  return db.select().from(routes).where(eq(routes.state, "candidate"));
}

export interface ApproveRouteParams {
  promptId: string;
  baselineModel: string;
  candidateModel: string;
  calibrationId: string;
  fingerprint: string;
  contract: unknown;
  setup: unknown;
  calibrated: unknown;
  actor: string;
  reason: string;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

async function notify(tx: Tx | Db, promptId: string): Promise<void> {
  // Delivered at commit, so a listener never reloads before the change is visible.
  await tx.execute(sql`select pg_notify(${ROUTES_CHANNEL}, ${promptId})`);
}

/** Switches a prompt to a candidate and records who did it and on which report, in one transaction. */
export async function approveRoute(db: Db, p: ApproveRouteParams): Promise<RouteRow> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const values = {
      state: "candidate" as const,
      baselineModel: p.baselineModel,
      candidateModel: p.candidateModel,
      calibrationId: p.calibrationId,
      fingerprint: p.fingerprint,
      contract: p.contract,
      setup: p.setup,
      calibrated: p.calibrated,
      approvedBy: p.actor,
      approvedAt: now,
      revertedAt: null,
      revertReason: null,
      updatedAt: now,
    };
    const [row] = await tx
      .insert(routes)
      .values({ promptId: p.promptId, ...values })
      .onConflictDoUpdate({ target: routes.promptId, set: { ...values, version: sql`${routes.version} + 1` } })
      .returning();
    await tx.insert(routeEvents).values({
      id: randomUUID(),
      promptId: p.promptId,
      kind: "approve",
      actor: p.actor,
      model: p.candidateModel,
      calibrationId: p.calibrationId,
      reason: p.reason,
      details: { fingerprint: p.fingerprint, version: row!.version },
    });
    await notify(tx, p.promptId);
    return row!;
  });
}

export interface RevertRouteParams {
  promptId: string;
  actor: string;
  reason: string;
  /** Only revert this approval (a drift alarm about an older approval must not undo a newer one). */
  version?: number;
  details?: Record<string, unknown>;
}

/** Sends a prompt back to its baseline; undefined when it was not switched (or not that approval). */
export async function revertRoute(db: Db, p: RevertRouteParams): Promise<RouteRow | undefined> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const where = [eq(routes.promptId, p.promptId), eq(routes.state, "candidate")];
    if (p.version !== undefined) where.push(eq(routes.version, p.version));
    const [row] = await tx
      .update(routes)
      .set({ state: "baseline", revertedAt: now, revertReason: p.reason, updatedAt: now, version: sql`${routes.version} + 1` })
      .where(and(...where))
      .returning();
    if (!row) return undefined;
    await tx.insert(routeEvents).values({
      id: randomUUID(),
      promptId: p.promptId,
      kind: "revert",
      actor: p.actor,
      model: row.candidateModel,
      calibrationId: row.calibrationId,
      reason: p.reason,
      details: { ...p.details, version: row.version },
    });
    await notify(tx, p.promptId);
    return row;
  });
}

/** Turns the per-prompt auto-approve policy on or off (the row is created in state baseline if new). */
export async function setAutoApprove(
  db: Db,
  p: { promptId: string; baselineModel: string; autoApprove: boolean; actor: string },
): Promise<RouteRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(routes)
      .values({ promptId: p.promptId, baselineModel: p.baselineModel, autoApprove: p.autoApprove })
      .onConflictDoUpdate({ target: routes.promptId, set: { autoApprove: p.autoApprove, updatedAt: new Date() } })
      .returning();
    await tx.insert(routeEvents).values({
      id: randomUUID(),
      promptId: p.promptId,
      kind: "policy",
      actor: p.actor,
      reason: p.autoApprove ? "auto-approve turned on" : "auto-approve turned off",
    });
    return row!;
  });
}

/** The audit log, newest first; `before` pages on created_at. */
export async function listRouteEvents(
  db: Db,
  p: { promptId?: string | undefined; limit?: number; before?: Date | undefined } = {},
): Promise<RouteEventRow[]> {
  const where = [];
  if (p.promptId) where.push(eq(routeEvents.promptId, p.promptId));
  if (p.before) where.push(lt(routeEvents.createdAt, p.before));
  return db
    .select()
    .from(routeEvents)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(routeEvents.createdAt))
    .limit(p.limit ?? 100);
}
