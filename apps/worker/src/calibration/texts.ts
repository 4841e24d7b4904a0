// Plain text views of captured exchanges, for the judge's <task> block and for the axes. Both wire
// formats are read: OpenAI chat (messages), Responses (instructions, input) and Anthropic (system, messages).

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map(textOf).filter((t) => t.length > 0).join("\n");
  if (content !== null && typeof content === "object") {
    const part = content as { text?: unknown; content?: unknown };
    if (typeof part.text === "string") return part.text;
    if (part.content !== undefined) return textOf(part.content);
  }
  return "";
}

/** The instructions and inputs of a captured request, as the task both answers respond to. */
export function taskText(request: unknown): string {
  if (request === null || typeof request !== "object") return "";
  const r = request as { system?: unknown; instructions?: unknown; messages?: unknown; input?: unknown };
  const parts: string[] = [];
  for (const field of [r.system, r.instructions]) {
    const text = textOf(field);
    if (text) parts.push(text);
  }
  const turns = Array.isArray(r.messages) ? r.messages : Array.isArray(r.input) ? r.input : typeof r.input === "string" ? [r.input] : [];
  for (const turn of turns) {
    const text = textOf(turn);
    if (text) parts.push(text);
  }
  return parts.join("\n\n");
}

/** What an answer said: its text, or its tool calls when it made some and wrote nothing. */
export function answerText(outputText: string | null, toolCalls: unknown): string {
  if (outputText !== null && outputText !== "") return outputText;
  return toolCalls ? JSON.stringify(toolCalls) : "";
}
