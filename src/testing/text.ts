/**
 * The text-generation task: every model of the plugin's text catalog, on
 * `/ai/run` and `/ai/v1/chat/completions`, answered as a JSON result or as
 * a stream, and listed in the model search with its properties.
 *
 * @module
 */

import { knownTextModel, TEXT_MODELS, type TextModelSpec } from "../text/catalog.ts";
import { ApiError, messageForCode, noSuchModel } from "./errors.ts";
import { type ModelObject, modelObject, type SearchTask } from "./model_object.ts";
import type { EmulatorTask, TaskAnswer, TaskContext } from "./tasks.ts";
import { type CompletionIds, textEvents, textResult } from "./text_answer.ts";
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

function searchObject(spec: TextModelSpec): ModelObject {
  const properties: [string, string][] = [];
  if (spec.contextWindow !== undefined) {
    properties.push(["context_window", String(spec.contextWindow)]);
  }
  if (spec.tools) properties.push(["function_calling", "true"]);
  if (spec.beta) properties.push(["beta", "true"]);
  if (spec.lora) properties.push(["lora", "true"]);
  if (spec.reasoning) properties.push(["reasoning", "true"]);
  if (spec.vision !== "none") properties.push(["vision", "true"]);
  if (spec.paidOnly) properties.push(["require_workers_paid", "true"]);
  const t = terms(spec.id);
  if (t) properties.push(["terms", t]);
  const description = `${spec.label}: a text-generation model served by Workers AI.`;
  return modelObject(spec.id, SEARCH_TASK, description, properties);
}

/** The text-generation task. */
export const textTask: EmulatorTask = {
  name: "text",
  handles: (model, op) =>
    (op === "run" || op === "chat-completions") && knownTextModel(model) !== undefined,
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
    const ids: CompletionIds = {
      id: `chatcmpl-${++state.completions}`,
      created: Math.floor(Date.now() / 1000),
    };
    if (req.stream && !ctx.jsonForStream) return { events: textEvents(req, ids) };
    return { result: textResult(req, ids) };
  },
  models: () => TEXT_MODELS.map(searchObject),
};
