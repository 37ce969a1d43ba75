/**
 * The AI Search retriever: the namespace-scoped `search` endpoint
 * (retrieval only, reference §6.1) over REST or the namespace binding, with
 * `k` as `max_num_results`, the match threshold, filters, query rewriting
 * and reranking; each chunk a Genkit document with its text, source key,
 * timestamp and score.
 *
 * @module
 */
import { Document, GenkitError, retrieverRef, z } from "genkit";
import { retriever } from "genkit/plugin";
import type { RetrieverAction } from "genkit/retriever";
import { serviceError, type ServiceTarget, viaServiceBinding } from "../client/api.ts";
import type { WorkersAIClient } from "../client/client.ts";
import { documentText } from "../documents.ts";
import { invalidArgument } from "../errors.ts";
import type { ZodSchema } from "../refs.ts";
import type { RetrieverRef } from "../vectorize/refs.ts";
import { checkModelId } from "../model_ids.ts";
import { checkFilter, type VectorizeFilter } from "../vectorize/filter.ts";
import {
  aiSearchActionName,
  type AiSearchBinding,
  checkAiSearchName,
  parseAiSearchName,
} from "./names.ts";

/**
 * Options of one `ai.retrieve()` call with an AI Search retriever.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { type AiSearchRetrieveOptions, cloudflareAI } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const options: AiSearchRetrieveOptions = {
 *   k: 5,
 *   matchThreshold: 0.5,
 *   filters: { folder: "manuals/" },
 *   rewriteQuery: true,
 *   reranking: { model: "@cf/baai/bge-reranker-base" },
 * };
 * const retriever = cloudflareAI.aiSearchRetriever("docs");
 * const docs = await ai.retrieve({ retriever, query: "How do I reset it?", options });
 * console.log(docs[0].metadata?.key, docs[0].metadata?.score);
 * ```
 */
export interface AiSearchRetrieveOptions {
  /** How many chunks, 1 to 50 (`max_num_results`). @default {10} */
  k?: number;
  /** The least score a chunk needs, 0 to 1. @default {0.4} */
  matchThreshold?: number;
  /** A metadata filter in Vectorize's form (`folder`, `timestamp`, custom metadata). */
  filters?: VectorizeFilter;
  /** `vector`, `keyword` or `hybrid`. @default {"hybrid"} */
  retrievalType?: "vector" | "keyword" | "hybrid";
  /** Rewrite the query with a model before searching. @default {false} */
  rewriteQuery?: boolean;
  /** Rerank the chunks (`true`, or the reranker and its threshold). @default {false} */
  reranking?: boolean | { model?: string; matchThreshold?: number };
  /** Neighbouring chunks added around each match, 0 to 3. */
  contextExpansion?: number;
}

/** The schema of {@link AiSearchRetrieveOptions}, as the retriever's `configSchema`. */
export const AiSearchRetrieveOptionsSchema: ZodSchema = z.object({
  k: z.number().optional().describe("max_num_results, 1-50"),
  matchThreshold: z.number().optional().describe("0-1"),
  filters: z.record(z.any()).optional(),
  retrievalType: z.enum(["vector", "keyword", "hybrid"]).optional(),
  rewriteQuery: z.boolean().optional(),
  reranking: z.union([
    z.boolean(),
    z.object({ model: z.string().optional(), matchThreshold: z.number().optional() }),
  ]).optional(),
  contextExpansion: z.number().optional(),
});

const KNOWN = [
  "k",
  "matchThreshold",
  "filters",
  "retrievalType",
  "rewriteQuery",
  "reranking",
  "contextExpansion",
];

function between(where: string, name: string, v: unknown, min: number, max: number, int: boolean) {
  if (
    v !== undefined &&
    (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max ||
      (int && !Number.isInteger(v)))
  ) {
    throw invalidArgument(
      `${where}: options.${name} must be a ${int ? "whole " : ""}number from ${min} to ${max}, ` +
        `got ${JSON.stringify(v)}.`,
    );
  }
}

/** The `ai_search_options` of a call's options, checked. */
export function searchOptions(where: string, options: unknown): Record<string, unknown> {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw invalidArgument(`${where}: options must be an object.`);
  }
  const o = (options ?? {}) as AiSearchRetrieveOptions & Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) {
    throw invalidArgument(
      `${where}: unknown option ${unknown.join(", ")}; it takes ${KNOWN.join(", ")}.`,
    );
  }
  between(where, "k", o.k, 1, 50, true);
  between(where, "matchThreshold", o.matchThreshold, 0, 1, false);
  between(where, "contextExpansion", o.contextExpansion, 0, 3, true);
  if (o.retrievalType !== undefined && !["vector", "keyword", "hybrid"].includes(o.retrievalType)) {
    throw invalidArgument(`${where}: options.retrievalType must be vector, keyword or hybrid.`);
  }
  if (o.rewriteQuery !== undefined && typeof o.rewriteQuery !== "boolean") {
    throw invalidArgument(`${where}: options.rewriteQuery must be a boolean.`);
  }
  const retrieval: Record<string, unknown> = { max_num_results: o.k ?? 10 };
  if (o.matchThreshold !== undefined) retrieval.match_threshold = o.matchThreshold;
  const filters = checkFilter(o.filters, where);
  if (filters !== undefined) retrieval.filters = filters;
  if (o.retrievalType !== undefined) retrieval.retrieval_type = o.retrievalType;
  if (o.contextExpansion !== undefined) retrieval.context_expansion = o.contextExpansion;
  const out: Record<string, unknown> = { retrieval };
  if (o.rewriteQuery !== undefined) out.query_rewrite = { enabled: o.rewriteQuery };
  const r = o.reranking;
  if (r !== undefined) {
    if (typeof r === "boolean") out.reranking = { enabled: r };
    else if (typeof r === "object" && r !== null) {
      if (r.model !== undefined) checkModelId(r.model);
      between(where, "reranking.matchThreshold", r.matchThreshold, 0, 1, false);
      out.reranking = {
        enabled: true,
        ...(r.model !== undefined ? { model: r.model } : {}),
        ...(r.matchThreshold !== undefined ? { match_threshold: r.matchThreshold } : {}),
      };
    } else throw invalidArgument(`${where}: options.reranking must be a boolean or an object.`);
  }
  return out;
}

