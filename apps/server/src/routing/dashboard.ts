import type { FileConfig } from "@proofgate/config";
import type { Db, RouteRow } from "@proofgate/db";
import type { PriceBook } from "@proofgate/providers";
import { approve, revert } from "./approve.ts";
import { realisedSavings } from "./savings.ts";

/** The routing operations the dashboard calls: the very ones behind the admin API and the CLI. */
export function dashboardRouting(o: { db: Db; config: FileConfig; prices: PriceBook; changed: () => void | Promise<void> }) {
  const deps = { db: o.db, config: o.config, changed: o.changed };
  return {
    approve: (p: { promptId: string; model: string; actor: string; reason?: string }) => approve(deps, p),
    revert: (p: { promptId: string; actor: string; reason?: string }) => revert(deps, p),
    savings: (route: RouteRow) => realisedSavings(o.db, o.config, o.prices, route),
    alpha: o.config.alpha,
    shadowShare: o.config.routing.shadowShare,
  };
}
