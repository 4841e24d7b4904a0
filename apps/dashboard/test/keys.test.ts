import { randomUUID } from "node:crypto";
import { insertClientKey, revokeClientKey } from "@proofgate/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard } from "../src/index.ts";
import { ADMIN_TOKEN, Browser, setupDatabase } from "./helpers.ts";

let setup: Awaited<ReturnType<typeof setupDatabase>>;
let browser: Browser;
const ids = { limited: randomUUID(), free: randomUUID(), gone: randomUUID() };

beforeAll(async () => {
  setup = await setupDatabase();
  const db = setup.database.db;
  await insertClientKey(db, { id: ids.limited, name: "billing <svc>", keyHash: "stored-hash-1", prefix: "pgk_limited1", rpm: 60, dailyUsd: 5 });
  await insertClientKey(db, { id: ids.free, name: "free-svc", keyHash: "stored-hash-2", prefix: "pgk_freefree" });
  await insertClientKey(db, { id: ids.gone, name: "old-svc", keyHash: "stored-hash-3", prefix: "pgk_gonegone" });
  await revokeClientKey(db, ids.gone);
  const use = { [ids.limited]: { requestsThisMinute: 12, tokensThisMinute: 900, spentTodayUsd: 1.5, spentThisMonthUsd: 20 } };
  const keyUse = async (id: string) => use[id] ?? { requestsThisMinute: 0, tokensThisMinute: 0, spentTodayUsd: 0, spentThisMonthUsd: 0 };
  browser = new Browser(createDashboard({ db, adminToken: ADMIN_TOKEN, keyUse }));
  await browser.signIn();
});
afterAll(async () => setup.close());

describe("Keys page", () => {
  it("lists keys with their limits and current use, linked from the navigation", async () => {
    const res = await browser.get("/keys");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('<a href="/keys" aria-current="page">Keys</a>');
    expect(text).toContain("billing &lt;svc&gt;");
    expect(text).not.toContain("billing <svc>");
    const row = (name: string) => text.slice(text.indexOf(name), text.indexOf("</tr>", text.indexOf(name)));
    const limited = row("billing &lt;svc&gt;").replace(/\s+/g, " ");
    expect(limited).toContain('12 <span class="muted small">of 60</span>');
    expect(limited).toContain('900 <span class="muted small">no limit</span>');
    expect(limited).toContain('$1.50 <span class="muted small">of $5.00</span>');
    expect(limited).toContain('$20.00 <span class="muted small">no limit</span>');
    expect(row("old-svc")).toContain("revoked");
    expect(text).not.toContain("stored-hash");
  });

  it("is behind sign-in", async () => {
    const anonymous = new Browser(createDashboard({ db: setup.database.db, adminToken: ADMIN_TOKEN }));
    const res = await anonymous.get("/keys");
    expect(res.status).toBe(303);
    expect(await res.text()).not.toContain("free-svc");
  });
});