interface Chunk {
  id?: string;
  score?: number;
  text?: string;
  item?: { key?: string; timestamp?: number | string; metadata?: Record<string, unknown> };
  scoring_details?: Record<string, unknown>;
}

/** A chunk as a Genkit document. */
function chunkDocument(c: Chunk): Document {
  const metadata: Record<string, unknown> = {
    id: c.id,
    score: c.score,
    key: c.item?.key,
    timestamp: c.item?.timestamp,
  };
  if (c.item?.metadata) metadata.itemMetadata = c.item.metadata;
  if (c.scoring_details) metadata.scoringDetails = c.scoring_details;
  return Document.fromText(c.text ?? "", metadata);
}

/**
 * What an AI Search retriever reference is made with.
 *
 * @example
 * ```ts
 * import { type AiSearchRefOptions, cloudflareAI } from "@x/cloudflare-ai";
 *
 * const options: AiSearchRefOptions = { namespace: "support" };
 * const retriever = cloudflareAI.aiSearchRetriever("manuals", options);
 * ```
 */
export interface AiSearchRefOptions {
  /** The AI Search namespace of the instance. @default {"default"} */
  namespace?: string;
}

/**
 * `cloudflareAI.aiSearchRetriever(instance, { namespace })`: a reference to
 * the retriever `cloudflare-ai/aisearch/<namespace>/<instance>`.
 */
export function aiSearchRetrieverRef(
  instance: string,
  options: AiSearchRefOptions = {},
): RetrieverRef {
  const name = checkAiSearchName(instance, "instance");
  if (typeof options !== "object" || options === null) {
    throw invalidArgument(`AI Search instance ${name}: options must be an object.`);
  }
  const extra = Object.keys(options).filter((k) => k !== "namespace");
  if (extra.length > 0) {
    throw invalidArgument(
      `AI Search instance ${name}: unknown option ${extra.join(", ")}; a reference takes ` +
        "namespace; search options go to ai.retrieve as options.",
    );
  }
  const namespace = checkAiSearchName(options.namespace ?? "default", "namespace");
  return retrieverRef({
    name: `cloudflare-ai/${aiSearchActionName(namespace, name)}`,
    configSchema: AiSearchRetrieveOptionsSchema,
    info: { label: `AI Search ${namespace}/${name}` },
  });
}

/** The retriever action of a name `aisearch/<namespace>/<instance>`. */
export function resolveAiSearch(
  name: string,
  client: WorkersAIClient,
  bindings: ReadonlyMap<string, AiSearchBinding>,
): RetrieverAction<ZodSchema> {
  const { namespace, instance } = parseAiSearchName(name);
  const binding = bindings.get(namespace);
  if (!binding && !client.hasAccount) {
    throw new GenkitError({
      status: "FAILED_PRECONDITION",
      message: `AI Search ${namespace}/${instance}: no way to reach it. Pass the namespace's ` +
        `binding (cloudflareAI({ aiSearchBindings: { "${namespace}": env.AI_SEARCH } })), or ` +
        "an account id and an API token with AI Search Edit and Run.",
    });
  }
  const where = `AI Search ${namespace}/${instance}`;
  const t: ServiceTarget = {
    service: "AI Search",
    target: `instance ${namespace}/${instance}`,
    op: "search",
    hints: {
      401: "Check CLOUDFLARE_API_TOKEN (or apiToken): the token is invalid, expired or missing.",
      403: "Give the API token the AI Search Edit and AI Search Run permissions.",
      404: "Check the instance and namespace names (every account has the namespace default).",
    },
  };
  return retriever(
    {
      name: `cloudflare-ai/${name}`,
      configSchema: AiSearchRetrieveOptionsSchema,
      info: { label: `AI Search ${namespace}/${instance}` },
    },
    async (query, options) => {
      const ai_search_options = searchOptions(where, options);
      const text = documentText(`AI Search ${instance}`, query, "the query", "embed");
      const body = { query: text, ai_search_options };
      let result: unknown;
      if (binding) {
        result = await viaServiceBinding(t, () => binding.get(instance).search(body));
        const r = result as { result?: unknown; success?: unknown } | null;
        if (r && "success" in r && "result" in r) result = r.result;
      } else {
        const path = `ai-search/namespaces/${namespace}/instances/${instance}/search`;
        try {
          const out = await client.account(`AI Search ${instance}`, path, { body: { json: body } });
          result = (out as { result: unknown }).result;
        } catch (e) {
          throw serviceError(t, e);
        }
      }
      const chunks = (result as { chunks?: unknown } | null)?.chunks;
      if (!Array.isArray(chunks)) {
        throw new GenkitError({
          status: "INTERNAL",
          message: `${where} answered without a chunks array: the answer is malformed. Try again.`,
        });
      }
      return { documents: (chunks as Chunk[]).map((c) => chunkDocument(c).toJSON()) };
    },
  );
}
