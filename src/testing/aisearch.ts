/**
 * The emulator's AI Search (reference §6): instances over a small corpus,
 * the namespace-scoped `search` endpoint (retrieval only) with its
 * `ai_search_options` judged, and the legacy AutoRAG `search`. Scores are
 * deterministic relevance in (0, 1) of the query to each chunk.
 *
 * @module
 */

import { ApiError } from "./errors.ts";
import { rank } from "./scoring.ts";
import { isObject } from "./util.ts";
import { judgeFilter, matchesFilter } from "./vectorize_filter.ts";

/**
 * A file of an emulated AI Search instance; each is one chunk.
 *
 * @example
 * ```ts
 * import type { AiSearchItem } from "@x/cloudflare-ai/testing";
 *
 * const item: AiSearchItem = {
 *   key: "manuals/kettle.md",
 *   text: "Hold the button for five seconds to reset the kettle.",
 *   timestamp: 1735689600,
 *   metadata: { folder: "manuals/" },
 * };
 * ```
 */
export interface AiSearchItem {
  /** Its key (path) in the data source. */
  key: string;
  /** Its text. */
  text: string;
  /** Its modification time, in seconds. Default: 2025-01-01. */
  timestamp?: number;
  /** Its metadata, which filters see (`folder`, `timestamp` and custom fields). */
  metadata?: Record<string, unknown>;
}

/**
 * The emulator's AI Search options.
 *
 * @example
 * ```ts
 * import { type AiSearchEmulatorOptions, startEmulator } from "@x/cloudflare-ai/testing";
 *
 * const aiSearch: AiSearchEmulatorOptions = {
 *   instances: [{ name: "faq", items: [{ key: "faq.md", text: "We ship worldwide." }] }],
 * };
 * await using emu = await startEmulator({ aiSearch });
 * ```
 */
export interface AiSearchEmulatorOptions {
  /** Instances (namespace `default` unless named); default one instance `docs` over a small corpus. */
  instances?: { name: string; namespace?: string; items: AiSearchItem[] }[];
}

/** The corpus of the default instance, `default/docs`. */
export const DEFAULT_AI_SEARCH_ITEMS: readonly AiSearchItem[] = [
  {
    key: "products/workers-ai.md",
    text: "Workers AI runs machine learning models on Cloudflare's global network of GPUs.",
    metadata: { folder: "products/" },
  },
  {
    key: "products/vectorize.md",
    text: "Vectorize is a globally distributed vector database for embeddings and semantic search.",
    metadata: { folder: "products/" },
  },
  {
    key: "products/ai-search.md",
    text:
      "AI Search indexes your data source and answers queries with retrieval augmented generation.",
    metadata: { folder: "products/" },
  },
  {
    key: "history/ada.md",
    text: "Ada Lovelace wrote the first computer program for the Analytical Engine in 1843.",
    metadata: { folder: "history/" },
  },
  {
    key: "history/grace.md",
    text: "Grace Hopper built the first compiler and popularised machine independent languages.",
    metadata: { folder: "history/" },
  },
];

const DEFAULT_TIMESTAMP = 1735689600;

/** One emulator's AI Search instances. */
export class AiSearchService {
  readonly #instances = new Map<string, AiSearchItem[]>();

  constructor(options: AiSearchEmulatorOptions = {}) {
    const instances = options.instances ??
      [{ name: "docs", items: [...DEFAULT_AI_SEARCH_ITEMS] }];
    for (const i of instances) {
      this.#instances.set(`${i.namespace ?? "default"}/${i.name}`, i.items);
    }
  }

  /** Answers a request under `ai-search/` or `autorag/`. */
  answer(method: string, sub: string, body: unknown): unknown {
    const current = /^ai-search\/namespaces\/([^/]+)\/instances\/([^/]+)\/search$/.exec(sub);
    const deprecated = /^ai-search\/instances\/([^/]+)\/search$/.exec(sub);
    const legacy = /^autorag\/rags\/([^/]+)\/search$/.exec(sub);
    const [ns, name] = current
      ? [current[1], current[2]]
      : deprecated
      ? ["default", deprecated[1]]
      : legacy
      ? ["default", legacy[1]]
      : [];
    if (ns === undefined || name === undefined) {
      throw new ApiError(404, 7000, "No route for that URI");
    }
    if (method !== "POST") throw new ApiError(405, 10405, "Method not allowed");
    const items = this.#instances.get(`${ns}/${name}`);
    if (!items) throw new ApiError(404, 7002, `AI Search instance ${ns}/${name} not found`);
    if (!isObject(body)) throw new ApiError(400, 7001, "Request body must be a JSON object");
    return legacy ? this.#legacy(items, body) : this.#search(items, body);
  }

