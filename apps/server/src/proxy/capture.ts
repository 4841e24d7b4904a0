import { JsonText, type CaptureRecord } from "@proofgate/db";
import { decodeBody, upstreamRequestId, type Assembled, type PriceBook } from "@proofgate/providers";
import type { Logger } from "pino";
import type { CaptureSink } from "../deps.ts";
import type { HttpMetrics } from "../http/metrics.ts";
import type { Exchange } from "./exchange.ts";

export interface CaptureContext {
  sink: CaptureSink;
  prices: PriceBook;
  logger: Logger;
  metrics: HttpMetrics;
  /** Told each capture once built: its tokens and cost count against its client key's limits. */
  charge?: (record: CaptureRecord) => void;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export function buildCapture(x: Exchange, prices: PriceBook): CaptureRecord {
  const headers = x.headers ?? {};
  const contentType = headers["content-type"];
  const eventStream = typeof contentType === "string" && contentType.startsWith("text/event-stream");
  const encoding = headers["content-encoding"];
  let assembled: Assembled | null = null;
  let response: unknown = null;
  let unreadable: string | null = null;
  const chunks = x.reply.chunks;
  if (chunks.length > 0) {
    try {
      const text = decodeBody(chunks, typeof encoding === "string" ? encoding : undefined);
      assembled = x.wire.assemble(text, eventStream);
      // The reply as the provider sent it is kept as its text: no second serialisation.
      response = assembled.verbatim ? new JsonText(text) : assembled.response;
    } catch (error) {
      // The exchange is still recorded, with what went wrong in place of the response.
      unreadable = `response could not be read for capture: ${(error as Error).message}`;
    }
  }
  const usage = assembled?.usage ?? null;
  return {
    id: x.id,
    promptId: x.identity.promptId,
    promptName: x.identity.promptName,
    fingerprint: x.identity.fingerprint,
    template: x.identity.template,
    endpoint: x.wire.endpoint,
    provider: x.servedProvider ?? x.wire.provider,
    stream: x.stream,
    requestedModel: x.requestedModel,
    servedModel: x.decision.model,
    route: x.decision.route,
    status: x.status,
    request: new JsonText(x.requestBody.toString("utf8")),
    response,
    outputText: assembled?.outputText ?? null,
    toolCalls: assembled?.toolCalls ?? null,
    error: x.failure ?? x.reply.dropped ?? unreadable ?? assembled?.error ?? null,
    inputTokens: usage ? usage.inputTokens : null,
    outputTokens: usage ? usage.outputTokens : null,
    costUsd: usage ? prices.cost(x.servedProvider ?? x.wire.provider, x.upstreamModel ?? x.decision.model, usage) : null,
    latencyMs: round(x.endedAt - x.startedAt),
    ttfbMs: x.firstByteAt === null ? null : round(x.firstByteAt - x.startedAt),
    clientKeyId: x.clientKeyId,
    upstreamRequestId: x.headers ? upstreamRequestId(x.wire.provider, x.headers) : null,
    createdAt: x.createdAt,
  };
}

function handOver(x: Exchange, ctx: CaptureContext): void {
  let record: CaptureRecord;
  try {
    record = buildCapture(x, ctx.prices);
  } catch (error) {
    ctx.metrics.captureFailures.inc();
    ctx.logger.error({ reqId: x.id, err: (error as Error).message }, "capture could not be built");
    return;
  }
  try {
    ctx.charge?.(record);
  } catch (error) {
    ctx.logger.error({ reqId: x.id, err: (error as Error).message }, "capture could not be charged to its key");
  }
  try {
    ctx.sink.push(record);
  } catch (error) {
    ctx.metrics.captureFailures.inc();
    ctx.logger.error({ reqId: x.id, err: (error as Error).message }, "capture sink refused the record");
  }
}

/**
 * Hands the exchange to the capture writer on a later turn of the event loop, after the response has been
 * sent: assembling a stream and pricing it never delays a byte. Nothing here may throw into the request.
 * Once the capture is handed over, the exchange's request and reply bytes leave the in-flight budget.
 */
export function captureLater(x: Exchange, ctx: CaptureContext): void {
  setImmediate(() => {
    try {
      handOver(x, ctx);
    } finally {
      x.reply.chunks = [];
      x.reservation?.release();
    }
  });
}
