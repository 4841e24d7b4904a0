import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dispatcher } from "undici";
import { fromProviders } from "./resolve.ts";

/**
 * The floor: the least a Node proxy can do (read the body, forward it with undici, stream the answer back),
 * no auth, checks, prompt identity, logging, metrics or capture. Run under the same pinning as proofgate,
 * it shows how much of proofgate's added latency is the topology (two more hops, across cores) rather
 * than proofgate's own work. Not a product path: the bench's reference only.
 */
const { Pool } = await fromProviders<typeof import("undici")>("undici");
const upstream = new URL(process.env.OPENAI_UPSTREAM_URL!);
const pool: Dispatcher = new Pool(upstream.origin, { connections: 128, pipelining: 1 });
const base = upstream.pathname.replace(/\/+$/, "");

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    pool.dispatch(
      { path: base + req.url!.replace(/^\/v1/, ""), method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) },
      {
        onRequestStart: () => {},
        onResponseStart: (_c, status, headers) => {
          const out: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(headers)) if (v !== undefined && k !== "connection" && k !== "keep-alive" && k !== "transfer-encoding") out[k] = v;
          res.writeHead(status, out);
          if (String(headers["content-type"]).startsWith("text/event-stream")) res.flushHeaders();
        },
        onResponseData: (_c, chunk) => void res.write(chunk),
        onResponseEnd: () => res.end(),
        onResponseError: () => res.destroy(),
      },
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => console.log(`ready ${(server.address() as AddressInfo).port}`));
process.on("SIGTERM", () => process.exit(0));
