/**
 * The models this plugin knows that rerank `contexts` against a `query`.
 * Whether each takes `top_k` and `truncate_inputs` comes from its published
 * definition (with the parameters its current types add, see
 * `embedParams`); its label is written here.
 *
 * @module
 */
import { embedParams } from "../embed/catalog.ts";
import { publishedModel } from "../definitions/mod.ts";
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";

/**
 * Everything the plugin knows about one reranker.
 *
 * @example
 * ```ts
 * import { RERANKER_MODELS, type RerankerSpec } from "@x/cloudflare-ai/models";
 *
 * // The rerank options a model takes.
 * function optionsOf(spec: RerankerSpec): string[] {
 *   return spec.truncateInputs ? ["topK", "truncateInputs"] : ["topK"];
 * }
 * RERANKER_MODELS.map(optionsOf); // [["topK"], ["topK", "truncateInputs"]]
 * ```
 */
export interface RerankerSpec {
  /** Workers AI model id, e.g. `@cf/baai/bge-reranker-base`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /** Whether the model takes `top_k`; otherwise the plugin keeps the best `topK` itself. */
  topK: boolean;
  /** Whether the model takes `truncate_inputs`. */
  truncateInputs: boolean;
}

/** A reranker's spec, from its published parameters. */
function reranker(id: string, label: string): RerankerSpec {
  const params = embedParams(id);
  return {
    id,
    label,
    topK: Object.hasOwn(params, "top_k"),
    truncateInputs: Object.hasOwn(params, "truncate_inputs"),
  };
}

/**
 * Every Workers AI model that reranks `contexts` against a `query` (the
 * published definitions whose input has both).
 *
 * @example
 * ```ts
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { RERANKER_MODELS } from "@x/cloudflare-ai/models";
 *
 * // A reference for each (bge-reranker-base, bge-m3), to compare their rankings.
 * const rerankers = RERANKER_MODELS.map((m) => cloudflareAI.reranker(m.id));
 * console.log(rerankers.map((r) => r.name)); // ["cloudflare-ai/@cf/baai/bge-reranker-base", ...]
 * ```
 */
export const RERANKER_MODELS: readonly RerankerSpec[] = [
  reranker("@cf/baai/bge-reranker-base", "BGE Reranker Base"),
  // bge-m3 scores `contexts` against a `query` too; it publishes no `top_k`.
  reranker("@cf/baai/bge-m3", "BGE M3 (query + contexts)"),
];

const RERANKER_BY_ID = byId(RERANKER_MODELS);

/** The catalog entry of a known reranker, or `undefined`. */
export function knownReranker(id: string): RerankerSpec | undefined {
  return RERANKER_BY_ID.get(id);
}

/**
 * The reranker spec for any id: the catalog entry when known, what its
 * published definition says when it has one, otherwise bge-reranker's format.
 */
export function rerankerSpec(id: string): RerankerSpec {
  const known = RERANKER_BY_ID.get(id);
  if (known) return known;
  if (publishedModel(id)) return reranker(id, workersLabel(id));
  return { id, label: workersLabel(id), topK: true, truncateInputs: false };
}
