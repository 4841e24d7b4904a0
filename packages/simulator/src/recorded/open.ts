import type { Scenario } from "../scenario.ts";
import type { RecordedStore } from "./store.ts";

export async function openRecordedStore(_scenario: Scenario, _dir?: string): Promise<RecordedStore | null> {
  throw new Error("recorded families are not supported yet");
}
