export { chargeCaptures, keyLimits } from "./admit.ts";
export { LimitCounters, type CounterOptions } from "./counters.ts";
export { KeyLimiter, type KeyUse, type LimitName, type Refusal } from "./limiter.ts";
export { keyLimitMetrics } from "./metrics.ts";
