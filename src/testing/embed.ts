/**
 * The embedding task: the published Text Embeddings models, their
 * input schemas (`text` with or without `pooling`, qwen3-embedding's
 * `queries`/`documents`, bge-m3's `contexts`) and deterministic unit vectors
 * of each model's dimensions, on `/ai/run` and `/ai/v1/embeddings`.
 *
 * @module
 */

import { publishedModel } from "../definitions/mod.ts";
import { PUBLISHED_SCHEMAS } from "../definitions/schemas.ts";
import { badInput, noSuchModel } from "./errors.ts";
import { modelObject, type SearchTask } from "./model_object.ts";
import { embed, rank } from "./scoring.ts";
import type { EmulatorTask, TaskAnswer, TaskContext } from "./task_contract.ts";
import { countWords, isObject } from "./util.ts";
import { contextTexts, jsonInput, refuseExtraKeys, stringList } from "./validate.ts";

/**
 * Vector lengths of the embedders whose definitions publish no
 * `output_dimensions`, from their model cards on Hugging Face (BAAI/bge-m3,
 * google/embeddinggemma-300m, Qwen/Qwen3-Embedding-0.6B,
 * pfnet/plamo-embedding-1b).
 */
const MODEL_CARD_DIMENSIONS: Readonly<Record<string, number>> = {
  "@cf/baai/bge-m3": 1024,
  "@cf/google/embeddinggemma-300m": 768,
  "@cf/qwen/qwen3-embedding-0.6b": 1024,
  "@cf/pfnet/plamo-embedding-1b": 2048,
};

const SEARCH_TASK: SearchTask = {
  name: "Text Embeddings",
  description: "Feature extraction models transform raw data into numerical features " +
    "that can be processed while preserving the information in the original dataset.",
};

/** The model search's descriptions (emulator-only data; the catalog has the models). */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  "@cf/baai/bge-small-en-v1.5":
    "BAAI general embedding (Small) model that transforms any given text into a 384-dimensional vector",
  "@cf/baai/bge-base-en-v1.5":
    "BAAI general embedding (Base) model that transforms any given text into a 768-dimensional vector",
  "@cf/baai/bge-large-en-v1.5":
    "BAAI general embedding (Large) model that transforms any given text into a 1024-dimensional vector",
  "@cf/baai/bge-m3":
    "Multi-Functionality, Multi-Linguality, and Multi-Granularity embeddings model.",
  "@cf/google/embeddinggemma-300m":
    "EmbeddingGemma is a 300M parameter, state-of-the-art for its size, open embedding model from Google.",
  "@cf/qwen/qwen3-embedding-0.6b":
    "The Qwen3 Embedding model series is the latest proprietary model of the Qwen family, specifically designed for text embedding and ranking tasks.",
  "@cf/pfnet/plamo-embedding-1b":
    "PLaMo-Embedding-1B is a Japanese text embedding model developed by Preferred Networks, Inc.",
};

/** Most inputs of one `/ai/v1/embeddings` request, whatever the model. */
const OPENAI_MAX_INPUTS = 100;

/** What answering an embedding model needs, from its published definition. */
interface Served {
  id: string;
  /** The vector length (published `output_dimensions`, else the model card's). */
  dimensions: number;
  /** Its input fields: `text` (+ `pooling`), `queries`/`documents`, or `contexts` too. */
  fields: "queries-documents" | "text";
  /** Whether its input has `pooling`. */
  pooling: boolean;
  /** Whether it also ranks `contexts` against a `query` (bge-m3). */
  reranks: boolean;
}

/** The top-level input fields of a published schema, over its branches. */
function inputFields(schema: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (s: unknown) => {
    if (!isObject(s)) return;
    if (isObject(s.properties)) Object.keys(s.properties).forEach((k) => out.add(k));
    for (const b of [s.oneOf, s.anyOf]) if (Array.isArray(b)) b.forEach(walk);
  };
  walk(schema);
  return out;
}

/** An embedding model the emulator serves: a published Text Embeddings model of known length. */
function served(id: string): Served | undefined {
  const schema = Object.hasOwn(PUBLISHED_SCHEMAS, id) ? PUBLISHED_SCHEMAS[id] : undefined;
  if (schema?.task !== "Text Embeddings") return undefined;
  const dimensions = publishedModel(id)?.outputDimensions ?? MODEL_CARD_DIMENSIONS[id];
  if (dimensions === undefined) return undefined;
  const fields = inputFields(schema.input);
  return {
    id,
    dimensions,
    fields: fields.has("queries") ? "queries-documents" : "text",
    pooling: fields.has("pooling"),
    reranks: fields.has("contexts"),
  };
}

/** Most items of a list the task reads (the published schema judged the real limits). */
const ANY_LENGTH = Number.MAX_SAFE_INTEGER;

