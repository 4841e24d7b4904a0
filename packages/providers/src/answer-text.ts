/**
 * What an answer said, as calibration scored it and as the proxy checks a candidate's format contract on
 * it: its text, or its tool calls when it made some and wrote nothing.
 */
export function answerText(outputText: string | null, toolCalls: unknown): string {
  if (outputText !== null && outputText !== "") return outputText;
  return toolCalls ? JSON.stringify(toolCalls) : "";
}
