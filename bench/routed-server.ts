import type { AddressInfo } from "node:net";
import { compileContract, inferContract } from "../packages/parity/src/index.ts";
import { createApp } from "../apps/server/src/app.ts";
import type { ActiveRoute, RouteTable } from "../apps/server/src/proxy/route-table.ts";
import { fromServer } from "./resolve.ts";

const { serve } = await fromServer<typeof import("@hono/node-server")>("@hono/node-server");
const { loadConfig } = await fromServer<typeof import("@proofgate/config")>("@proofgate/config");
const { default: pino } = await fromServer<{ default: typeof import("pino").default }>("pino");
const { Registry } = await fromServer<typeof import("prom-client")>("prom-client");

/**
 * proofgate with every prompt of the bench's baseline switched to a candidate (the mock answers any model
 * the same), so a request pays the whole routed path: the in-memory lookup, the candidate call, holding
 * the reply and checking it against a format contract before a byte is sent. The contract is a text
 * contract inferred from the mock's own answer; ROUTED_CONTRACT=json uses a JSON one the answer fails,
 * which measures the check plus a fallback to the baseline on every request. Prints `ready <port>`.
 */
const config = loadConfig();
const logger = pino({ level: "silent" });
const answer = "The answer is 42, as always.";
const json = process.env.ROUTED_CONTRACT === "json";
const contract = inferContract(json ? ['{"label":"billing"}', '{"label":"bug"}', '{"label":"other"}'] : [answer, answer, answer]);
let served = 0;
let fellBack = 0;
const route: ActiveRoute = {
  promptId: "*",
  version: 1,
  baselineModel: "gpt-4o-mini",
  candidateModel: "gpt-4o-nano",
  candidateProvider: "openai",
  check: compileContract(contract),
  json: contract.mode === "json",
  timeoutMs: 5_000,
  report: (outcome) => void (outcome.fallback ? fellBack++ : served++),
};
const routes: RouteTable = {
  resolve: (_promptId, requestedModel) =>
    requestedModel === route.baselineModel ? { route: "candidate", model: route.candidateModel, routed: route } : { route: "baseline", model: requestedModel },
};
const app = createApp({ config, logger, metrics: new Registry(), captures: { push() {} }, keys: { verify: async () => null }, routes });
const server = serve({ fetch: app.fetch, port: config.env.PORT, hostname: "127.0.0.1" }, (info: AddressInfo) => {
  console.log(`ready ${info.port}`);
});
server.keepAliveTimeout = 60_000;
process.on("SIGUSR2", () => console.log(`routed ${served} fallback ${fellBack}`));
process.on("SIGTERM", () => {
  server.close();
  process.exit(0);
});
