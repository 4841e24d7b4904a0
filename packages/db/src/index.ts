export type { CaptureRecord } from "./capture-record.ts";
