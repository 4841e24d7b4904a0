export { captures, type CaptureRow } from "./captures.ts";
export { clientKeys, type ClientKeyRow } from "./client-keys.ts";
export { prompts, type PromptRow } from "./prompts.ts";
