import {
  buildParityReport,
  createAxisState,
  decide,
  driftTest,
  inferContract,
  inferLabelSpec,
  mulberry32,
  observeBatch,
  type CalibratedAxis,
  type ParityReport,
} from "@proofgate/parity";
import { describe, expect, it } from "vitest";
import {
  axisScores,
  batchStats,
  calibratedAxes,
  calibrationReport,
  calibrationSetup,
  DocumentError,
  formatContract,
  judgmentDetails,
  readRoutePolicy,
  routeEventDetails,
  storeRoutePolicy,
  type Document,
} from "../src/index.ts";

/** What the jsonb column gives back for a written value. */
const column = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function report(candidateModel: string): ParityReport {
  const random = mulberry32(3);
  let semantic = createAxisState("semantic", { margin: 0.05 });
  for (let i = 0; i < 5; i++)
    semantic = observeBatch(
      semantic,
      Array.from({ length: 20 }, () => [random() < 0.95 ? 1 : 0, random() < 0.9 ? 1 : 0]),
    );
  const axes = [semantic, { axis: "format" as const, applicable: false as const, reason: "no contract" }];
  return buildParityReport({
    prompt: "p1",
    baselineModel: "big",
    candidateModel,
    alpha: 0.05,
    axes,
    decision: decide(axes, { alpha: 0.05, beta: 0.05, candidates: 2, maxPairs: 400 }),
    contract: inferContract(["a short answer", "another one"]),
  });
}

const contract = inferContract(['{"label":"a"}', '{"label":"b"}', '{"label":"a"}']);
const setup = { contract, labelSpec: inferLabelSpec(["yes", "no", "yes", "no", "yes"]) };
const calibrated: CalibratedAxis[] = [{ axis: "semantic", bandLow: 0.91, margin: 0.05 }];
const drift = driftTest(calibrated, [{ semantic: 1 }, { semantic: 0.5 }]);

/** A document of each kind, as its writer would be given it, and what its reader gives back. */
const examples: [Document<string, object, object>, object, object][] = [
  [calibrationSetup, setup, setup],
  [
    calibrationReport,
    { spendUsd: 1.25, pairs: 100, candidates: { small: report("small") } },
    { spendUsd: 1.25, pairs: 100, candidates: { small: report("small") }, unreadable: [] },
  ],
  [
    batchStats,
    { spendUsd: 0.5, candidates: { small: { verdict: "continue", reason: "not yet" } } },
    { spendUsd: 0.5, candidates: { small: { verdict: "continue", reason: "not yet" } } },
  ],
  [
    judgmentDetails,
    {
      format: { violations: ["no JSON object or array found"] },
      categorical: { outcome: "unequal", referenceLabel: "yes", otherLabel: null },
      categoricalJudge: { verdicts: ["A", "both"], positionConsistent: false },
      semanticJudge: { verdicts: ["same", "same"] },
    },
    {
      format: { violations: ["no JSON object or array found"] },
      categorical: { outcome: "unequal", referenceLabel: "yes", otherLabel: null },
      categoricalJudge: { verdicts: ["A", "both"], positionConsistent: false },
      semanticJudge: { verdicts: ["same", "same"] },
    },
  ],
  [axisScores, { format: 1, categorical: null, semantic: 0.5 }, { format: 1, categorical: null, semantic: 0.5 }],
  [formatContract, contract, contract],
  [calibratedAxes, { axes: calibrated }, { axes: calibrated }],
  [routeEventDetails, { version: 3, samples: 2, axes: drift.axes }, { version: 3, samples: 2, axes: drift.axes }],
];

describe("stored documents", () => {
  it.each(examples.map(([doc, written, read]) => [doc.name, doc, written, read] as const))(
    "%s round-trips through its column",
    (_name, doc, written, read) => {
      expect(doc.read(column(doc.store(written)))).toEqual(read);
    },
  );

  it("read rows written before documents carried a version as version 1", () => {
    expect(calibrationSetup.read(column(setup))).toEqual(setup);
    expect(axisScores.read({ format: null, categorical: 1, semantic: 0 })).toEqual({ format: null, categorical: 1, semantic: 0 });
    expect(routeEventDetails.read({ fingerprint: "f1", version: 2 })).toEqual({ fingerprint: "f1", version: 2 });
    expect(calibrationReport.read(column({ spendUsd: 2, pairs: 40, candidates: { small: report("small") } })).candidates["small"]).toEqual(
      report("small"),
    );
    // The route's calibrated axes have always been a bare array, and are still written as one.
    expect(calibratedAxes.read(column(calibrated))).toEqual({ axes: calibrated });
    expect(column(calibratedAxes.store({ axes: calibrated }))).toEqual(calibrated);
  });

  it("stamp the version: v, or the engine object's own version field", () => {
    expect(column(axisScores.store({ format: 1, categorical: null, semantic: 1 }))).toEqual({ format: 1, categorical: null, semantic: 1, v: 1 });
    expect(column(formatContract.store(contract))).toEqual(contract);
  });

  it("refuse a document written by a newer proofgate, naming it", () => {
    for (const [doc, written] of examples) {
      if (doc === calibratedAxes || doc === formatContract) continue;
      expect(() => doc.read({ ...(column(doc.store(written)) as object), v: 99 }), doc.name).toThrow(DocumentError);
    }
    expect(() => formatContract.read({ ...contract, version: 99 })).toThrow(/format-contract.*newer proofgate/);
    expect(() => calibratedAxes.read({ axes: calibrated, v: 99 })).toThrow(DocumentError);
    expect(readRoutePolicy.bind(null, { contract, setup: { ...setup, v: 99 }, calibrated })).toThrow(/calibration-setup/);
  });

  it("refuse a malformed document, and readOrNull calls it none", () => {
    expect(() => axisScores.read({ format: 2, categorical: null, semantic: 1 })).toThrow(DocumentError);
    expect(() => batchStats.read({ spendUsd: 0, candidates: { small: { verdict: "maybe", reason: "" } } })).toThrow(DocumentError);
    expect(batchStats.readOrNull("not a document")).toBeNull();
    expect(() => calibrationSetup.read(null)).toThrow(DocumentError);
  });

  it("list a candidate whose report is another version as unreadable and keep the others", () => {
    const stored = column(calibrationReport.store({ spendUsd: 3, pairs: 120, candidates: { small: report("small"), tiny: report("tiny") } }));
    const read = calibrationReport.read(
      JSON.parse(
        JSON.stringify(stored).replace(
          '"version":1,"prompt":"p1","baselineModel":"big","candidateModel":"tiny"',
          '"version":2,"prompt":"p1","baselineModel":"big","candidateModel":"tiny"',
        ),
      ),
    );
    expect(read.unreadable).toEqual(["tiny"]);
    expect(Object.keys(read.candidates)).toEqual(["small"]);
    expect(read.candidates["small"]).toEqual(report("small"));
  });

  it("read SQL null as none", () => {
    for (const [doc] of examples) {
      expect(doc.readOrNull(null)).toBeNull();
      expect(doc.readOrNull(undefined)).toBeNull();
    }
  });

  it("write and read a route's policy as its three columns", () => {
    const policy = { contract, setup, calibrated };
    const row = column(storeRoutePolicy(policy)) as { contract: unknown; setup: unknown; calibrated: unknown };
    expect(row.calibrated).toEqual(calibrated);
    expect(readRoutePolicy(row)).toEqual(policy);
  });
});
