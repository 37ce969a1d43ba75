/**
 * The embedding models this plugin knows by name. Their input fields,
 * parameters, output dimensions and input limits come from Cloudflare's
 * published definitions (`src/definitions`); what a definition cannot say (a
 * label, whether the model reads other languages than English, the vector
 * length of a model that publishes none, its batch size) is written beside
 * each model, with its source.
 *
 * @module
 */
import { publishedModel } from "../definitions/mod.ts";
import type { PublishedParam } from "../definitions/types.ts";
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";

/**
 * How an embedding model takes its texts: `text` (a string array in `text`),
 * `queries-documents` (qwen3-embedding: `queries` or `documents`, plus an
 * `instruction` applied to queries) or `contexts` (a model whose published
 * input is only bge-m3's query form: `contexts: [{ text }]` without a `query`,
 * answered with the vectors in `response`).
 *
 * @example
 * ```ts
 * import { EMBEDDING_MODELS, type EmbeddingFields } from "@x/cloudflare-ai/models";
 *
 * // The models that embed queries and documents differently (see EmbedConfig.inputType).
 * const split: EmbeddingFields = "queries-documents";
 * const ids = EMBEDDING_MODELS.filter((m) => m.fields === split).map((m) => m.id);
 * // ["@cf/qwen/qwen3-embedding-0.6b"]
 * ```
 */
export type EmbeddingFields = "text" | "queries-documents" | "contexts";

/**
 * Everything the plugin knows about one embedding model.
 *
 * @example
 * ```ts
 * import { type EmbedderSpec, EMBEDDING_MODELS } from "@x/cloudflare-ai/models";
 *
 * // How many requests embedding `count` texts with a model takes.
 * function requestsFor(spec: EmbedderSpec, count: number): number {
 *   return Math.ceil(count / spec.batchLimit);
 * }
 * const qwen = EMBEDDING_MODELS.find((m) => m.id === "@cf/qwen/qwen3-embedding-0.6b")!;
 * requestsFor(qwen, 1000); // 32: qwen3-embedding takes 32 texts a request
 * ```
 */
export interface EmbedderSpec {
  /** Workers AI model id, e.g. `@cf/baai/bge-base-en-v1.5`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /** Length of each vector; `undefined` for a model not in the catalog. */
  dimensions?: number;
  /** Most texts the model takes in one request (its schema's `maxItems`). */
  batchLimit: number;
  /** How the model takes its texts. */
  fields: EmbeddingFields;
  /** Whether the model takes `pooling` (`mean` or `cls`). */
  pooling: boolean;
  /** Whether the model takes `truncate_inputs`. */
  truncateInputs: boolean;
  /** Whether the model embeds languages other than English. */
  multilingual?: boolean;
  /**
   * The longest text it reads, in tokens, where published: its
   * `max_input_tokens`, or its `context_window` (bge-m3, qwen3-embedding).
   */
  maxInputTokens?: number;
  /** Whether Cloudflare marks the model beta. */
  beta?: boolean;
}

/**
 * The scalar input parameters model `id` publishes (`pooling`, `instruction`,
 * `truncate_inputs`, `top_k`, …); none for an id without a definition.
 */
export function embedParams(id: string): Readonly<Record<string, PublishedParam>> {
  return publishedModel(id)?.params ?? {};
}

/** How a model's published input takes its texts, when it has a definition. */
function publishedFields(id: string): EmbeddingFields | undefined {
  const fields = publishedModel(id)?.inputFields ?? [];
  if (fields.includes("queries") && fields.includes("documents")) return "queries-documents";
  if (fields.includes("text")) return "text";
  if (fields.includes("contexts")) return "contexts";
  return undefined;
}

/** The `maxItems` of every published embedding text array but qwen3-embedding's. */
const EMBED_BATCH = 100;

/** What a published definition cannot say about an embedding model. */
interface HandWritten {
  label: string;
  /** Whether it embeds other languages than English (the model card's); unknown when absent. */
  multilingual?: boolean;
  /** The vector length, for a model whose definition publishes no `output_dimensions`. */
  dimensions?: number;
  /** Most texts a request takes, where the published `maxItems` is not 100. */
  batchLimit?: number;
}

