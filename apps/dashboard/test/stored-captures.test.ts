import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard } from "../src/index.ts";
import { SHOWN_CHARS } from "../src/views/stored.ts";
import { ADMIN_TOKEN, Browser, capture, insertCaptures, setupDatabase } from "./helpers.ts";

let setup: Awaited<ReturnType<typeof setupDatabase>>;
const ORIGIN = "http://127.0.0.1:8080";

beforeAll(async () => {
  setup = await setupDatabase();
});
afterAll(async () => setup.close());

const dashboard = () => createDashboard({ db: setup.database.db, adminToken: ADMIN_TOKEN });

/** A value nested `depth` arrays deep, as JSON text (built without recursion). */
function deepJson(depth: number): string {
  return `${"[".repeat(depth)}"bottom"${"]".repeat(depth)}`;
}

describe("stored captures of any depth and size", () => {
  it("shows a prompt whose capture's request, reply, tool calls and output are 10,000 deep, quickly", async () => {
    const deep = capture({ promptId: "deep", promptName: "deep", outputText: deepJson(10_000) });
    await insertCaptures(setup.database, [deep]);
    // Written with SQL directly: such rows predate the ingress nesting limit and cannot be sent any more.
    // The text is brackets and one plain word, and the id a uuid, so both can stand in the statement.
    const text = deepJson(10_000);
    await setup.database.db.execute(
      `update captures set request = '${text}'::jsonb, response = '${text}'::jsonb, tool_calls = '${text}'::jsonb where id = '${deep.id}'`,
    );
    const browser = new Browser(dashboard(), ORIGIN);
    await browser.signIn();
    const started = performance.now();
    const res = await browser.get("/prompts/deep");
    const page = await res.text();
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(page).toContain("Nested more than 64 levels deep");
    expect(page).toContain("[…]");
    expect(elapsed).toBeLessThan(1000);
  });

  it("keeps the page small for a capture of several megabytes, and says it is cut", async () => {
    const huge = "word ".repeat(1_000_000);
    await insertCaptures(setup.database, [
      capture({
        promptId: "huge",
        promptName: "huge",
        request: { model: "gpt-4o", messages: [{ role: "user", content: huge }] },
        outputText: huge,
        template: `[user]\n${huge}`,
      }),
    ]);
    const browser = new Browser(dashboard(), ORIGIN);
    await browser.signIn();
    const res = await browser.get("/prompts/huge");
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page.length).toBeLessThan(huge.length / 10);
    expect(page).toContain(`Only the first ${SHOWN_CHARS.toLocaleString("en-US")} characters of this request are shown`);
    expect(page).toContain(`Only the first ${SHOWN_CHARS.toLocaleString("en-US")} characters of this output are shown`);
    expect(page).toContain(`Only the first ${SHOWN_CHARS.toLocaleString("en-US")} characters of this template are shown`);
  });
});