/** qwen3-embedding: `queries` and `documents` (or `text`), each at most `batchLimit`. */
function queriesDocuments(spec: Served, body: Record<string, unknown>): unknown {
  if (body.instruction !== undefined && typeof body.instruction !== "string") {
    throw badInput("Type mismatch of '/instruction', not in 'string'");
  }
  const max = ANY_LENGTH;
  const queries = body.queries === undefined ? [] : stringList(body.queries, "/queries", max);
  const docs = [
    ...(body.documents === undefined ? [] : stringList(body.documents, "/documents", max)),
    ...(body.text === undefined ? [] : stringList(body.text, "/text", max)),
  ];
  if (queries.length + docs.length === 0) {
    throw badInput(
      "anyOf at '/' not met: required properties are 'queries', 'documents' or 'text'",
    );
  }
  const data = [...queries, ...docs].map((t) => embed(t, spec.dimensions));
  return { data, shape: [data.length, spec.dimensions] };
}

/**
 * bge-m3's other input: `contexts`, scored against a `query` when there is
 * one (as a reranker does), embedded otherwise.
 */
function contextsResult(spec: Served, body: Record<string, unknown>): unknown {
  if (body.contexts === undefined) {
    throw badInput(
      "oneOf at '/' not met, 0 matches: required properties at '/' are 'text', " +
        "required properties at '/' are 'contexts'",
    );
  }
  const contexts = contextTexts(body.contexts);
  if (body.query !== undefined) {
    if (typeof body.query !== "string" || body.query.length < 1) {
      throw badInput("String at '/query' is shorter than minLength 1");
    }
    return { response: rank(body.query, contexts) };
  }
  const d = spec.dimensions;
  return { response: contexts.map((t) => embed(t, d)), shape: [contexts.length, d] };
}

/** The `/ai/run` result of an embedding model. Throws 5006 on bad input. */
function runResult(spec: Served, body: unknown): unknown {
  if (!isObject(body)) throw badInput("Type mismatch of '/', not in 'object'");
  if (spec.fields === "queries-documents") return queriesDocuments(spec, body);
  // An embedder that also reranks (bge-m3) takes `{text}` or `{query?, contexts}`.
  const reranks = spec.reranks;
  if (body.text === undefined && reranks) return contextsResult(spec, body);
  if (body.text === undefined) throw badInput("required properties at '/' are 'text'");
  const pooling = spec.pooling ? body.pooling ?? "mean" : "mean";
  if (pooling !== "mean" && pooling !== "cls") {
    throw badInput(`Value at '/pooling' is not one of the enum values 'mean', 'cls'`);
  }
  const texts = stringList(body.text, "/text", ANY_LENGTH);
  const d = spec.dimensions;
  const shape = [texts.length, d];
  const data = texts.map((t) => embed(t, d, pooling));
  // Models taking `pooling` name the one used, and so does bge-m3 (always mean).
  return spec.pooling || reranks ? { shape, data, pooling } : { shape, data };
}

/** The OpenAI `/ai/v1/embeddings` answer. Throws 5006 on bad input. */
function openAIEmbeddings(spec: Served, body: Record<string, unknown>): unknown {
  refuseExtraKeys(body, ["model", "input", "encoding_format", "dimensions", "user"]);
  if (body.input === undefined) throw badInput("required properties at '/' are 'input'");
  if (body.encoding_format !== undefined && body.encoding_format !== "float") {
    throw badInput("Value at '/encoding_format' is not one of the enum values 'float'");
  }
  const texts = stringList(body.input, "/input", OPENAI_MAX_INPUTS);
  const tokens = texts.reduce((s, t) => s + countWords(t), 0);
  return {
    object: "list",
    data: texts.map((t, index) => ({
      object: "embedding",
      index,
      embedding: embed(t, spec.dimensions),
    })),
    model: spec.id,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

/** The embedding task. */
export const embedTask: EmulatorTask = {
  name: "embed",
  handles: (model, op) => (op === "run" || op === "embeddings") && served(model) !== undefined,
  answer(ctx: TaskContext): TaskAnswer {
    const spec = served(ctx.model);
    if (!spec) throw noSuchModel(ctx.model);
    const body = jsonInput(ctx.body);
    if (ctx.op === "embeddings") {
      return { result: openAIEmbeddings(spec, isObject(body) ? body : {}) };
    }
    return { result: runResult(spec, body) };
  },
  models: () =>
    Object.keys(PUBLISHED_SCHEMAS).sort().flatMap((id) => {
      const spec = served(id);
      if (!spec) return [];
      const description = DESCRIPTIONS[spec.id] ??
        `${id.split("/").pop()}: a text-embedding model served by Workers AI.`;
      return [modelObject(spec.id, SEARCH_TASK, description, [
        ["max_input_tokens", "512"],
        ["output_dimensions", String(spec.dimensions)],
      ])];
    }),
};
