import type { Assembled, Endpoint, Provider } from "@proofgate/providers";
import { REPLAY_HEADER, type JudgeRequest } from "@proofgate/parity";
import { callModel } from "./model-call.ts";
import type { CalibrationDeps } from "./deps.ts";

// A JudgeRequest is provider-neutral; this is its mapping onto the two chat wires (structured output on
// OpenAI, a forced tool on Anthropic), as packages/parity's protocol prescribes. It is the only wire shape
// the calibration builds itself, since packages/providers has no judge client.

function judgeBody(provider: Provider, model: string, request: JudgeRequest): { endpoint: Endpoint; body: Record<string, unknown> } {
  if (provider === "anthropic") {
    return {
      endpoint: "messages",
      body: {
        model,
        system: request.system,
        messages: [{ role: "user", content: request.user }],
        max_tokens: request.maxTokens,
        temperature: request.temperature,
        tools: [{ name: request.schemaName, description: "Record the judgment.", input_schema: request.schema }],
        tool_choice: { type: "tool", name: request.schemaName },
      },
    };
  }
  return {
    endpoint: "chat.completions",
    body: {
      model,
      messages: [
        { role: "system", content: request.system },
        { role: "user", content: request.user },
      ],
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      response_format: { type: "json_schema", json_schema: { name: request.schemaName, schema: request.schema, strict: true } },
    },
  };
}

/** The judge's reply as text for the tolerant parsers: the tool input on Anthropic, the message otherwise. */
function replyText(assembled: Assembled): string {
  const call = assembled.toolCalls?.[0] as { input?: unknown } | undefined;
  if (call?.input !== undefined) return JSON.stringify(call.input);
  return assembled.outputText ?? "";
}

export interface JudgeReply {
  text: string;
  costUsd: number;
}

export async function callJudge(
  deps: CalibrationDeps,
  judge: { provider: Provider; model: string; replayIndex: string },
  request: JudgeRequest,
  signal?: AbortSignal,
): Promise<JudgeReply> {
  const { endpoint, body } = judgeBody(judge.provider, judge.model, request);
  // The replay header makes a judge call reproducible too: the same comparison gets the same sample.
  const headers = { [REPLAY_HEADER]: judge.replayIndex };
  const answer = await callModel(deps, { endpoint, model: judge.model, body, headers, signal });
  return { text: replyText(answer.assembled), costUsd: answer.costUsd };
}
