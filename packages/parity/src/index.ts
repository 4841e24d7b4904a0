export * from "./judging/protocol.ts";
export * from "./judging/prompts.ts";
export * from "./judging/parse.ts";
export * from "./judging/score.ts";
