import { defineProcessor } from "../processor.ts";
import { NotImplementedError } from "../errors.ts";

// Typed entry point of the replay step; the replay itself (provider call, cost, storage) is part of the
// calibration flow. Until then it fails loudly rather than pretend a replay happened.
export const replayProcessor = defineProcessor("replay", async () => {
  throw new NotImplementedError("replay is not implemented yet: it arrives with the calibration flow");
});
