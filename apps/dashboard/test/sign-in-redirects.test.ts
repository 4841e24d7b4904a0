import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard } from "../src/index.ts";
import { ADMIN_TOKEN, Browser, setupDatabase } from "./helpers.ts";

let setup: Awaited<ReturnType<typeof setupDatabase>>;
const ORIGIN = "http://127.0.0.1:8080";

beforeAll(async () => {
  setup = await setupDatabase();
});
afterAll(async () => setup.close());

const dashboard = () => createDashboard({ db: setup.database.db, adminToken: ADMIN_TOKEN });

/**
 * `next` values as they reach the server, after the query string or form is decoded. Each would leave the
 * site if it were echoed: browsers drop tabs and line breaks from a Location and read `\` as `/`.
 */
const hostile = [
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "\\/evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "/a/..//evil.example",
  "/.//evil.example",
  "https://evil.example/x",
  "HTTPS://evil.example",
  "http:evil.example",
  "//127.0.0.1:8080@evil.example/",
  "http://127.0.0.1:8080@evil.example/",
  "javascript:alert(document.domain)",
  " JavaScript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "/%2F%2Fevil.example",
  "%2F%2Fevil.example",
  "%5C%5Cevil.example",
  "/%09/evil.example",
];

/** Where a browser goes with this Location: the WHATWG parser, the one the fix relies on, and the browsers'. */
function destination(location: string | null): URL {
  expect(location).not.toBeNull();
  expect(location).not.toMatch(/[\u0000-\u001f\u007f\\]/);
  return new URL(location!, `${ORIGIN}/sign-in`);
}

describe("sign-in redirects stay on this origin", () => {
  it.each(hostile)("signed in, GET /sign-in?next=%j redirects on this origin", async (next) => {
    const browser = new Browser(dashboard(), ORIGIN);
    await browser.signIn();
    const res = await browser.get(`/sign-in?next=${encodeURIComponent(next)}`);
    expect(res.status).toBe(303);
    const to = destination(res.headers.get("location"));
    expect(to.origin).toBe(ORIGIN);
    expect(to.pathname.startsWith("//")).toBe(false);
  });

  it.each(hostile)("POST /sign-in with the right token and next=%j redirects on this origin", async (next) => {
    const browser = new Browser(dashboard(), ORIGIN);
    const form = await browser.get(`/sign-in?next=${encodeURIComponent(next)}`);
    expect(form.status).toBe(200);
    const page = await form.text();
    // The form's own hidden field, as a browser would send it back, is already made safe.
    const carried = /name="next" value="([^"]*)"/.exec(page)?.[1];
    expect(carried).toBeDefined();
    expect(destination(carried!.replaceAll("&amp;", "&")).origin).toBe(ORIGIN);
    // A tampered form sends the hostile value itself.
    const res = await browser.post("/sign-in", { _csrf: Browser.formToken(page), token: ADMIN_TOKEN, next });
    expect(res.status).toBe(303);
    expect(destination(res.headers.get("location")).origin).toBe(ORIGIN);
  });

  it("answers a raw, undecoded hostile query string with a redirect, never a 500", async () => {
    const browser = new Browser(dashboard(), ORIGIN);
    await browser.signIn();
    for (const query of ["next=/%0A/x", "next=/%0D%0A/x", "next=/%09/evil.example", "next=%2F%2Fevil.example", "next=/%5Cevil.example", "next=%E0%A4%A", "next=/%00/x", "next"]) {
      const res = await browser.get(`/sign-in?${query}`);
      expect(res.status, query).toBe(303);
      expect(destination(res.headers.get("location")).origin, query).toBe(ORIGIN);
    }
  });

  it("keeps a same-origin target, its query and fragment", async () => {
    const browser = new Browser(dashboard(), ORIGIN);
    await browser.signIn();
    const cases: [string, string][] = [
      ["/prompts/triage", "/prompts/triage"],
      ["/prompts/triage?renamed=1#captures-h", "/prompts/triage?renamed=1#captures-h"],
      ["/calibrations/c1/report?model=gpt-4o-mini", "/calibrations/c1/report?model=gpt-4o-mini"],
      ["/routes?x=a b", "/routes?x=a%20b"],
      [`${ORIGIN}/audit`, "/audit"],
      ["", "/"],
    ];
    for (const [next, location] of cases) {
      const res = await browser.get(`/sign-in?next=${encodeURIComponent(next)}`);
      expect(res.headers.get("location"), next).toBe(location);
    }
  });
});
