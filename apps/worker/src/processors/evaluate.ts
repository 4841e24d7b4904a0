import { defineProcessor } from "../processor.ts";
import { NotImplementedError } from "../errors.ts";

// Typed entry point of the sequential decision after each batch; the statistics live in packages/parity
// and are wired in with the calibration flow. Until then it fails loudly rather than decide anything.
export const evaluateProcessor = defineProcessor("evaluate", async () => {
  throw new NotImplementedError("evaluate is not implemented yet: it arrives with the calibration flow");
});
