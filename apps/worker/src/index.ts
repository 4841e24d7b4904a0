export { startWorkers, type StartWorkersOptions, type RunningWorkers, type CloseResult } from "./start-workers.ts";
export { defineProcessor, toJobHandler, type Processor, type AnyProcessor, type ProcessorContext } from "./processor.ts";
export { classifyError, httpFailureError, retryAfterMsFrom, NotImplementedError, type HttpFailure } from "./errors.ts";
export { replayProcessor } from "./processors/replay.ts";
export { judgeProcessor } from "./processors/judge.ts";
export { evaluateProcessor } from "./processors/evaluate.ts";
