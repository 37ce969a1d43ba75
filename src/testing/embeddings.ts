/**
 * Embedding and reranker models: input validation and deterministic vectors
 * and scores.
 *
 * @module
 */

import { badInput } from "./errors.ts";
import { countWords, hash32, isObject, prng, wordsOf } from "./util.ts";

/** How an embedding model takes its input. */
type EmbeddingInput = "bge-en" | "bge-m3" | "text" | "qwen3";

/** An embedding model the emulator serves. */
export interface EmbeddingModel {
  /** Model id. */
  id: string;
  /** Output dimensions. */
  dims: number;
  /** Input schema variant. */
  input: EmbeddingInput;
  /** Short description for the model search. */
  description: string;
}

/** Every embedding model the emulator serves. */
export const EMBEDDING_MODELS: readonly EmbeddingModel[] = [
  {
    id: "@cf/baai/bge-small-en-v1.5",
    dims: 384,
    input: "bge-en",
    description:
      "BAAI general embedding (Small) model that transforms any given text into a 384-dimensional vector",
  },
  {
    id: "@cf/baai/bge-base-en-v1.5",
    dims: 768,
    input: "bge-en",
    description:
      "BAAI general embedding (Base) model that transforms any given text into a 768-dimensional vector",
  },
  {
    id: "@cf/baai/bge-large-en-v1.5",
    dims: 1024,
    input: "bge-en",
    description:
      "BAAI general embedding (Large) model that transforms any given text into a 1024-dimensional vector",
  },
  {
    id: "@cf/baai/bge-m3",
    dims: 1024,
    input: "bge-m3",
    description: "Multi-Functionality, Multi-Linguality, and Multi-Granularity embeddings model.",
  },
  {
    id: "@cf/google/embeddinggemma-300m",
    dims: 768,
    input: "text",
    description:
      "EmbeddingGemma is a 300M parameter, state-of-the-art for its size, open embedding model from Google.",
  },
  {
    id: "@cf/qwen/qwen3-embedding-0.6b",
    dims: 1024,
    input: "qwen3",
    description:
      "The Qwen3 Embedding model series is the latest proprietary model of the Qwen family, specifically designed for text embedding and ranking tasks.",
  },
  {
    id: "@cf/pfnet/plamo-embedding-1b",
    dims: 2048,
    input: "text",
    description:
      "PLaMo-Embedding-1B is a Japanese text embedding model developed by Preferred Networks, Inc.",
  },
];

/** The reranker model id. */
export const RERANKER_MODEL = "@cf/baai/bge-reranker-base";

const EMBEDDING_BY_ID: ReadonlyMap<string, EmbeddingModel> = new Map(
  EMBEDDING_MODELS.map((m) => [m.id, m]),
);

/** The embedding model with this id, or `undefined`. */
export function embeddingModel(id: string): EmbeddingModel | undefined {
  return EMBEDDING_BY_ID.get(id);
}

/**
 * A deterministic unit vector for a text: feature hashing of its lower-cased
 * words (hash-derived index, sign and magnitude), plus a small component
 * seeded by the whole text, L2-normalised. Texts sharing words are not
 * orthogonal; equal texts give equal vectors.
 */
export function embed(text: string, dims: number, pooling: "mean" | "cls" = "mean"): number[] {
  const v = new Array<number>(dims).fill(0);
  const words = wordsOf(text);
  words.forEach((w, i) => {
    // cls pooling weighs the start of the text a little more.
    const weight = pooling === "cls" ? 1 + 1 / (i + 1) : 1;
    for (let k = 0; k < 3; k++) {
      const h = hash32(`${w}#${k}`);
      const idx = h % dims;
      const sign = (h >>> 31) === 1 ? -1 : 1;
      const magnitude = 0.5 + ((h >>> 8) % 1000) / 2000;
      v[idx] += sign * magnitude * weight;
    }
  });
  const rand = prng(hash32(`${pooling}:${text}`));
  const noise = words.length === 0 ? 1 : 0.05;
  for (let i = 0; i < dims; i++) v[i] += (rand() * 2 - 1) * noise;
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / norm);
}

