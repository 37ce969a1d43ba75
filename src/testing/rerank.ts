/**
 * The reranking task: the models of the plugin's reranker catalog that only
 * rerank (bge-m3, an embedder too, is the embedding task's), scoring
 * `contexts` against a `query`, best first.
 *
 * @module
 */

import { knownEmbedder } from "../embed/catalog.ts";
import { knownReranker, RERANKER_MODELS, type RerankerSpec } from "../rerank/catalog.ts";
import { badInput, noSuchModel } from "./errors.ts";
import { modelObject, type SearchTask } from "./model_object.ts";
import { rank } from "./scoring.ts";
import type { EmulatorTask, TaskAnswer, TaskContext } from "./task_contract.ts";
import { isObject } from "./util.ts";
import { contextTexts, jsonInput } from "./validate.ts";

const SEARCH_TASK: SearchTask = {
  name: "Text Classification",
  description: "Sentiment analysis or text classification is a common NLP task that " +
    "classifies a text input into labels or classes.",
};

/** The model search's descriptions (emulator-only data; the catalog has the models). */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  "@cf/baai/bge-reranker-base": "Different from embedding model, reranker uses question and " +
    "document as input and directly output similarity instead of embedding.",
};

/** The catalog entry of a model this task serves. */
function served(id: string): RerankerSpec | undefined {
  return knownEmbedder(id) === undefined ? knownReranker(id) : undefined;
}

/** The `/ai/run` result of a reranker. Throws 5006 on bad input. */
function rerankResult(body: unknown): unknown {
  if (!isObject(body)) throw badInput("Type mismatch of '/', not in 'object'");
  // Which fields the model takes (top_k, truncate_inputs) its published schema has judged.
  if (body.query === undefined || body.contexts === undefined) {
    throw badInput("required properties at '/' are 'query', 'contexts'");
  }
  if (typeof body.query !== "string") {
    throw badInput(`Type mismatch of '/query', '${typeof body.query}' not in 'string'`);
  }
  if (body.query.length < 1) throw badInput("String at '/query' is shorter than minLength 1");
  const contexts = contextTexts(body.contexts);
  let topK: number | undefined;
  if (body.top_k !== undefined) {
    if (typeof body.top_k !== "number" || !Number.isInteger(body.top_k)) {
      throw badInput("Type mismatch of '/top_k', not in 'integer'");
    }
    if (body.top_k < 1) throw badInput(`Value ${body.top_k} at '/top_k' is less than minimum 1`);
    topK = body.top_k;
  }
  return { response: rank(body.query, contexts, topK) };
}

/** The reranking task. */
export const rerankTask: EmulatorTask = {
  name: "rerank",
  handles: (model, op) => op === "run" && served(model) !== undefined,
  answer(ctx: TaskContext): TaskAnswer {
    const spec = served(ctx.model);
    if (!spec) throw noSuchModel(ctx.model);
    return { result: rerankResult(jsonInput(ctx.body)) };
  },
  models: () =>
    RERANKER_MODELS.flatMap((m) => {
      const spec = served(m.id);
      if (!spec) return [];
      const description = DESCRIPTIONS[spec.id] ??
        `${spec.label}: a reranking model served by Workers AI.`;
      return [modelObject(spec.id, SEARCH_TASK, description, [["max_input_tokens", "512"]])];
    }),
};
