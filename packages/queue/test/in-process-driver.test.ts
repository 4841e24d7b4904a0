import { InProcessDriver } from "../src/index.ts";
import { queueDriverContract } from "./contract.ts";

queueDriverContract("in-process", async (config) => ({ driver: new InProcessDriver({ config }), cleanup: async () => {} }));
