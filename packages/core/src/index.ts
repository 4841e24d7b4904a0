export * from "./errors.ts";
export * from "./deps.ts";
export * from "./upstreams.ts";
export * from "./calibrations/index.ts";
export * from "./scoring/index.ts";
export * from "./shadow/index.ts";
export * from "./routing/index.ts";
