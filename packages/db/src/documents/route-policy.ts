import { calibratedAxisSchema, FORMAT_CONTRACT_VERSION, formatContractSchema, type CalibratedAxis, type FormatContract } from "@proofgate/parity";
import { z } from "zod";
import { calibrationSetup, type CalibrationSetup } from "./calibration-setup.ts";
import { defineDocument, type Stored } from "./stored.ts";

/** routes.contract: the engine's FormatContract carries its own version field. */
export const formatContract = defineDocument({
  name: "format-contract",
  version: FORMAT_CONTRACT_VERSION,
  schema: formatContractSchema,
  versionKey: "version",
});

const axesSchema: z.ZodType<{ axes: CalibratedAxis[] }> = z.object({ axes: z.array(calibratedAxisSchema) });

/** routes.calibrated: every row holds a bare array, and version 1 keeps writing one (no change to stored bytes). */
export const calibratedAxes = defineDocument({
  name: "calibrated-axes",
  version: 1,
  schema: axesSchema,
  unversioned: (raw) => (Array.isArray(raw) ? { axes: raw } : raw),
  write: (doc) => doc.axes,
});

/** What an approval gives a route: the contract served replies are checked against, the setup shadow samples are scored by, the calibrated axes the drift watch compares with. */
export interface RoutePolicy {
  contract: FormatContract;
  setup: CalibrationSetup;
  calibrated: CalibratedAxis[];
}

export interface StoredRoutePolicy {
  contract: Stored<"format-contract">;
  setup: Stored<"calibration-setup">;
  calibrated: Stored<"calibrated-axes">;
}

export function storeRoutePolicy(p: RoutePolicy): StoredRoutePolicy {
  return {
    contract: formatContract.store(p.contract),
    setup: calibrationSetup.store(p.setup),
    calibrated: calibratedAxes.store({ axes: p.calibrated }),
  };
}

/** The policy of an approved route; DocumentError (naming the column's document) when a part cannot be read. */
export function readRoutePolicy(row: { contract: unknown; setup: unknown; calibrated: unknown }): RoutePolicy {
  return {
    contract: formatContract.read(row.contract),
    setup: calibrationSetup.read(row.setup),
    calibrated: calibratedAxes.read(row.calibrated).axes,
  };
}
