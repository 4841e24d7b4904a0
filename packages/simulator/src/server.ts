import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { SimulatorCore, type ProfilePatch } from "./engine.ts";
import { FaultPlan, type InjectedFault } from "./faults.ts";
import { Latency } from "./latency.ts";
import { openRecordedStore } from "./recorded/open.ts";
import { loadScenario, type FaultProfile, type Scenario } from "./scenario.ts";
import { controlRoutes } from "./control.ts";
import { messages } from "./wire/anthropic.ts";
import type { Env, SimContext } from "./wire/common.ts";
import { embeddings } from "./wire/embeddings.ts";
import { chatCompletions } from "./wire/openai-chat.ts";
import { responses } from "./wire/openai-responses.ts";

export type SimulatorOptions = {
  scenario: Scenario | string | URL;
  seed: number | string;
  port?: number;
  host?: string;
  /** simulate time to first token and tokens per second (default true; tests and benchmarks turn it off) */
  latency?: boolean;
  /** datasets directory for recorded families (default: env PROOFGATE_DATASETS, else ../shared/datasets) */
  datasetsDir?: string;
};

/** Builds the HTTP app over a simulator context; exported so it can be mounted without a socket. */
export function createApp(ctx: SimContext): Hono<Env> {
  const app = new Hono<Env>();
  app.post("/v1/chat/completions", (c) => chatCompletions(c, ctx));
  app.post("/v1/responses", (c) => responses(c, ctx));
  app.post("/v1/messages", (c) => messages(c, ctx));
  app.post("/v1/embeddings", (c) => embeddings(c, ctx));
  const models = (provider: "openai" | "anthropic") =>
    ctx.core.scenario.models.filter((m) => m.provider === provider);
  app.get("/v1/models", (c) => {
    // Anthropic clients send anthropic-version; answer each provider in its own list shape
    if (c.req.header("anthropic-version")) {
      const data = models("anthropic").map((m) => ({ type: "model", id: m.name, display_name: m.name, created_at: "2025-01-01T00:00:00Z" }));
      return c.json({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
    }
    return c.json({ object: "list", data: models("openai").map((m) => ({ id: m.name, object: "model", created: 1735689600, owned_by: "proofgate-simulator" })) });
  });
  app.route("/_sim", controlRoutes(ctx));
  app.onError((err, c) => c.json({ error: { message: err.message, type: "server_error", param: null, code: null } }, 500));
  return app;
}

export type Simulator = {
  url: string;
  port: number;
  core: SimulatorCore;
  scenario: Scenario;
  setProfile(model: string, family: string, patch: ProfilePatch): void;
  injectFault(model: string, fault: InjectedFault): void;
  setFaultRates(model: string, patch: Partial<FaultProfile>): void;
  reset(): void;
  close(): Promise<void>;
};

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const scenario = loadScenario(opts.scenario);
  const recorded = scenario.families.some((f) => f.kind === "recorded") ? await openRecordedStore(scenario, opts.datasetsDir) : null;
  const core = new SimulatorCore(scenario, opts.seed, recorded);
  const faults = new FaultPlan(scenario, opts.seed);
  const latency = new Latency(scenario, opts.seed, opts.latency ?? true);
  let n = 0;
  const ctx: SimContext = { core, faults, latency, nextId: (prefix) => `${prefix}sim${(n++).toString(36).padStart(6, "0")}` };
  const app = createApp(ctx);
  const host = opts.host ?? "127.0.0.1";
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    core,
    scenario,
    setProfile: (model, family, patch) => core.setProfile(model, family, patch),
    injectFault: (model, fault) => faults.inject(model, fault),
    setFaultRates: (model, patch) => faults.setRates(model, patch),
    reset() {
      core.resetProfiles();
      faults.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // held-open requests (simulated time-outs) must not keep the process alive
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