  #search(items: AiSearchItem[], body: Record<string, unknown>) {
    const hasQuery = typeof body.query === "string";
    if (hasQuery === (body.messages !== undefined)) {
      throw new ApiError(400, 7001, "Exactly one of query or messages is required");
    }
    let query = hasQuery ? body.query as string : lastUserText(body.messages);
    if (query.trim() === "") throw new ApiError(400, 7001, "query must not be empty");
    const o = isObject(body.ai_search_options) ? body.ai_search_options : {};
    const r = isObject(o.retrieval) ? o.retrieval : {};
    const max = num(r.max_num_results, "max_num_results", 1, 50, 10, true);
    const threshold = num(r.match_threshold, "match_threshold", 0, 1, 0.4, false);
    num(r.context_expansion, "context_expansion", 0, 3, 0, true);
    const type = r.retrieval_type ?? "hybrid";
    if (!["vector", "keyword", "hybrid"].includes(type as string)) {
      throw new ApiError(400, 7001, "retrieval_type must be vector, keyword or hybrid");
    }
    const filter = judgeFilter(r.filters);
    const rewrite = isObject(o.query_rewrite) && o.query_rewrite.enabled === true;
    if (rewrite) query = query.toLowerCase().replace(/[?!.]+$/, "").trim();
    const rr = isObject(o.reranking) ? o.reranking : {};
    const rerank = rr.enabled === true;
    const rerankThreshold = num(rr.match_threshold, "reranking.match_threshold", 0, 1, 0.4, false);
    const chunks = this.#ranked(items, query, filter)
      .filter((c) => c.score >= threshold && (!rerank || c.score >= rerankThreshold))
      .slice(0, max)
      .map(({ item, score, i }) => ({
        id: `chunk-${i}`,
        type: "text",
        score,
        text: item.text,
        item: {
          key: item.key,
          timestamp: item.timestamp ?? DEFAULT_TIMESTAMP,
          ...(item.metadata ? { metadata: item.metadata } : {}),
        },
        scoring_details: {
          vector_score: score,
          keyword_score: score,
          fusion_method: isObject(r) && r.fusion_method === "max" ? "max" : "rrf",
          ...(rerank ? { reranking_score: score } : {}),
        },
      }));
    return { search_query: query, chunks };
  }

  #ranked(items: AiSearchItem[], query: string, filter: Record<string, unknown> | undefined) {
    const kept = items.map((item, i) => ({ item, i })).filter(({ item }) => {
      if (!filter) return true;
      const metadata = { timestamp: item.timestamp ?? DEFAULT_TIMESTAMP, ...item.metadata };
      return matchesFilter(filter, metadata, new Set(Object.keys(filter)));
    });
    return rank(query, kept.map((k) => k.item.text)).map(({ id, score }) => ({
      ...kept[id],
      score,
    }));
  }

  /** The legacy AutoRAG `search` answer shape. */
  #legacy(items: AiSearchItem[], body: Record<string, unknown>) {
    if (typeof body.query !== "string" || body.query === "") {
      throw new ApiError(400, 7001, "query is required");
    }
    const max = num(body.max_num_results, "max_num_results", 1, 50, 10, true);
    const ro = isObject(body.ranking_options) ? body.ranking_options : {};
    const threshold = num(ro.score_threshold, "score_threshold", 0, 1, 0, false);
    const data = this.#ranked(items, body.query, undefined)
      .filter((c) => c.score >= threshold)
      .slice(0, max)
      .map(({ item, score, i }) => ({
        file_id: `file-${i}`,
        filename: item.key,
        score,
        attributes: {
          modified_date: (item.timestamp ?? DEFAULT_TIMESTAMP) * 1000,
          ...item.metadata,
        },
        content: [{ id: `chunk-${i}`, type: "text", text: item.text }],
      }));
    return {
      object: "vector_store.search_results.page",
      search_query: body.query,
      data,
      has_more: false,
      next_page: null,
    };
  }
}

function num(v: unknown, name: string, min: number, max: number, fallback: number, int: boolean) {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || v < min || v > max || (int && !Number.isInteger(v))) {
    throw new ApiError(400, 7001, `${name} must be a number between ${min} and ${max}`);
  }
  return v;
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) throw new ApiError(400, 7001, "messages must be an array");
  const last = [...messages].reverse().find((m) => isObject(m) && m.role === "user");
  return isObject(last) && typeof last.content === "string" ? last.content : "";
}
