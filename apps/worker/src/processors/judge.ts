import { defineProcessor } from "../processor.ts";
import { NotImplementedError } from "../errors.ts";

// Typed entry point of the judging step; its logic (packages/parity's judging prompts) is part of the
// calibration flow. Until then it fails loudly rather than invent a verdict.
export const judgeProcessor = defineProcessor("judge", async () => {
  throw new NotImplementedError("judge is not implemented yet: it arrives with the calibration flow");
});
