import { tmpdir } from "node:os";
import { getPrompt, openDatabase, type Database } from "@proofgate/db";
import { createTestDatabase } from "@proofgate/db/testing";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard } from "../src/index.ts";
import { ADMIN_TOKEN, Browser, capture, insertCaptures, setupDatabase } from "./helpers.ts";

let setup: Awaited<ReturnType<typeof setupDatabase>>;
let database: Database;
let browser: Browser;
const day = 86_400_000;
const start = Date.parse("2026-11-01T00:00:00Z");

/** Prompt names in the order a list page shows them. */
function listed(page: string): string[] {
  return [...page.matchAll(/<th scope="row" data-label="Prompt">\s*<a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  setup = await setupDatabase();
  database = setup.database;
  // Three prompts over ten days: the costliest is not the busiest, so the two sorts disagree.
  const records = [];
  for (let i = 0; i < 10; i += 1) {
    const at = new Date(start + i * day);
    records.push(capture({ promptId: "summarise", promptName: "summarise", requestedModel: "gpt-4o", servedModel: "gpt-4o", costUsd: 0.5, createdAt: at,
      template: "[system]\nSummarise the call transcript.\n\n[user]\n‹…›", outputText: "## Summary\n- customer wants a refund" }));
    for (let j = 0; j < 5; j += 1) {
      records.push(capture({ promptId: "triage", promptName: "triage", costUsd: 0.01, createdAt: new Date(at.getTime() + j * 1000) }));
    }
  }
  records.push(capture({ promptId: "pf_7c1e", promptName: null, costUsd: 0.2, createdAt: new Date(start + 9 * day),
    template: "[user]\nTranslate 100% of this: ‹…›", outputText: "<script>alert(1)</script>" }));
  await insertCaptures(database, records);
  browser = new Browser(createDashboard({ db: database.db, adminToken: ADMIN_TOKEN, now: () => start + 10 * day }));
  await browser.signIn();
});
afterAll(async () => setup.close());

describe("prompts list", () => {
  it("lists every prompt by projected monthly baseline cost, with traffic per day", async () => {
    const res = await browser.get("/");
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(listed(page)).toEqual(["summarise", "pf_7c1e", "triage"]);
    // summarise: $5 over a 9-day span -> $16.67 a month; triage: 50 requests over 9 days -> 5.6 a day.
    expect(page).toContain("$16.67");
    expect(page).toContain("5.6/day");
    expect(page).toContain("3 prompts.");
    expect(page).toContain("no calibration yet");
  });

  it("sorts by traffic and by name, both ways, from query parameters alone", async () => {
    expect(listed(await (await browser.get("/?sort=traffic")).text())).toEqual(["triage", "summarise", "pf_7c1e"]);
    expect(listed(await (await browser.get("/?sort=traffic&dir=asc")).text())).toEqual(["pf_7c1e", "summarise", "triage"]);
    expect(listed(await (await browser.get("/?sort=name")).text())).toEqual(["pf_7c1e", "summarise", "triage"]);
    const page = await (await browser.get("/?sort=name&dir=desc")).text();
    expect(listed(page)).toEqual(["triage", "summarise", "pf_7c1e"]);
    expect(page).toMatch(/aria-sort="descending">\s*<a href="\/\?sort=name">/);
  });

  it("searches names, ids and templates, treating % and _ as plain characters", async () => {
    expect(listed(await (await browser.get("/?q=transcript")).text())).toEqual(["summarise"]);
    expect(listed(await (await browser.get("/?q=100%25")).text())).toEqual(["pf_7c1e"]);
    expect(listed(await (await browser.get("/?q=%25%25%25")).text())).toEqual([]);
    const none = await (await browser.get("/?q=nothing-like-this")).text();
    expect(none).toContain("No prompt matches");
    expect(none).toContain('value="nothing-like-this"');
  });

  it("falls back to defaults for malformed parameters", async () => {
    const res = await browser.get("/?sort=drop%20table&dir=sideways&page=-3");
    expect(res.status).toBe(200);
    expect(listed(await res.text())).toEqual(["summarise", "pf_7c1e", "triage"]);
  });
});

describe("prompt page", () => {
  it("shows the template, recent captures and the format contract inferred from them", async () => {
    const page = await (await browser.get("/prompts/summarise")).text();
    expect(page).toContain("Summarise the call transcript.");
    expect(page).toContain("customer wants a refund");
    expect(page).toMatch(/10 most recent successful outputs/);
    expect(page).toContain("No calibration yet.");
  });

  it("escapes captured text instead of running it", async () => {
    const page = await (await browser.get("/prompts/pf_7c1e")).text();
    expect(page).not.toContain("<script>alert(1)</script>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("answers an unknown prompt with a 404 page", async () => {
    const res = await browser.get("/prompts/no-such-prompt");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("There is no prompt with id");
  });

  it("answers an unknown calibration report with a 404 page", async () => {
    const res = await browser.get("/calibrations/no-such-calibration/report?model=gpt-4o-mini");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("There is no calibration with id");
  });

  it("renames a prompt, keeping its id, and refuses an empty name", async () => {
    const csrf = Browser.formToken(await (await browser.get("/prompts/pf_7c1e")).text());
    const bad = await browser.post("/prompts/pf_7c1e/rename", { _csrf: csrf, name: "   " });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("A name cannot be empty.");
    const ok = await browser.post("/prompts/pf_7c1e/rename", { _csrf: csrf, name: "Translate" });
    expect(ok.headers.get("location")).toBe("/prompts/pf_7c1e?renamed=1");
    expect((await getPrompt(database.db, "pf_7c1e"))?.name).toBe("Translate");
    expect(await (await browser.get("/prompts/pf_7c1e?renamed=1")).text()).toContain("Name saved.");
  });
});

describe("failures", () => {
  it("renders a designed error page, and logs the error under the request id it shows", async () => {
    // A database without proofgate's tables: every query is a fault of the statement (42P01), not an outage.
    const empty = await createTestDatabase();
    const broken = await openDatabase({ databaseUrl: empty.url, dataDir: tmpdir(), max: 1 });
    const logged: { fields: object; message: string }[] = [];
    const logger = { error: (fields: object, message: string) => logged.push({ fields, message }) };
    const b = new Browser(createDashboard({ db: broken.db, adminToken: ADMIN_TOKEN, logger }));
    await b.signIn();
    const res = await b.get("/").finally(async () => {
      await broken.close();
      await empty.drop();
    });
    expect(res.status).toBe(500);
    const page = await res.text();
    expect(page).toContain("<h1>Something went wrong</h1>");
    const shown = /Request id <code>([0-9a-f-]{36})<\/code>/.exec(page)?.[1];
    expect(shown).toBeDefined();
    expect(logged).toHaveLength(1);
    expect(logged[0]!.fields).toMatchObject({ reqId: shown });
  });
});

describe("mounted at / next to other routes", () => {
  it("leaves the other routes and the host's 404 alone", async () => {
    const host = new Hono();
    host.get("/v1/models", (c) => c.json({ data: [] }));
    host.route("/", createDashboard({ db: database.db, adminToken: ADMIN_TOKEN }));
    host.notFound((c) => c.json({ error: "unknown route" }, 404));
    const models = await host.request("/v1/models");
    expect(models.status).toBe(200);
    expect(models.headers.get("content-security-policy")).toBeNull();
    const unknown = await host.request("/v1/nothing");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: "unknown route" });
    expect((await host.request("/")).status).toBe(303);
  });
});
