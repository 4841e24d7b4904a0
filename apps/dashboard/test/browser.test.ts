import type { AddressInfo } from "node:net";
import type { ServerType } from "@hono/node-server";
import { getPrompt, type Database } from "@proofgate/db";
import { Hono } from "hono";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard } from "../src/index.ts";
import { exampleView } from "../src/report-model.ts";
import { approvePage, reportPage } from "../src/views/report.ts";
import { close, LAPTOP, launchChromium, listen, PHONE, shoot, signIn as signInAt } from "./browser-helpers.ts";
import { ADMIN_TOKEN, capture, insertCaptures, setupDatabase } from "./helpers.ts";
import { evidence, parityReport, view } from "./report-fixtures.ts";

let setup: Awaited<ReturnType<typeof setupDatabase>>;
let database: Database;
let server: ServerType;
let attacker: ServerType;
let base: string;
let browser: Browser;

beforeAll(async () => {
  setup = await setupDatabase();
  database = setup.database;
  const now = Date.now();
  const records = [];
  for (let i = 0; i < 24; i += 1) {
    const at = new Date(now - (24 - i) * 3_600_000);
    records.push(capture({ promptId: "support-triage", promptName: "support-triage", createdAt: at, costUsd: 0.0021,
      outputText: `{"category":"${i % 3 === 0 ? "billing" : "shipping"}","urgent":${i % 5 === 0}}` }));
    if (i % 2 === 0) {
      records.push(capture({ promptId: "call-summary", promptName: "call-summary", requestedModel: "claude-sonnet-4-5",
        servedModel: "claude-sonnet-4-5", provider: "anthropic", endpoint: "messages", createdAt: at, costUsd: 0.018,
        template: "[system]\nSummarise the support call for the CRM.\n\n[user]\nTranscript: ‹…›",
        outputText: "## Summary\n- The customer reports a late parcel.\n- Agent promised a refund.\n\n## Next step\n- Refund within 3 days." }));
    }
  }
  records.push(capture({ promptId: "pf_3a9d0c", promptName: null, createdAt: new Date(now - 600_000), status: 429,
    outputText: null, error: "rate limited by upstream", costUsd: null, template: "[user]\nTranslate to French: ‹…›" }));
  await insertCaptures(database, records);

  const app = new Hono();
  app.route("/", createDashboard({ db: database.db, adminToken: ADMIN_TOKEN }));
  // Calibrations are not stored yet: these test-only pages render the report views from engine-made evidence,
  // so their layout can be looked at and checked at both widths.
  const report = view(
    parityReport([evidence(1, 400, 0.97, 0.995), evidence(7, 400, 0.9, 0.93, "semantic"), { axis: "format", applicable: false, reason: "the outputs are free text with no structure to keep" }]),
    { examples: [exampleView({ sample: 4, captureId: "c", scores: { format: 1, categorical: null, semantic: 0.5 },
      details: { semanticJudge: { verdicts: ["different", "same"] } },
      request: { messages: [{ role: "user", content: "Ticket: parcel arrived broken, want my money back" }] },
      reference: '{"category":"refund","urgent":true}', candidate: '{"category":"damaged-item","urgent":true}' })] },
  );
  app.get("/test-preview/report", async (c) => c.html(await reportPage(report)));
  app.get("/test-preview/approve", async (c) =>
    c.html(await approvePage({ csrf: "preview", promptId: "support-triage", promptTitle: "support-triage", baseline: "gpt-4o",
      candidate: "gpt-4o-mini", calibrationId: "cal_1", savings: { baselineMonthlyUsd: 120, candidateMonthlyUsd: 7.5 }, shadowShare: 0.05 })),
  );
  ({ server, url: base } = await listen(app));

  // Another origin on the same host: same-site for cookies, so only the form token and the origin check stop it.
  const evil = new Hono();
  evil.get("/", (c) =>
    c.html(`<!doctype html><form id="f" method="post" action="${base}/prompts/support-triage/rename">
      <input name="name" value="hijacked"></form><script>document.getElementById("f").submit()</script>`),
  );
  ({ server: attacker } = await listen(evil));

  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await close(server);
  await close(attacker);
  await setup?.close();
});

