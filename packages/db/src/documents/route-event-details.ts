import { driftAxisStateSchema, type DriftAxisState } from "@proofgate/parity";
import { z } from "zod";
import { defineDocument } from "./stored.ts";

/**
 * The audit event's evidence: `version` is the route version the event made (not the document's `v`);
 * an approval adds the fingerprint, the fallback watch its rate and window, the drift watch its samples
 * and axis states.
 */
export interface RouteEventDetails {
  version: number;
  fingerprint?: string;
  rate?: number;
  window?: number;
  samples?: number;
  axes?: DriftAxisState[];
}

const schema: z.ZodType<RouteEventDetails> = z.object({
  version: z.number().int(),
  fingerprint: z.string().optional(),
  rate: z.number().optional(),
  window: z.number().optional(),
  samples: z.number().int().nonnegative().optional(),
  axes: z.array(driftAxisStateSchema).optional(),
});

/** route_events.details (null for policy events). */
export const routeEventDetails = defineDocument({ name: "route-event-details", version: 1, schema });
