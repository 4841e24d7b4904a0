import { Hono } from "hono";
import { FAULT_KINDS, type FaultKind } from "./faults.ts";
import { groundTruth } from "./ground-truth.ts";
import { generateTraffic } from "./traffic.ts";
import type { Env, SimContext } from "./wire/common.ts";

/**
 * Run-time control for tests of drift and resilience. Not part of any provider's API.
 *   PATCH /_sim/models/:model/profiles/:family   {formatErrorRate?, labelErrorRate?, selfNoise?, semanticDriftRate?}
 *   POST  /_sim/models/:model/faults             {kind, count?, retryAfterSeconds?}  (next `count` requests fail)
 *   PATCH /_sim/models/:model/fault-rates        {rate429?, rate500?, rate529?, timeoutRate?, streamCutRate?, ...}
 *   POST  /_sim/reset                            back to the scenario as loaded
 *   GET   /_sim/scenario                         the scenario in force
 *   GET   /_sim/ground-truth?family=&baseline=&candidate=   expected band and agreement per axis
 *   GET   /_sim/traffic?family=&n=&seed=&model=  generated client requests (for a demo in another process)
 */
export function controlRoutes(ctx: SimContext): Hono<Env> {
  const app = new Hono<Env>();
  const known = (model: string) => ctx.core.hasModel(model);
  app.patch("/models/:model/profiles/:family", async (c) => {
    const { model, family } = c.req.param();
    if (!known(model)) return c.json({ error: `no model ${model}` }, 404);
    const patch = (await c.req.json()) as Record<string, unknown>;
    const keys = ["formatErrorRate", "labelErrorRate", "selfNoise", "semanticDriftRate"];
    for (const [k, v] of Object.entries(patch)) {
      if (!keys.includes(k) || typeof v !== "number" || v < 0 || v > 1) return c.json({ error: `bad field ${k}` }, 400);
    }
    try {
      ctx.core.setProfile(model, family, patch);
    } catch (e) {
      return c.json({ error: (e as Error).message }, 400);
    }
    return c.json({ model, family, profile: ctx.core.profile(model, family) });
  });
  app.post("/models/:model/faults", async (c) => {
    const { model } = c.req.param();
    if (!known(model)) return c.json({ error: `no model ${model}` }, 404);
    const body = (await c.req.json()) as { kind?: string; count?: number; retryAfterSeconds?: number };
    if (!FAULT_KINDS.includes(body.kind as FaultKind)) return c.json({ error: `kind must be one of ${FAULT_KINDS.join(", ")}` }, 400);
    ctx.faults.inject(model, { kind: body.kind as FaultKind, count: body.count ?? 1, retryAfterSeconds: body.retryAfterSeconds });
    return c.json({ ok: true });
  });
  app.patch("/models/:model/fault-rates", async (c) => {
    const { model } = c.req.param();
    if (!known(model)) return c.json({ error: `no model ${model}` }, 404);
    ctx.faults.setRates(model, await c.req.json());
    return c.json({ model, faults: ctx.faults.profile(model) });
  });
  app.post("/reset", (c) => {
    ctx.core.resetProfiles();
    ctx.faults.clear();
    return c.json({ ok: true });
  });
  app.get("/scenario", (c) => c.json(ctx.core.scenario));
  app.get("/ground-truth", (c) => {
    const { family, baseline, candidate } = c.req.query();
    const s = ctx.core.scenario;
    try {
      return c.json(groundTruth(s, family ?? "", baseline ?? s.baseline ?? "", candidate ?? s.candidates?.[0] ?? ""));
    } catch (e) {
      return c.json({ error: (e as Error).message }, 400);
    }
  });
  app.get("/traffic", (c) => {
    const q = c.req.query();
    const n = Math.min(Number(q.n ?? 10), 10_000);
    try {
      const requests = generateTraffic({ scenario: ctx.core.scenario, family: q.family ?? "", n, seed: q.seed ?? 1, model: q.model });
      return c.json(requests.map(({ prompt, model, body }) => ({ prompt, model, body })));
    } catch (e) {
      return c.json({ error: (e as Error).message }, 400);
    }
  });
  return app;
}