function embedding(id: string, hand: HandWritten): EmbedderSpec {
  const published = publishedModel(id);
  const params = embedParams(id);
  const spec: EmbedderSpec = {
    id,
    label: hand.label,
    // A published output_dimensions wins over the model card's.
    dimensions: published?.outputDimensions ?? hand.dimensions,
    batchLimit: hand.batchLimit ?? EMBED_BATCH,
    fields: publishedFields(id) ?? "text",
    pooling: Object.hasOwn(params, "pooling"),
    truncateInputs: Object.hasOwn(params, "truncate_inputs"),
  };
  if (hand.multilingual !== undefined) spec.multilingual = hand.multilingual;
  // Its published max_input_tokens, or the context_window some embedding models publish instead.
  const maxInput = published?.maxInputTokens ?? published?.contextWindow;
  if (maxInput !== undefined) spec.maxInputTokens = maxInput;
  if (published?.beta) spec.beta = true;
  return spec;
}

/**
 * Every Workers AI embedding model Cloudflare publishes, with its true output
 * dimensions.
 *
 * @example
 * ```ts
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { EMBEDDING_MODELS } from "@x/cloudflare-ai/models";
 *
 * // The multilingual models whose vectors fit a 1024-dimension index.
 * const fits = EMBEDDING_MODELS.filter((m) => m.multilingual && m.dimensions === 1024);
 * console.log(fits.map((m) => m.id)); // ["@cf/baai/bge-m3", "@cf/qwen/qwen3-embedding-0.6b"]
 * const embedder = cloudflareAI.embedder(fits[0].id);
 * ```
 */
export const EMBEDDING_MODELS: readonly EmbedderSpec[] = [
  embedding("@cf/baai/bge-small-en-v1.5", { label: "BGE Small EN v1.5", multilingual: false }),
  embedding("@cf/baai/bge-base-en-v1.5", { label: "BGE Base EN v1.5", multilingual: false }),
  embedding("@cf/baai/bge-large-en-v1.5", { label: "BGE Large EN v1.5", multilingual: false }),
  embedding("@cf/baai/omni-bge-base-en-v1.5", {
    label: "Omni BGE Base EN v1.5",
    multilingual: false,
  }),
  // bge-m3 publishes no output_dimensions: 1024 is its model card's (BAAI/bge-m3). It embeds
  // `text` (its "Input Embedding" variant) and reranks `query` + `contexts`.
  embedding("@cf/baai/bge-m3", { label: "BGE M3", multilingual: true, dimensions: 1024 }),
  // No published output_dimensions: 768 is the model card's (google/embeddinggemma-300m).
  embedding("@cf/google/embeddinggemma-300m", {
    label: "EmbeddingGemma 300M",
    multilingual: true,
    dimensions: 768,
  }),
  // No published output_dimensions: 1024 is the model card's (Qwen/Qwen3-Embedding-0.6B).
  // Its `queries`, `documents` and `text` arrays publish maxItems 32.
  embedding("@cf/qwen/qwen3-embedding-0.6b", {
    label: "Qwen3 Embedding 0.6B",
    multilingual: true,
    dimensions: 1024,
    batchLimit: 32,
  }),
  // No published output_dimensions: 2048 is the model card's (pfnet/plamo-embedding-1b).
  // Its `text` array publishes no maxItems; it is given the limit of the others.
  embedding("@cf/pfnet/plamo-embedding-1b", {
    label: "PLaMo Embedding 1B",
    multilingual: true,
    dimensions: 2048,
  }),
];

const EMBEDDING_BY_ID = byId(EMBEDDING_MODELS);

/** The catalog entry of a known embedding model, or `undefined`. */
export function knownEmbedder(id: string): EmbedderSpec | undefined {
  return EMBEDDING_BY_ID.get(id);
}

/**
 * The embedding spec for any id: the catalog entry when known; for an id
 * with a published definition, what it publishes; otherwise a model taking
 * `text` in batches of 100, of unknown dimensions.
 */
export function embedderSpec(id: string): EmbedderSpec {
  const known = EMBEDDING_BY_ID.get(id);
  if (known) return known;
  if (publishedModel(id)) return embedding(id, { label: workersLabel(id) });
  return {
    id,
    label: workersLabel(id),
    batchLimit: EMBED_BATCH,
    fields: "text",
    pooling: false,
    truncateInputs: false,
  };
}
