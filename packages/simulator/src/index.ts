export { startSimulator, createApp, type Simulator, type SimulatorOptions } from "./server.ts";
export { SimulatorCore, sampleOutput, inputKeyOf, type ProfilePatch, type Sample } from "./engine.ts";
export { generateTraffic, generateInput, requestBody, familyOf, type TrafficRequest, type ChatBody } from "./traffic.ts";
export { groundTruth, type GroundTruth, type AxisTruth } from "./ground-truth.ts";
export { loadScenario, validateScenario, ScenarioError, SCHEMA_PATH, type Scenario, type Margins } from "./scenario.ts";
export { labelModel, planSample, type BehaviourProfile } from "./behaviour.ts";
export { FAMILIES, FAMILY_KINDS, type Family, type FamilyKind, type Meaning, type Plan } from "./families/index.ts";
export { idealVerdict, flawedVerdict, isJudgeRequest } from "./judge.ts";
export { FAULT_KINDS, type FaultKind, type InjectedFault } from "./faults.ts";
