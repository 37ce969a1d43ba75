/**
 * The reranking task family: a Genkit query and documents to a Workers AI
 * `{query, contexts}` request, and its `{id, score}` ranking back to ranked
 * documents that keep their own metadata.
 *
 * @module
 */
import { type ActionMetadata, type Document, GenkitError } from "genkit";
import { toJsonSchema } from "genkit/schema";
import { reranker } from "genkit/plugin";
import type { RerankerAction } from "genkit/reranker";
import type { WorkersAIClient } from "../client/client.ts";
import { documentText } from "../documents.ts";
import type { TaskFamily } from "../task_family.ts";
import { retrievalRef } from "../refs.ts";
import { knownReranker, RERANKER_MODELS, type RerankerSpec, rerankerSpec } from "./catalog.ts";
import {
  type RerankConfig,
  rerankConfigSchemaFor,
  rerankerInfo,
  rerankWireFields,
  validateRerankConfig,
} from "./config.ts";

/** The request body ranking `contexts` against `query`. */
function toRerankBody(
  spec: RerankerSpec,
  config: RerankConfig,
  query: string,
  contexts: string[],
): Record<string, unknown> {
  return {
    query,
    contexts: contexts.map((text) => ({ text })),
    ...rerankWireFields(spec, config),
  };
}

/** The `{id, score}` ranking of an answer, best first. */
function readRanking(
  spec: RerankerSpec,
  result: unknown,
  count: number,
): { id: number; score: number }[] {
  const response = (result as { response?: unknown } | null)?.response;
  const bad = (why: string) =>
    new GenkitError({
      status: "INTERNAL",
      message: `Workers AI answered ${spec.id} with ${why}; expected a ranking of ${count} ` +
        "contexts as response: [{id, score}].",
      detail: { model: spec.id },
    });
  if (!Array.isArray(response)) throw bad("no response array");
  const ranking = response.map((r) => {
    const { id, score } = (r ?? {}) as Record<string, unknown>;
    if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= count) {
      throw bad(`a context id of ${JSON.stringify(id)}`);
    }
    if (typeof score !== "number" || !Number.isFinite(score)) {
      throw bad(`a score of ${JSON.stringify(score)}`);
    }
    return { id: id as number, score };
  });
  // bge-reranker-base documents its answer as sorted best first; bge-m3 does
  // not say, so the order is made certain here (stable for equal scores).
  return ranking.sort((a, b) => b.score - a.score);
}

/** Defines the Genkit reranker action `cloudflare-ai/<id>` for one reranker. */
function defineReranker(
  spec: RerankerSpec,
  client: WorkersAIClient,
  actionName: string,
): RerankerAction {
  return reranker(
    { name: actionName, info: rerankerInfo(spec), configSchema: rerankConfigSchemaFor(spec) },
    async (query: Document, documents: Document[], options: unknown) => {
      const config = validateRerankConfig(spec, options);
      const q = documentText(spec.id, query, "the query", "rerank");
      const texts = documents.map((doc, i) =>
        documentText(spec.id, doc, `documents[${i}]`, "rerank")
      );
      if (texts.length === 0) return { documents: [] };
      // Genkit 1.42 hands a reranker no abort signal: only timeoutMs bounds this call.
      const result = await client.run(spec.id, toRerankBody(spec, config, q, texts));
      const ranking = readRanking(spec, result, texts.length);
      const kept = config.topK === undefined ? ranking : ranking.slice(0, config.topK);
      return {
        documents: kept.map(({ id, score }) => ({
          content: documents[id].content,
          metadata: { ...documents[id].metadata, score },
        })),
      };
    },
  );
}

/**
 * The reranking family. Workers AI lists rerankers under `Text
 * Classification`, beside classifiers, so it claims no task: its models are
 * the catalog's, and any id asked for as a reranker.
 */
export const rerankFamily: TaskFamily<RerankerSpec> = {
  name: "rerank",
  actionType: "reranker",
  noun: "a reranker",
  suggestion: "Use @cf/baai/bge-reranker-base, or @cf/baai/bge-m3 in its query + contexts mode.",
  tasks: [],
  catalog: RERANKER_MODELS,
  known: knownReranker,
  spec: (id) => rerankerSpec(id),
  define: (spec, name, context) => defineReranker(spec, context.client, name),
  // Genkit has no helper for rerankers; this is the metadata its reranker()
  // gives the action once it is resolved.
  metadata: (spec, name): ActionMetadata => ({
    actionType: "reranker",
    name,
    metadata: {
      type: "reranker",
      info: rerankerInfo(spec),
      reranker: { customOptions: toJsonSchema({ schema: rerankConfigSchemaFor(spec) }) },
    },
  }),
  ref: (spec, name, config) =>
    retrievalRef(
      name,
      rerankerInfo(spec),
      rerankConfigSchemaFor(spec),
      config,
      (c) => validateRerankConfig(spec, c),
    ),
};