function cosine(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** A relevance score in (0, 1): a sigmoid of word overlap plus vector cosine. */
export function relevance(query: string, context: string): number {
  const q = new Set(wordsOf(query));
  const c = new Set(wordsOf(context));
  let shared = 0;
  for (const w of q) if (c.has(w)) shared++;
  const overlap = q.size === 0 ? 0 : shared / q.size;
  const cos = cosine(embed(query, 256), embed(context, 256));
  return 1 / (1 + Math.exp(-(5 * overlap + 2 * cos - 3)));
}

function textList(value: unknown, path: string, maxItems: number): string[] {
  const items = typeof value === "string" ? [value] : value;
  if (!Array.isArray(items)) {
    throw badInput(`Type mismatch of '${path}', '${typeof value}' not in 'string, array'`);
  }
  if (items.length > maxItems) {
    throw badInput(
      `Array at '${path}' has ${items.length} items, more than maxItems ${maxItems}`,
    );
  }
  items.forEach((t, i) => {
    const p = typeof value === "string" ? path : `${path}/${i}`;
    if (typeof t !== "string") {
      throw badInput(`Type mismatch of '${p}', '${typeof t}' not in 'string'`);
    }
    if (t.length < 1) throw badInput(`String at '${p}' is shorter than minLength 1`);
  });
  return items as string[];
}

function checkKeys(body: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length > 0) {
    throw badInput(
      `Additional or unevaluated properties '${
        extra.map((k) => `/${k}`).join(", ")
      }' at '/' not allowed`,
    );
  }
}

function contextTexts(value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw badInput(`Type mismatch of '/contexts', '${typeof value}' not in 'array'`);
  }
  return value.map((c, i) => {
    if (!isObject(c) || typeof c.text !== "string") {
      throw badInput(`required properties at '/contexts/${i}' are 'text'`);
    }
    return c.text;
  });
}

function rank(query: string, contexts: string[], topK?: number) {
  const scored = contexts.map((text, id) => ({ id, score: relevance(query, text) }));
  scored.sort((a, b) => b.score - a.score || a.id - b.id);
  return topK === undefined ? scored : scored.slice(0, topK);
}

/** The `/ai/run` result of an embedding model. Throws 5006 on bad input. */
export function embeddingResult(model: EmbeddingModel, body: unknown): unknown {
  if (!isObject(body)) throw badInput("Type mismatch of '/', not in 'object'");
  const d = model.dims;
  switch (model.input) {
    case "bge-en": {
      checkKeys(body, ["text", "pooling"]);
      if (body.text === undefined) throw badInput("required properties at '/' are 'text'");
      const pooling = body.pooling ?? "mean";
      if (pooling !== "mean" && pooling !== "cls") {
        throw badInput(`Value at '/pooling' is not one of the enum values 'mean', 'cls'`);
      }
      const texts = textList(body.text, "/text", 100);
      return { shape: [texts.length, d], data: texts.map((t) => embed(t, d, pooling)), pooling };
    }
    case "text": {
      checkKeys(body, ["text"]);
      if (body.text === undefined) throw badInput("required properties at '/' are 'text'");
      const texts = textList(body.text, "/text", 100);
      return { shape: [texts.length, d], data: texts.map((t) => embed(t, d)) };
    }
    case "qwen3": {
      checkKeys(body, ["queries", "documents", "text", "instruction"]);
      if (body.instruction !== undefined && typeof body.instruction !== "string") {
        throw badInput("Type mismatch of '/instruction', not in 'string'");
      }
      const queries = body.queries === undefined ? [] : textList(body.queries, "/queries", 32);
      const docs = [
        ...(body.documents === undefined ? [] : textList(body.documents, "/documents", 32)),
        ...(body.text === undefined ? [] : textList(body.text, "/text", 32)),
      ];
      if (queries.length + docs.length === 0) {
        throw badInput(
          "anyOf at '/' not met: required properties are 'queries', 'documents' or 'text'",
        );
      }
      const data = [...queries, ...docs].map((t) => embed(t, d));
      return { data, shape: [data.length, d] };
    }
    case "bge-m3": {
      checkKeys(body, ["text", "query", "contexts", "truncate_inputs"]);
      if (body.text !== undefined) {
        const texts = textList(body.text, "/text", 100);
        return {
          shape: [texts.length, d],
          data: texts.map((t) => embed(t, d)),
          pooling: "mean",
        };
      }
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
      return { response: contexts.map((t) => embed(t, d)), shape: [contexts.length, d] };
    }
  }
}

/** The `/ai/run` result of the reranker. Throws 5006 on bad input. */
export function rerankResult(body: unknown): unknown {
  if (!isObject(body)) throw badInput("Type mismatch of '/', not in 'object'");
  checkKeys(body, ["query", "contexts", "top_k"]);
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

/** The OpenAI `/ai/v1/embeddings` answer. Throws 5006 on bad input. */
export function openAIEmbeddings(model: EmbeddingModel, body: Record<string, unknown>): unknown {
  checkKeys(body, ["model", "input", "encoding_format", "dimensions", "user"]);
  if (body.input === undefined) throw badInput("required properties at '/' are 'input'");
  if (body.encoding_format !== undefined && body.encoding_format !== "float") {
    throw badInput("Value at '/encoding_format' is not one of the enum values 'float'");
  }
  const texts = textList(body.input, "/input", 100);
  const tokens = texts.reduce((s, t) => s + countWords(t), 0);
  return {
    object: "list",
    data: texts.map((t, index) => ({
      object: "embedding",
      index,
      embedding: embed(t, model.dims),
    })),
    model: model.id,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