async function signIn(page: Page, token = ADMIN_TOKEN): Promise<void> {
  await signInAt(page, base, token);
}

describe("dashboard in a browser", () => {
  it("refuses a wrong token, then signs in and lists the captured prompts", async () => {
    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    await signIn(page, "definitely-not-the-token");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("not the admin token");
    await shoot(page, "sign-in-refused");

    await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Prompts", level: 1 }).waitFor();
    const names = await page.locator("tbody th a").allTextContents();
    expect(names).toEqual(["call-summary", "support-triage", "pf_3a9d0c"]);
    expect(await page.locator("tbody tr").first().textContent()).toContain("claude-sonnet-4-5");
    await shoot(page, "prompts-laptop");

    await page.getByRole("link", { name: "Traffic" }).click();
    await page.waitForURL(/sort=traffic/);
    expect(await page.locator("tbody th a").first().textContent()).toBe("support-triage");
    await page.getByLabel("Search prompts").fill("CRM");
    await page.getByLabel("Search prompts").press("Enter");
    await page.waitForURL(/q=CRM/);
    expect(await page.locator("tbody th a").allTextContents()).toEqual(["call-summary"]);
    await context.close();
  });

  it("shows a prompt's template, captures and format contract, and is usable at phone width", async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await signIn(page);
    await page.getByRole("heading", { name: "Prompts", level: 1 }).waitFor();
    await shoot(page, "prompts-phone");
    // At phone width the table becomes cards: nothing may force sideways scrolling of the page.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await page.getByRole("link", { name: "support-triage" }).click();
    await page.getByRole("heading", { name: "support-triage", level: 1 }).waitFor();
    expect(await page.locator(".rules").textContent()).toContain("category");
    expect(await page.locator("pre.template").textContent()).toContain("Classify the ticket.");
    expect(await page.locator(".capture").count()).toBe(10);
    await shoot(page, "prompt-phone");

    await page.getByLabel("Display name").fill("Support ticket triage");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByRole("status").filter({ hasText: "Name saved." }).waitFor();
    expect((await getPrompt(database.db, "support-triage"))?.name).toBe("Support ticket triage");
    await context.close();
  });

  it("refuses forged actions: a form without its token, and a post from another origin", async () => {
    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${base}/prompts/call-summary`);
    await page.locator('form[action$="/rename"] input[name="_csrf"]').evaluate((el) => el.remove());
    await page.getByLabel("Display name").fill("forged");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByRole("heading", { name: "Request refused" }).waitFor();
    expect(await page.locator("main").textContent()).toContain("Reload the page and try again");
    await shoot(page, "csrf-refused");
    expect((await getPrompt(database.db, "call-summary"))?.name).toBe("call-summary");

    const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
    await page.goto(attackerUrl);
    await page.waitForURL(`${base}/prompts/support-triage/rename`);
    expect(await page.locator("h1").textContent()).toBe("Request refused");
    expect((await getPrompt(database.db, "support-triage"))?.name).not.toBe("hijacked");
    await context.close();
  });

  it("can be used from the keyboard: skip link first, visible focus, sign out", async () => {
    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    await signIn(page);
    await page.getByRole("heading", { name: "Prompts", level: 1 }).waitFor();
    await page.keyboard.press("Tab");
    const focused = page.locator(":focus");
    expect(await focused.textContent()).toBe("Skip to content");
    const outline = await focused.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).toBe("solid");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

    await page.goto(`${base}/routes`);
    expect(await page.locator("main").textContent()).toContain("Routing is not available.");
    await shoot(page, "routes-empty");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("status").filter({ hasText: "You are signed out." }).waitFor();
    await page.goto(`${base}/`);
    await page.waitForURL(/\/sign-in/);
    await context.close();
  });

  it("lays out a parity report and the approval confirmation at laptop and phone widths", async () => {
    for (const [name, viewport] of [["laptop", LAPTOP], ["phone", PHONE]] as const) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${base}/test-preview/report`);
      expect(await page.locator(".verdict-words").textContent()).toContain("Safe to switch.");
      expect(await page.locator("svg.axis-chart").count()).toBe(2);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await shoot(page, `report-${name}`);
      await page.goto(`${base}/test-preview/approve`);
      await shoot(page, `approve-${name}`);
      await context.close();
    }
  });
});
