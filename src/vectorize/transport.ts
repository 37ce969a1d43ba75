/**
 * One Vectorize index, over REST (`/accounts/{id}/vectorize/v2/indexes/{index}/…`)
 * or over a Workers binding (`env.<INDEX>`), behind the same three calls
 * (describe, upsert, query) with the same results and the same errors.
 *
 * @module
 */
import { GenkitError } from "genkit";
import { serviceError, type ServiceTarget, viaServiceBinding } from "../client/api.ts";
import type { WorkersAIClient } from "../client/client.ts";
import type { VectorizeFilter } from "./filter.ts";

/**
 * A vector as Vectorize stores it.
 *
 * @example
 * ```ts
 * import type { VectorizeVector } from "@x/cloudflare-ai";
 *
 * const v: VectorizeVector = { id: "doc-1", values: [0.1, 0.2, 0.3], metadata: { lang: "en" } };
 * ```
 */
export interface VectorizeVector {
  /** Its id, at most 64 bytes. */
  id: string;
  /** Its values, as many as the index has dimensions. */
  values: number[] | Float32Array | Float64Array;
  /** Its namespace. */
  namespace?: string;
  /** Its metadata, at most 10 KiB as JSON. */
  metadata?: Record<string, unknown>;
}

/**
 * One match of a query.
 *
 * @example
 * ```ts
 * import type { VectorizeMatch } from "@x/cloudflare-ai";
 *
 * const best = (m: VectorizeMatch[]) => m[0]?.id;
 * ```
 */
export interface VectorizeMatch {
  /** The vector's id. */
  id: string;
  /** Its score; for cosine higher is closer, for euclidean and dot-product lower is. */
  score: number;
  /** Its values, when asked for. */
  values?: number[];
  /** Its metadata, when asked for. */
  metadata?: Record<string, unknown>;
  /** Its namespace. */
  namespace?: string;
}

/**
 * The part of a Vectorize binding (`env.<INDEX>` in a Worker, wrangler
 * `[[vectorize]]`) that this plugin uses.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { type AiBinding, cloudflareAI, type VectorizeBinding } from "@x/cloudflare-ai";
 *
 * export default {
 *   async fetch(req: Request, env: { AI: AiBinding; DOCS: VectorizeBinding }) {
 *     const ai = genkit({
 *       plugins: [cloudflareAI({ binding: env.AI, vectorizeBindings: { docs: env.DOCS } })],
 *     });
 *     const retriever = cloudflareAI.vectorizeRetriever("docs", {
 *       embedder: "@cf/baai/bge-base-en-v1.5",
 *     });
 *     const docs = await ai.retrieve({ retriever, query: await req.text() });
 *     return Response.json(docs.map((d) => d.text));
 *   },
 * };
 * ```
 */
export interface VectorizeBinding {
  /** The index's dimensions and how far writes are applied. */
  describe(): Promise<unknown>;
  /** Inserts or replaces vectors; resolves to `{ mutationId }`. */
  upsert(vectors: VectorizeVector[]): Promise<unknown>;
  /** The nearest vectors; resolves to `{ count, matches }`. */
  query(vector: number[], options: Record<string, unknown>): Promise<unknown>;
}

/** What `describe`/`info` tells of an index. */
export interface IndexInfo {
  dimensions: number;
  vectorCount?: number;
  processedUpToMutation?: string;
  processedUpToDatetime?: string;
}

/** A query, as the body of `/query` (and the options of `binding.query`). */
export interface QueryBody {
  topK: number;
  returnMetadata: "all" | "indexed" | "none";
  returnValues?: boolean;
  namespace?: string;
  filter?: VectorizeFilter;
}

/** Advice for the statuses where Cloudflare's message does not say what to do. */
const HINTS: Readonly<Record<number, string>> = {
  401: "Check CLOUDFLARE_API_TOKEN (or apiToken): the token is invalid, expired or missing.",
  403: "Give the API token the Vectorize Edit permission (Vectorize Read for queries only).",
  404: "Create the index first (`wrangler vectorize create <name> --dimensions=<n> " +
    "--metric=cosine`), or check its name and the account id.",
  429: "Vectorize rate-limits the API (1200 requests per 5 minutes); send fewer, larger batches.",
};

