export * from "./judging/protocol.ts";
