/**
 * The text-generation task: every chat model Cloudflare publishes a Text
 * Generation definition for, on
 * `/ai/run` and `/ai/v1/chat/completions`, answered as a JSON result or as
 * a stream, and listed in the model search with its properties.
 *
 * @module
 */

import { publishedModel } from "../definitions/mod.ts";
import { ApiError, messageForCode, noSuchModel } from "./errors.ts";
import { type ModelObject, modelObject, type SearchTask } from "./model_object.ts";
import type { EmulatorTask, TaskAnswer, TaskContext } from "./task_contract.ts";
import { type CompletionIds, textEvents, textResult } from "./text_answer.ts";
import { textFacts, textModelIds } from "./text_facts.ts";
import { parseTextRequest } from "./text_request.ts";
import { isObject } from "./util.ts";
import { jsonInput } from "./validate.ts";

const SEARCH_TASK: SearchTask = {
  name: "Text Generation",
  description: "Family of generative text models, such as large language models (LLM), " +
    "that can be adapted for a variety of natural language tasks.",
};

/** The model whose license must be agreed to with `{"prompt": "agree"}`. */
const LICENSED_MODEL = "@cf/meta/llama-3.2-11b-vision-instruct";

function terms(id: string): string | undefined {
  if (id.startsWith("@cf/meta/") || id.startsWith("@cf/meta-llama/")) {
    return "https://github.com/meta-llama/llama-models/blob/main/LICENSE";
  }
  if (id.startsWith("@cf/google/")) return "https://ai.google.dev/gemma/terms";
  return undefined;
}

/** A model's search object, with the properties its published definition lists. */
function searchObject(id: string): ModelObject {
  const m = publishedModel(id);
  const properties: [string, string][] = [];
  if (m?.contextWindow !== undefined) properties.push(["context_window", String(m.contextWindow)]);
  if (m?.functionCalling) properties.push(["function_calling", "true"]);
  if (m?.beta) properties.push(["beta", "true"]);
  if (m?.lora) properties.push(["lora", "true"]);
  if (m?.reasoning) properties.push(["reasoning", "true"]);
  if (m?.vision) properties.push(["vision", "true"]);
  if (m?.requireWorkersPaid) properties.push(["require_workers_paid", "true"]);
  if (m?.plannedDeprecationDate) {
    properties.push(["planned_deprecation_date", m.plannedDeprecationDate]);
  }
  const t = terms(id);
  if (t) properties.push(["terms", t]);
  const description = `${id.split("/").pop()}: a text-generation model served by Workers AI.`;
  return modelObject(id, SEARCH_TASK, description, properties);
}

/**
 * How many of a request's prompt words the prefix cache holds: the words it
 * shares from the start with the last request of the same affinity key (the
 * first request of a key is a miss, as on Workers AI), at most its prompt.
 */
function cachedPrefix(
  state: TaskContext["state"],
  key: string,
  body: unknown,
  req: { promptTokens: number },
): number {
  const b = isObject(body) ? body : {};
  const turns = Array.isArray(b.messages)
    ? b.messages.map((m) =>
      isObject(m)
        ? `${m.role}: ${typeof m.content === "string" ? m.content : JSON.stringify(m.content)}`
        : ""
    )
    : [String(b.prompt ?? "")];
  const words = turns.join("\n").split(/\s+/).filter(Boolean);
  const previous = state.prefixCache.get(key) ?? [];
  state.prefixCache.set(key, words);
  let shared = 0;
  while (shared < words.length && shared < previous.length && words[shared] === previous[shared]) {
    shared++;
  }
  return Math.min(shared, req.promptTokens);
}

/** The text-generation task. */
export const textTask: EmulatorTask = {
  name: "text",
  handles: (model, op) =>
    (op === "run" || op === "chat-completions") && textFacts(model) !== undefined,
  answer(ctx: TaskContext): TaskAnswer {
    const { model, op, state } = ctx;
    if (op === "embeddings") throw noSuchModel(model);
    const body = jsonInput(ctx.body);
    if (model === LICENSED_MODEL) {
      if (op === "run" && isObject(body) && body.prompt === "agree") {
        state.licenseAgreed = true;
        return { result: { response: "Thank you for agreeing to the terms." } };
      }
      if (state.requireLicenseAgreement && !state.licenseAgreed) {
        throw new ApiError(403, 5016, messageForCode(5016));
      }
    }
    const req = parseTextRequest(model, body, op);
    if (ctx.affinity !== undefined) req.cachedTokens = cachedPrefix(state, ctx.affinity, body, req);
    const ids: CompletionIds = {
      id: `chatcmpl-${++state.completions}`,
      created: Math.floor(Date.now() / 1000),
    };
    if (req.stream && !ctx.jsonForStream) return { events: textEvents(req, ids) };
    return { result: textResult(req, ids) };
  },
  models: () => textModelIds().map(searchObject),
};
