import type { CaptureRow, PromptRow } from "@proofgate/db";

/** A prompt as the admin API shows it: counters grouped, times as ISO strings. */
export function presentPrompt(p: PromptRow, options: { template?: boolean } = {}) {
  return {
    id: p.id,
    name: p.name,
    source: p.source,
    endpoint: p.endpoint,
    model: p.model,
    fingerprint: p.fingerprint,
    ...(options.template ? { template: p.template } : {}),
    traffic: { captures: p.captureCount, errors: p.errorCount },
    tokens: { input: p.inputTokens, output: p.outputTokens },
    costUsd: p.costUsd,
    firstSeenAt: p.firstSeenAt.toISOString(),
    lastSeenAt: p.lastSeenAt.toISOString(),
    renamedAt: p.renamedAt?.toISOString() ?? null,
  };
}

export function presentCapture(r: CaptureRow) {
  return {
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    endpoint: r.endpoint,
    provider: r.provider,
    stream: r.stream,
    requestedModel: r.requestedModel,
    servedModel: r.servedModel,
    route: r.route,
    status: r.status,
    fingerprint: r.fingerprint,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    costUsd: r.costUsd,
    latencyMs: r.latencyMs,
    ttfbMs: r.ttfbMs,
    clientKeyId: r.clientKeyId,
    upstreamRequestId: r.upstreamRequestId,
    error: r.error,
    outputText: r.outputText,
    toolCalls: r.toolCalls,
    request: r.request,
    response: r.response,
  };
}
