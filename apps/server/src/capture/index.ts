export { CaptureWriter, type CaptureWriterOptions } from "./writer.ts";
export { Spool } from "./spool.ts";