/** How one index is reached, over REST or a binding. */
export class VectorizeIndex {
  /** The most vectors one upsert takes: 5000 over HTTP, 1000 through a binding (reference §5.3). */
  readonly maxBatch: number;

  constructor(
    readonly name: string,
    readonly client: WorkersAIClient,
    readonly binding?: VectorizeBinding,
  ) {
    this.maxBatch = binding ? 1000 : 5000;
    if (!binding && !client.hasAccount) {
      throw new GenkitError({
        status: "FAILED_PRECONDITION",
        message: `Vectorize index ${name}: no way to reach it. Pass its binding to the plugin ` +
          `(cloudflareAI({ vectorizeBindings: { "${name}": env.MY_INDEX } })), or an account id ` +
          "and an API token with the Vectorize permissions.",
      });
    }
  }

  #target(op: string): ServiceTarget {
    return { service: "Vectorize", target: `index ${this.name}`, op, hints: HINTS };
  }

  #path(op: string): string {
    return `vectorize/v2/indexes/${this.name}/${op}`;
  }

  async #rest(op: string, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    try {
      const request = body === undefined ? undefined : typeof body === "string"
        ? {
          body: {
            bytes: new TextEncoder().encode(body),
            contentType: "application/x-ndjson",
          },
        }
        : { body: { json: body } };
      const out = await this.client.account(`Vectorize index ${this.name}`, path, request, {
        signal,
      });
      return (out as { result: unknown }).result;
    } catch (e) {
      throw serviceError(this.#target(op), e);
    }
  }

  /** The index's dimensions and write progress. */
  async describe(signal?: AbortSignal): Promise<IndexInfo> {
    const raw = this.binding
      ? await viaServiceBinding(this.#target("describe"), () => this.binding!.describe(), signal)
      : await this.#rest("describe", this.#path("info"), undefined, signal);
    const o = (raw ?? {}) as Record<string, unknown>;
    // A v2 binding answers vectorCount and dimensions; some answer config.dimensions.
    const dims = o.dimensions ?? (o.config as { dimensions?: unknown } | undefined)?.dimensions;
    if (typeof dims !== "number") throw this.#malformed("describe", "no dimensions");
    return {
      dimensions: dims,
      vectorCount: typeof o.vectorCount === "number" ? o.vectorCount : undefined,
      // The binding types these as numbers, REST answers strings (reference §5.5).
      processedUpToMutation: o.processedUpToMutation == null
        ? undefined
        : String(o.processedUpToMutation),
      processedUpToDatetime: o.processedUpToDatetime == null
        ? undefined
        : String(o.processedUpToDatetime),
    };
  }

  /** Upserts one batch: NDJSON lines over REST, the vectors through a binding. */
  async upsert(
    vectors: VectorizeVector[],
    ndjson: () => string,
    signal?: AbortSignal,
  ): Promise<string> {
    const raw = this.binding
      ? await viaServiceBinding(this.#target("upsert"), () => this.binding!.upsert(vectors), signal)
      : await this.#rest("upsert", this.#path("upsert"), ndjson(), signal);
    const id = (raw as { mutationId?: unknown } | null)?.mutationId;
    if (typeof id !== "string" && typeof id !== "number") {
      throw this.#malformed("upsert", "no mutationId");
    }
    return String(id);
  }

  /** The nearest vectors to `vector`. */
  async query(vector: number[], body: QueryBody, signal?: AbortSignal): Promise<VectorizeMatch[]> {
    const raw = this.binding
      ? await viaServiceBinding(
        this.#target("query"),
        () => this.binding!.query(vector, { ...body }),
        signal,
      )
      : await this.#rest("query", this.#path("query"), { vector, ...body }, signal);
    const matches = (raw as { matches?: unknown } | null)?.matches;
    if (!Array.isArray(matches)) throw this.#malformed("query", "no matches array");
    for (const m of matches) {
      if (typeof m?.id !== "string" || typeof m?.score !== "number") {
        throw this.#malformed("query", "a match without an id or a score");
      }
    }
    return matches as VectorizeMatch[];
  }

  #malformed(op: string, what: string): GenkitError {
    return new GenkitError({
      status: "INTERNAL",
      message: `Vectorize ${op} on index ${this.name} answered with ${what}: the answer is ` +
        "malformed. Try again; if it persists, the API may have changed.",
    });
  }
}
