/**
 * One recorded exchange as the proxy hands it to the capture writer. The writer persists it in batches;
 * nothing here is read on the request path. Secrets never appear: request bodies only, no auth headers.
 */
export interface CaptureRecord {
  /** UUIDv7 made by the proxy, so a retried batch write is idempotent (insert ... on conflict do nothing). */
  id: string;
  /** Resolved prompt id (stable: derived from the header name or the template fingerprint). */
  promptId: string;
  /** The name given in x-proofgate-prompt, or null when the prompt was found by fingerprint. */
  promptName: string | null;
  /** The template fingerprint's hash (also set for named prompts, so a template change is visible). */
  fingerprint: string;
  /** A readable template skeleton: instructions and the user turn with variable spans masked. */
  template: string;
  endpoint: "chat.completions" | "responses" | "messages" | "embeddings";
  provider: string;
  stream: boolean;
  requestedModel: string;
  servedModel: string;
  route: "baseline" | "candidate" | "fallback";
  /** Upstream HTTP status (or a proxy-made status when upstream was unreachable). */
  status: number;
  /** Request body as the client sent it (JSON; a JsonText of its bytes when the proxy has them). */
  request: unknown;
  /**
   * Response body (JSON; a JsonText when it is the provider's reply unchanged), or for streams the
   * reassembled message; null when nothing came back.
   */
  response: unknown;
  /** The assistant's text, reassembled (streams included), for the parity engine. */
  outputText: string | null;
  /** Tool calls the model made, reassembled. */
  toolCalls: unknown[] | null;
  error: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  latencyMs: number;
  ttfbMs: number | null;
  clientKeyId: string | null;
  upstreamRequestId: string | null;
  createdAt: Date;
}
