import { doublePrecision, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Client keys, stored as a sha-256 of the key; the key itself is shown once, at creation. */
export const clientKeys = pgTable(
  "client_keys",
  {
    id: uuid("id").primaryKey(),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    /** The first characters of the key, so an operator can tell keys apart without the secret. */
    prefix: text("prefix").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    // Limits; null is no limit. Spend is in USD, priced like the key's captures.
    rpm: integer("rpm"),
    tpm: integer("tpm"),
    dailyUsd: doublePrecision("daily_usd"),
    monthlyUsd: doublePrecision("monthly_usd"),
  },
  (t) => [index("client_keys_name_idx").on(t.name)],
);

export type ClientKeyRow = typeof clientKeys.$inferSelect;
