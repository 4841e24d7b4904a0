export { TEST_REDIS_URL as redisUrl, deleteKeys, sleep, uniquePrefix, waitFor } from "../src/testing.ts";
