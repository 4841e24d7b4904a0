import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@proofgate/config";
import {
  CalibrationRefusal,
  CalibrationsUnavailable,
  InvalidInputError,
  NotFoundError,
  RouteRefusal,
  type ProofgateError,
} from "@proofgate/core";
import { insertCaptureBatch, migrate, openDatabase, type Database } from "@proofgate/db";
import { captureRecord, createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { httpErrorFrom } from "../../src/http/domain-errors.ts";
import { HttpError, renderError } from "../../src/http/errors.ts";
import { newRegistry, quietLogger } from "../storage/capture-fixtures.ts";

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

/**
 * Each domain error next to the HttpError the admin API builds by hand for the same refusal today: the
 * mapping must answer exactly as those do.
 */
const cases: { name: string; domain: ProofgateError; today: HttpError; status: number }[] = [
  {
    name: "an unknown prompt",
    domain: new NotFoundError("prompt_not_found", "No prompt with id 'p1'."),
    today: new HttpError("not_found", "No prompt with id 'p1'.", { code: "prompt_not_found" }),
    status: 404,
  },
  {
    name: "a calibration already running",
    domain: new CalibrationRefusal("calibration_running", "p1", "a calibration of prompt p1 is already running"),
    today: new HttpError("conflict", "Cannot calibrate prompt 'p1': a calibration of prompt p1 is already running.", { code: "calibration_running" }),
    status: 409,
  },
  {
    name: "a refused calibration",
    domain: new CalibrationRefusal("calibration_refused", "p1", "no candidate configured for o3"),
    today: new HttpError("conflict", "Cannot calibrate prompt 'p1': no candidate configured for o3.", { code: "calibration_refused" }),
    status: 409,
  },
  {
    name: "the baseline named as a candidate",
    domain: new InvalidInputError("invalid_body", "'o3' is the prompt's baseline, not a candidate.", { param: "candidates" }),
    today: new HttpError("invalid_request", "'o3' is the prompt's baseline, not a candidate.", { param: "candidates", code: "invalid_body" }),
    status: 400,
  },
  {
    name: "a server without calibration workers",
    domain: new CalibrationsUnavailable(),
    today: new HttpError("unavailable", "This server runs no calibration workers, so it cannot start a calibration.", { code: "no_calibration_workers", retry: false }),
    status: 503,
  },
  ...(["is_baseline", "no_report", "report_not_passing", "report_stale", "cross_provider_unsupported"] as const).map((code) => ({
    name: `a switch refused with ${code}`,
    domain: new RouteRefusal(code, `Refused: ${code}.`),
    today: new HttpError("conflict", `Refused: ${code}.`, { code }),
    status: 409,
  })),
];

describe("httpErrorFrom", () => {
  for (const { name, domain, today, status } of cases) {
    it(`answers ${name} as the admin API does today`, () => {
      const mapped = httpErrorFrom(domain);
      expect(mapped).toMatchObject({ kind: today.kind, code: domain.code, param: domain.param, message: domain.message, retry: false });
      expect(mapped.status).toBe(status);
      for (const protocol of ["openai", "anthropic"] as const) {
        const rendered = renderError(mapped, protocol, "req-1");
        expect(rendered).toEqual(renderError(today, protocol, "req-1"));
        expect(rendered.status).toBe(status);
        expect(rendered.headers["x-should-retry"]).toBe("false");
      }
      const body = JSON.parse(renderError(mapped, "openai", "req-1").body) as { error: { code: string; param: string | null }; request_id: string };
      expect(body).toMatchObject({ error: { code: domain.code, param: domain.param }, request_id: "req-1" });
    });
  }
});

describe("the app's onError", () => {
  const TOKEN = "admin-token-domain-errors-01";
  let testDb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    database = await openDatabase({ databaseUrl: testDb.url, dataDir: mkdtempSync(join(tmpdir(), "pg-domain-errors-")) });
    await migrate(database.db);
    await insertCaptureBatch(database.db, [captureRecord({ promptId: "triage", promptName: "triage" })]);
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it("maps a domain error thrown below a route to its status, code and message, with the request id", async () => {
    const config = loadConfig({ PROOFGATE_ADMIN_TOKEN: TOKEN, PORT: "0" });
    const refusal = new CalibrationRefusal("calibration_refused", "triage", "no candidate configured for gpt-4o");
    const app = createApp({
      config,
      logger: quietLogger(),
      metrics: newRegistry(),
      captures: { push() {} },
      keys: { verify: async () => null },
      db: database.db,
      calibrations: () => async () => {
        throw refusal;
      },
    });
    const res = await app.request("/api/prompts/triage/calibrations", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(409);
    expect(res.headers.get("x-should-retry")).toBe("false");
    const body = (await res.json()) as { error: { type: string; code: string; message: string; param: string | null }; request_id: string };
    expect(body.error).toEqual({ type: "invalid_request_error", code: "calibration_refused", message: refusal.message, param: null });
    expect(body.request_id).toBe(res.headers.get("x-proofgate-request-id"));
  });
});
