import type { SimulatorCore } from "../engine.ts";
import type { AnswerReader } from "../judge.ts";
import type { SimReply, SimRequest } from "../request.ts";

/** Serves real recorded outputs for recorded families, and reads their meaning for the judge. */
export type RecordedStore = {
  respond(core: SimulatorCore, req: SimRequest): SimReply | null;
  reader(task: string): AnswerReader | null;
};
