import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The StructuredRAG tasks: each asks for one JSON shape about a WikiQuestions item. */
export const STRUCTURED_RAG_TASKS = [
  "AssessAnswerability",
  "GenerateAnswer",
  "GenerateAnswerWithConfidence",
  "GenerateAnswersWithConfidence",
  "ParaphraseQuestions",
  "RAGAS",
  "RateContext",
] as const;
export type StructuredRagTask = (typeof STRUCTURED_RAG_TASKS)[number];

export type WikiItem = { title: string; context: string; question: string; answerable: boolean; answer: string };

/** One model's recorded answers to one task, in WikiQuestions order, with the data set's own format verdicts. */
export type StructuredRagRun = { task: StructuredRagTask; model: string; responses: string[]; formatOk: boolean[] };

const RESULTS = join("structured_rag", "experimental-results-9-11-24");

export function loadWikiQuestions(dir: string): WikiItem[] {
  return JSON.parse(readFileSync(join(dir, "structured_rag", "WikiQuestions.json"), "utf8")) as WikiItem[];
}

/**
 * Reads one result file in place. The files list answers in WikiQuestions order (checked: the i-th prompt
 * holds the i-th question); an answer counts as well formed unless the file lists it among its failures.
 */
export function loadStructuredRag(dir: string, model: string, task: StructuredRagTask, method = "fstring"): StructuredRagRun {
  const file = JSON.parse(readFileSync(join(dir, RESULTS, `${task}-${model}-${method}.json`), "utf8")) as {
    all_responses: { prompt: string; response: string }[];
    failed_responses?: { prompt: string; response: string }[];
  };
  const failed = new Set((file.failed_responses ?? []).map((f) => `${f.prompt}\u0000${f.response}`));
  return {
    task,
    model,
    responses: file.all_responses.map((r) => r.response),
    formatOk: file.all_responses.map((r) => !failed.has(`${r.prompt}\u0000${r.response}`)),
  };
}

// Instructions in the spirit of the benchmark's f-string prompts: what is asked and the JSON it must return.
const ASK: Record<StructuredRagTask, string> = {
  AssessAnswerability: 'Assess whether the question can be answered from the context. Respond with JSON {"answerable_question": <boolean>}.',
  GenerateAnswer: 'Answer the question from the context. Respond with JSON {"answer": <string>}.',
  GenerateAnswerWithConfidence: 'Answer the question from the context and rate your confidence from 0 to 5. Respond with JSON {"Answer": <string>, "Confidence": <integer>}.',
  GenerateAnswersWithConfidence: 'Give several candidate answers from the context, each with a confidence from 0 to 5. Respond with a JSON list [{"Answer": <string>, "Confidence": <integer>}, ...].',
  ParaphraseQuestions: 'Paraphrase the question three ways. Respond with JSON {"paraphrased_questions": [<string>, ...]}.',
  RAGAS: 'Score the answer for faithfulness to the context, relevance to the question and the relevance of the context, each from 0 to 5. Respond with JSON {"faithfulness_score": <number>, "answer_relevance_score": <number>, "context_relevance_score": <number>}.',
  RateContext: 'Rate how well the context supports answering the question, from 0 to 5. Respond with JSON {"context_score": <integer>}.',
};

export function structuredRagSystem(task: StructuredRagTask): string {
  return `StructuredRAG ${task}. ${ASK[task]}`;
}

export function structuredRagPrompt(task: StructuredRagTask, item: WikiItem): { system: string; user: string } {
  const answer = task === "RAGAS" ? `\nAnswer: ${item.answer}` : "";
  return { system: structuredRagSystem(task), user: `Title: ${item.title}\nContext: ${item.context}\nQuestion: ${item.question}${answer}` };
}

/** The first JSON object or list in a text (answers may carry a lead-in sentence or a trailing note). */
export function firstJson(text: string): unknown {
  // a lead-in may itself hold a bracket, so a few opening positions are tried, each against every closing one
  let start = text.search(/[[{]/);
  for (let tries = 0; start >= 0 && tries < 4; tries++) {
    const close = text[start] === "{" ? "}" : "]";
    for (let end = text.lastIndexOf(close); end > start; end = text.lastIndexOf(close, end - 1)) {
      try {
        return JSON.parse(text.slice(start, end + 1));
      } catch {
        // a shorter span next
      }
    }
    const next = text.slice(start + 1).search(/[[{]/);
    start = next < 0 ? -1 : start + 1 + next;
  }
  return null;
}

const norm = (v: unknown) => String(v ?? "").trim().toLowerCase().replace(/\s+/g, " ").replace(/[.!]$/, "");
const num = (v: unknown) => {
  const n = Number(String(v ?? "").trim());
  return Number.isFinite(n) ? String(n) : norm(v);
};

/**
 * What an answer means, read leniently as a reader of the JSON would (a "true" string is true): the label
 * (decision, score or short answer) and, for lists, their content. Null when no JSON can be read at all.
 */
export function structuredRagMeaning(task: StructuredRagTask, text: string): { label: string | null; content: string } | null {
  const json = firstJson(text) as Record<string, unknown> | unknown[] | null;
  if (json === null || typeof json !== "object") return null;
  const o = (Array.isArray(json) ? {} : json) as Record<string, unknown>;
  switch (task) {
    case "AssessAnswerability":
      return { label: norm(o.answerable_question), content: "" };
    case "RateContext":
      return { label: num(o.context_score), content: "" };
    case "GenerateAnswer":
      return { label: norm(o.answer), content: "" };
    case "GenerateAnswerWithConfidence":
      return { label: norm(o.Answer), content: num(o.Confidence) };
    case "GenerateAnswersWithConfidence": {
      const list = Array.isArray(json) ? (json as Record<string, unknown>[]) : [];
      return { label: norm(list[0]?.Answer), content: list.map((x) => norm(x?.Answer)).join("|") };
    }
    case "ParaphraseQuestions": {
      const list = Array.isArray(o.paraphrased_questions) ? o.paraphrased_questions : [];
      return { label: null, content: list.map(norm).join("|") };
    }
    case "RAGAS":
      return { label: [o.faithfulness_score, o.answer_relevance_score, o.context_relevance_score].map(num).join("/"), content: "" };
  }
}
