import { BullmqDriver } from "../src/index.ts";
import { queueDriverContract } from "./contract.ts";
import { deleteKeys, redisUrl, uniquePrefix } from "./helpers.ts";

queueDriverContract("bullmq", async (config) => {
  const prefix = uniquePrefix("contract");
  return { driver: new BullmqDriver({ url: redisUrl, prefix, config }), cleanup: async () => void (await deleteKeys(prefix)) };
});
