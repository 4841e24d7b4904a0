import { describe, expect, it } from "vitest";
import {
  CalibrationRefusal,
  CalibrationsUnavailable,
  InvalidInputError,
  NotFoundError,
  ProofgateError,
  RouteRefusal,
} from "../src/index.ts";

describe("domain errors", () => {
  it("a missing thing is not_found, and its reason is its message unless given", () => {
    const error = new NotFoundError("prompt_not_found", "No prompt with id 'p1'.");
    expect(error).toBeInstanceOf(ProofgateError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ kind: "not_found", code: "prompt_not_found", message: "No prompt with id 'p1'.", reason: "No prompt with id 'p1'.", param: null });
    expect(error.name).toBe("NotFoundError");
  });

  it("invalid input names the field at fault", () => {
    const error = new InvalidInputError("invalid_body", "'o3' is the prompt's baseline, not a candidate.", { param: "candidates", reason: "o3 is the baseline" });
    expect(error).toMatchObject({ kind: "invalid", code: "invalid_body", param: "candidates", reason: "o3 is the baseline" });
    expect(error.message).toBe("'o3' is the prompt's baseline, not a candidate.");
    expect(error.name).toBe("InvalidInputError");
  });

  it("a refused switch is a conflict with the refusal's code", () => {
    const error = new RouteRefusal("report_not_passing", "The report does not pass.");
    expect(error).toMatchObject({ kind: "conflict", code: "report_not_passing", message: "The report does not pass.", param: null });
    expect(error.name).toBe("RouteRefusal");
  });

  it("a refused calibration composes the admin API's sentence around its reason", () => {
    const error = new CalibrationRefusal("calibration_refused", "p1", "no candidate configured for o3");
    expect(error.message).toBe("Cannot calibrate prompt 'p1': no candidate configured for o3.");
    expect(error).toMatchObject({ kind: "conflict", code: "calibration_refused", promptId: "p1", reason: "no candidate configured for o3", param: null });
    expect(error.name).toBe("CalibrationRefusal");

    const cause = new Error("duplicate key");
    const running = new CalibrationRefusal("calibration_running", "p2", "a calibration of prompt p2 is already running", { cause });
    expect(running.message).toBe("Cannot calibrate prompt 'p2': a calibration of prompt p2 is already running.");
    expect(running).toMatchObject({ code: "calibration_running", promptId: "p2" });
    expect(running.cause).toBe(cause);
  });

  it("a server without calibration workers is unavailable, with the sentence and the short reason", () => {
    const error = new CalibrationsUnavailable();
    expect(error).toMatchObject({
      kind: "unavailable",
      code: "no_calibration_workers",
      message: "This server runs no calibration workers, so it cannot start a calibration.",
      reason: "this server runs no calibration workers",
    });
    expect(error.name).toBe("CalibrationsUnavailable");
    expect(error.cause).toBeUndefined();
  });
});
