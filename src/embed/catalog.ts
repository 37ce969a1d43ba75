/**
 * The embedding models this plugin knows by name, with their true output
 * dimensions and batch limits.
 *
 * @module
 */
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";

/**
 * How an embedding model takes its texts: `text` (a string array in `text`)
 * or `queries-documents` (qwen3-embedding: `queries` or `documents`, plus an
 * `instruction` applied to queries).
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
export type EmbeddingFields = "text" | "queries-documents";

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
}

/** Every `maxItems` of the documented embedding schemas but qwen3-embedding's is 100. */
const EMBED_BATCH = 100;

function embedding(
  id: string,
  label: string,
  dimensions: number,
  extra: Partial<EmbedderSpec> = {},
): EmbedderSpec {
  return {
    id,
    label,
    dimensions,
    batchLimit: EMBED_BATCH,
    fields: "text",
    pooling: false,
    truncateInputs: false,
    ...extra,
  };
}

/**
 * Every active Workers AI embedding model, with its true output dimensions.
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
  embedding("@cf/baai/bge-small-en-v1.5", "BGE Small EN v1.5", 384, { pooling: true }),
  embedding("@cf/baai/bge-base-en-v1.5", "BGE Base EN v1.5", 768, { pooling: true }),
  embedding("@cf/baai/bge-large-en-v1.5", "BGE Large EN v1.5", 1024, { pooling: true }),
  embedding("@cf/baai/bge-m3", "BGE M3", 1024, { truncateInputs: true, multilingual: true }),
  embedding("@cf/google/embeddinggemma-300m", "EmbeddingGemma 300M", 768, {
    multilingual: true,
  }),
  // qwen3-embedding caps each of `queries`, `documents` and `text` at 32 items.
  embedding("@cf/qwen/qwen3-embedding-0.6b", "Qwen3 Embedding 0.6B", 1024, {
    batchLimit: 32,
    fields: "queries-documents",
    multilingual: true,
  }),
  // plamo's schema documents no maxItems; it is given the limit of the others.
  embedding("@cf/pfnet/plamo-embedding-1b", "PLaMo Embedding 1B", 2048, { multilingual: true }),
];

const EMBEDDING_BY_ID = byId(EMBEDDING_MODELS);

/** The catalog entry of a known embedding model, or `undefined`. */
export function knownEmbedder(id: string): EmbedderSpec | undefined {
  return EMBEDDING_BY_ID.get(id);
}

/**
 * The embedding spec for any id: the catalog entry when known, otherwise a
 * model taking `text` in batches of 100, of unknown dimensions.
 */
export function embedderSpec(id: string): EmbedderSpec {
  return EMBEDDING_BY_ID.get(id) ?? {
    id,
    label: workersLabel(id),
    batchLimit: EMBED_BATCH,
    fields: "text",
    pooling: false,
    truncateInputs: false,
  };
}
