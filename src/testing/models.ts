/**
 * The model search endpoint: the catalog as Cloudflare's model objects,
 * filtered and paginated.
 *
 * @module
 */

import { TEXT_MODELS, type TextModelSpec } from "../text/catalog.ts";
import { EMBEDDING_MODELS, RERANKER_MODEL } from "./embeddings.ts";
import { hash32, uuidOf } from "./util.ts";

/** A model object as the search endpoint returns it. */
export interface ModelObject {
  /** Uuid-like id. */
  id: string;
  /** 1 for `@cf/` models, 2 for `@hf/` models. */
  source: number;
  /** The model id used in `/ai/run/{name}`. */
  name: string;
  /** Description. */
  description: string;
  /** The task the model performs. */
  task: { id: string; name: string; description: string };
  /** Creation time, `YYYY-MM-DD HH:MM:SS.mmm`. */
  created_at: string;
  /** Tags (always empty). */
  tags: string[];
  /** Model properties. */
  properties: { property_id: string; value: string }[];
}

const TASKS = {
  "Text Generation": "Family of generative text models, such as large language models (LLM), " +
    "that can be adapted for a variety of natural language tasks.",
  "Text Embeddings": "Feature extraction models transform raw data into numerical features " +
    "that can be processed while preserving the information in the original dataset.",
  "Text Classification": "Sentiment analysis or text classification is a common NLP task that " +
    "classifies a text input into labels or classes.",
} as const;

type TaskName = keyof typeof TASKS;

function task(name: TaskName) {
  return { id: uuidOf(`task:${name}`), name, description: TASKS[name] };
}

function createdAt(id: string): string {
  const h = hash32(`created:${id}`);
  const day = new Date(Date.UTC(2024, 0, 1) + (h % 700) * 86_400_000 + (h % 86_400) * 1000);
  return day.toISOString().replace("T", " ").replace("Z", "");
}

function terms(id: string): string | undefined {
  if (id.startsWith("@cf/meta/") || id.startsWith("@cf/meta-llama/")) {
    return "https://github.com/meta-llama/llama-models/blob/main/LICENSE";
  }
  if (id.startsWith("@cf/google/")) return "https://ai.google.dev/gemma/terms";
  return undefined;
}

function textModel(spec: TextModelSpec): ModelObject {
  const properties: { property_id: string; value: string }[] = [];
  if (spec.contextWindow !== undefined) {
    properties.push({ property_id: "context_window", value: String(spec.contextWindow) });
  }
  if (spec.tools) properties.push({ property_id: "function_calling", value: "true" });
  if (spec.beta) properties.push({ property_id: "beta", value: "true" });
  if (spec.lora) properties.push({ property_id: "lora", value: "true" });
  if (spec.reasoning) properties.push({ property_id: "reasoning", value: "true" });
  if (spec.vision !== "none") properties.push({ property_id: "vision", value: "true" });
  if (spec.paidOnly) properties.push({ property_id: "require_workers_paid", value: "true" });
  const t = terms(spec.id);
  if (t) properties.push({ property_id: "terms", value: t });
  return {
    id: uuidOf(spec.id),
    source: spec.id.startsWith("@hf/") ? 2 : 1,
    name: spec.id,
    description: `${spec.label}: a text-generation model served by Workers AI.`,
    task: task("Text Generation"),
    created_at: createdAt(spec.id),
    tags: [],
    properties,
  };
}

/** Every model the emulator lists, in a stable order. */
export function allModels(): ModelObject[] {
  return [
    ...TEXT_MODELS.map(textModel),
    ...EMBEDDING_MODELS.map((m): ModelObject => ({
      id: uuidOf(m.id),
      source: 1,
      name: m.id,
      description: m.description,
      task: task("Text Embeddings"),
      created_at: createdAt(m.id),
      tags: [],
      properties: [
        { property_id: "max_input_tokens", value: "512" },
        { property_id: "output_dimensions", value: String(m.dims) },
      ],
    })),
    {
      id: uuidOf(RERANKER_MODEL),
      source: 1,
      name: RERANKER_MODEL,
      description: "Different from embedding model, reranker uses question and document as " +
        "input and directly output similarity instead of embedding.",
      task: task("Text Classification"),
      created_at: createdAt(RERANKER_MODEL),
      tags: [],
      properties: [{ property_id: "max_input_tokens", value: "512" }],
    },
  ];
}

/** Default and largest `per_page` of the search endpoint. */
export const PER_PAGE_DEFAULT = 20;
const PER_PAGE_MAX = 100;

/** The search answer (`result` and `result_info`) for a query string. */
export function searchModels(params: URLSearchParams): {
  result: ModelObject[];
  result_info: { page: number; per_page: number; count: number; total_count: number };
} {
  const int = (name: string, fallback: number) => {
    const n = Number.parseInt(params.get(name) ?? "", 10);
    return Number.isFinite(n) && n >= 1 ? n : fallback;
  };
  const page = int("page", 1);
  const perPage = Math.min(int("per_page", PER_PAGE_DEFAULT), PER_PAGE_MAX);
  const taskName = params.get("task")?.toLowerCase();
  const search = params.get("search")?.toLowerCase();
  const author = params.get("author")?.toLowerCase();
  const source = params.get("source");
  const matches = allModels().filter((m) =>
    (!taskName || m.task.name.toLowerCase() === taskName) &&
    (!search || m.name.toLowerCase().includes(search) ||
      m.description.toLowerCase().includes(search)) &&
    (!author || m.name.split("/")[1]?.toLowerCase() === author) &&
    (!source || String(m.source) === source)
  );
  const result = matches.slice((page - 1) * perPage, page * perPage);
  return {
    result,
    result_info: { page, per_page: perPage, count: result.length, total_count: matches.length },
  };
}
