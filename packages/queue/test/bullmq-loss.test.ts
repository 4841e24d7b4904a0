import { expect, it } from "vitest";
import { Redis } from "ioredis";
import { BullmqDriver } from "../src/index.ts";
import { deleteKeys, redisUrl, sleep, uniquePrefix, waitFor } from "./helpers.ts";

// The marker key that reveals a Redis which lost the queues' keys (the reconnect path, through a cut
// connection, is tested in apps/worker/test/queue-loss.test.ts).

it("of two processes watching one prefix, exactly one hears of each loss; unwatched, the marker is left alone", async () => {
  const prefix = uniquePrefix("loss");
  const drivers = [0, 1].map(() => new BullmqDriver({ url: redisUrl, prefix, lossCheckMs: 100 }));
  const redis = new Redis(redisUrl);
  const heard: number[] = [];
  const stops = drivers.map((d, i) => d.onLost(() => heard.push(i)));
  // Checks idle for five of their periods: the only way to see that nothing more is heard.
  const fiveChecks = () => sleep(500);
  try {
    // Each driver's first look (sent when watching began, so answered before this) arms it silently.
    await Promise.all(drivers.map((d) => d.counts("evaluate")));
    expect(await redis.exists(`${prefix}:loss-marker`)).toBe(1);
    await fiveChecks();
    expect(heard).toEqual([]);

    for (const loss of [1, 2]) {
      expect(await deleteKeys(prefix)).toBeGreaterThan(0);
      await waitFor(() => heard.length === loss, 5_000, `loss ${loss} to be heard`);
      await fiveChecks();
      expect(heard).toHaveLength(loss);
    }

    for (const stop of stops) stop();
    await deleteKeys(prefix);
    await fiveChecks();
    expect(heard).toHaveLength(2);
    expect(await redis.exists(`${prefix}:loss-marker`)).toBe(0);
  } finally {
    redis.disconnect();
    await Promise.all(drivers.map((d) => d.close()));
    await deleteKeys(prefix);
  }
});
