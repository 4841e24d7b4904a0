import { getPrompt, type Database } from "@proofgate/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard, createSignInLink, SESSION_COOKIE } from "../src/index.ts";
import { ADMIN_TOKEN, Browser, capture, insertCaptures, setupDatabase } from "./helpers.ts";

let setup: Awaited<ReturnType<typeof setupDatabase>>;
let database: Database;
let clock = Date.parse("2026-11-20T10:00:00Z");
const TTL = 60 * 60 * 1000;

beforeAll(async () => {
  setup = await setupDatabase();
  database = setup.database;
  await insertCaptures(database, [capture({ promptId: "triage", promptName: "triage" })]);
});
afterAll(async () => setup.close());

function dashboard() {
  return createDashboard({ db: database.db, adminToken: ADMIN_TOKEN, now: () => clock, sessionTtlMs: TTL });
}

describe("signing in", () => {
  it("sends a visitor without a session to the sign-in page, remembering where they were going", async () => {
    const res = await new Browser(dashboard()).get("/prompts/triage");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in?next=%2Fprompts%2Ftriage");
  });

  it("refuses a wrong token and starts no session", async () => {
    const browser = new Browser(dashboard());
    const res = await browser.signIn("not-the-admin-token-at-all");
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("That is not the admin token of this server.");
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
    expect((await browser.get("/")).status).toBe(303);
  });

  it("refuses a sign-in form posted without its form token (login CSRF)", async () => {
    const browser = new Browser(dashboard());
    const res = await browser.post("/sign-in", { token: ADMIN_TOKEN, next: "/" });
    expect(res.status).toBe(403);
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("starts an http-only, SameSite=Strict session with the right token", async () => {
    const browser = new Browser(dashboard());
    const form = await browser.get("/sign-in?next=/prompts/triage");
    const res = await browser.post("/sign-in", {
      _csrf: Browser.formToken(await form.text()),
      token: ADMIN_TOKEN,
      next: "/prompts/triage",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/prompts/triage");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=3600/);
    const page = await browser.get("/prompts/triage");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<h1>triage</h1>");
  });

  it("never redirects to another site after sign-in", async () => {
    const browser = new Browser(dashboard());
    const form = await browser.get("/sign-in");
    const res = await browser.post("/sign-in", { _csrf: Browser.formToken(await form.text()), token: ADMIN_TOKEN, next: "//evil.example/x" });
    expect(res.headers.get("location")).toBe("/");
  });

  it("answers with a disabled page when no admin token is configured", async () => {
    const app = createDashboard({ db: database.db, adminToken: undefined });
    const res = await new Browser(app).get("/");
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("PROOFGATE_ADMIN_TOKEN");
  });
});

describe("sessions", () => {
  it("refuses an expired session: pages go back to sign-in, actions are refused", async () => {
    const browser = new Browser(dashboard());
    await browser.signIn();
    const csrf = Browser.formToken(await (await browser.get("/")).text());
    clock += TTL + 1;
    try {
      const page = await browser.get("/");
      expect(page.status).toBe(303);
      expect(page.headers.get("location")).toBe("/sign-in?next=%2F&expired=1");
      const action = await browser.post("/prompts/triage/rename", { _csrf: csrf, name: "late rename" });
      expect(action.status).toBe(401);
      expect((await getPrompt(database.db, "triage"))?.name).not.toBe("late rename");
    } finally {
      clock -= TTL + 1;
    }
  });

  it("refuses a tampered session cookie", async () => {
    const browser = new Browser(dashboard());
    await browser.signIn();
    const value = browser.cookies.get(SESSION_COOKIE)!;
    const [payload, mac] = value.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    claims.exp += 365 * 24 * 3600 * 1000;
    browser.cookies.set(SESSION_COOKIE, `${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${mac}`);
    expect((await browser.get("/")).status).toBe(303);
  });

  it("does not accept a session signed with another admin token", async () => {
    const other = new Browser(createDashboard({ db: database.db, adminToken: "another-admin-token-456789", now: () => clock }));
    await other.signIn("another-admin-token-456789");
    const browser = new Browser(dashboard());
    browser.cookies.set(SESSION_COOKIE, other.cookies.get(SESSION_COOKIE)!);
    expect((await browser.get("/")).status).toBe(303);
  });

  it("signs out: the cookie is cleared and the old session value no longer works", async () => {
    const app = dashboard();
    const browser = new Browser(app);
    await browser.signIn();
    const old = browser.cookies.get(SESSION_COOKIE)!;
    const csrf = Browser.formToken(await (await browser.get("/")).text());
    const res = await browser.post("/sign-out", { _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in?signed-out=1");
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
    const replay = new Browser(app);
    replay.cookies.set(SESSION_COOKIE, old);
    expect((await replay.get("/")).status).toBe(303);
  });
});

describe("CSRF protection", () => {
  const rename = async (browser: Browser, form: Record<string, string>, headers: Record<string, string> = {}) => {
    const res = await browser.post("/prompts/triage/rename", form, headers);
    return { status: res.status, text: await res.text(), name: (await getPrompt(database.db, "triage"))?.name };
  };

  it("refuses a forged action without the form token, and changes nothing", async () => {
    const browser = new Browser(dashboard());
    await browser.signIn();
    const result = await rename(browser, { name: "forged" });
    expect(result.status).toBe(403);
    expect(result.text).toContain("so it may not have come from this dashboard");
    expect(result.name).not.toBe("forged");
  });

  it("refuses a form token taken from another session", async () => {
    const app = dashboard();
    const mallory = new Browser(app);
    await mallory.signIn();
    const stolen = Browser.formToken(await (await mallory.get("/")).text());
    const victim = new Browser(app);
    await victim.signIn();
    const result = await rename(victim, { _csrf: stolen, name: "forged" });
    expect(result.status).toBe(403);
    expect(result.name).not.toBe("forged");
  });

  it("refuses an action sent from another origin even with a valid token", async () => {
    const browser = new Browser(dashboard());
    await browser.signIn();
    const csrf = Browser.formToken(await (await browser.get("/")).text());
    const result = await rename(browser, { _csrf: csrf, name: "cross-site" }, { origin: "http://evil.example" });
    expect(result.status).toBe(403);
    expect(result.name).not.toBe("cross-site");
  });

  it("accepts the same action with the session's form token", async () => {
    const browser = new Browser(dashboard());
    await browser.signIn();
    const csrf = Browser.formToken(await (await browser.get("/prompts/triage")).text());
    const result = await rename(browser, { _csrf: csrf, name: "Ticket triage" });
    expect(result.status).toBe(303);
    expect(result.name).toBe("Ticket triage");
  });
});

describe("one-time sign-in links", () => {
  const base = "http://127.0.0.1:8080";

  it("starts a session once, then refuses the same link", async () => {
    const app = dashboard();
    const link = createSignInLink({ adminToken: ADMIN_TOKEN, baseUrl: base, now: clock });
    const first = new Browser(app);
    const res = await first.get(link);
    expect(res.status).toBe(303);
    expect((await first.get("/")).status).toBe(200);
    const second = new Browser(app);
    const again = await second.get(link);
    expect(again.status).toBe(401);
    expect(second.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("refuses an expired link and a link minted for another token", async () => {
    const app = dashboard();
    const expired = createSignInLink({ adminToken: ADMIN_TOKEN, baseUrl: base, now: clock - 11 * 60 * 1000 });
    expect((await new Browser(app).get(expired)).status).toBe(401);
    const foreign = createSignInLink({ adminToken: "another-admin-token-456789", baseUrl: base, now: clock });
    expect((await new Browser(app).get(foreign)).status).toBe(401);
  });
});
