/**
 * A Vectorize binding (`env.<INDEX>` in a Worker) backed by an emulator's
 * index, behaving as Cloudflare's binding does (reference §5.5–5.6): vectors
 * sent as NDJSON, `returnMetadata` booleans mapped to `all`/`none`, and
 * failures thrown as `VECTOR_<OP>_ERROR (code = N): <message>`.
 *
 * @module
 */

import type { Emulator } from "./types.ts";

/**
 * The methods of a Vectorize v2 binding, as the emulator's fake implements them.
 *
 * @example
 * ```ts
 * import { startEmulator, vectorizeBinding } from "@x/cloudflare-ai/testing";
 *
 * await using emu = await startEmulator({
 *   vectorize: { indexes: [{ name: "docs", dimensions: 3, metric: "cosine" }] },
 * });
 * const DOCS = vectorizeBinding(emu, "docs");
 * await DOCS.upsert([{ id: "a", values: [1, 0, 0] }]);
 * const { matches } = await DOCS.query([1, 0, 0], { topK: 1 }); // [{ id: "a", score: 1 }]
 * ```
 */
export interface FakeVectorizeBinding {
  /** `{ dimensions, vectorCount, processedUpToDatetime, processedUpToMutation }`. */
  describe(): Promise<Record<string, unknown>>;
  /** Inserts new ids only. */
  insert(vectors: BindingVector[]): Promise<{ mutationId: string }>;
  /** Inserts or replaces. */
  upsert(vectors: BindingVector[]): Promise<{ mutationId: string }>;
  /** The nearest vectors. */
  query(vector: number[] | Float32Array, options?: Record<string, unknown>): Promise<QueryResult>;
  /** The nearest vectors to a stored one. */
  queryById(id: string, options?: Record<string, unknown>): Promise<QueryResult>;
  /** Stored vectors by id. */
  getByIds(ids: string[]): Promise<unknown[]>;
  /** Deletes by id. */
  deleteByIds(ids: string[]): Promise<{ mutationId: string }>;
}

/** A vector given to the fake binding. */
export interface BindingVector {
  /** Its id. */
  id: string;
  /** Its values. */
  values: number[] | Float32Array | Float64Array;
  /** Its namespace. */
  namespace?: string;
  /** Its metadata. */
  metadata?: Record<string, unknown>;
}

/** What a query resolves to. */
export interface QueryResult {
  /** How many matches. */
  count: number;
  /** The matches, best first. */
  matches: { id: string; score: number; [key: string]: unknown }[];
}

/**
 * A fake Vectorize binding for index `index` of a running emulator, for
 * testing Worker code that takes `env.<INDEX>` without Cloudflare.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { startEmulator, vectorizeBinding } from "@x/cloudflare-ai/testing";
 *
 * await using emu = await startEmulator({
 *   vectorize: { indexes: [{ name: "docs", dimensions: 768, metric: "cosine" }] },
 * });
 * const { url: baseUrl, accountId, apiToken } = emu;
 * const ai = genkit({
 *   plugins: [cloudflareAI({
 *     baseUrl, accountId, apiToken,
 *     vectorizeBindings: { docs: vectorizeBinding(emu, "docs") },
 *   })],
 * });
 * ```
 */
export function vectorizeBinding(emu: Emulator, index: string): FakeVectorizeBinding {
  const base = `${emu.url}/accounts/${emu.accountId}/vectorize/v2/indexes/${
    encodeURIComponent(index)
  }`;
  const headers = { authorization: `Bearer ${emu.apiToken}` };
  const call = async (op: string, path: string, init: RequestInit): Promise<unknown> => {
    const res = await fetch(`${base}/${path}`, {
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
    });
    const text = await res.text();
    let body: { result?: unknown; errors?: { code: number; message: string }[] } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!res.ok || !body) {
      const e = body?.errors?.[0];
      throw new Error(
        e ? `${op} (code = ${e.code}): ${e.message}` : `${op}: Status + ${res.status}`,
      );
    }
    return body.result;
  };
  const ndjson = (vectors: BindingVector[]) =>
    vectors.map((v) => JSON.stringify({ ...v, values: Array.from(v.values) })).join("\n");
  const write = (op: string, path: string) => (vectors: BindingVector[]) =>
    call(op, path, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body: ndjson(vectors),
    }) as Promise<{ mutationId: string }>;
  const post = (op: string, path: string, body: unknown) =>
    call(op, path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const queryOptions = (options: Record<string, unknown> = {}) => {
    const out = { ...options };
    if (typeof out.returnMetadata === "boolean") {
      out.returnMetadata = out.returnMetadata ? "all" : "none";
    }
    return out;
  };
  return {
    describe: () => call("VECTOR_INDEX_GET_ERROR", "info", {}) as Promise<Record<string, unknown>>,
    insert: write("VECTOR_INSERT_ERROR", "insert"),
    upsert: write("VECTOR_UPSERT_ERROR", "upsert"),
    query: (vector, options) =>
      post("VECTOR_QUERY_ERROR", "query", {
        ...queryOptions(options),
        vector: Array.from(vector),
      }) as Promise<QueryResult>,
    queryById: (id, options) =>
      post("VECTOR_QUERY_ERROR", "query", {
        ...queryOptions(options),
        vectorId: id,
      }) as Promise<QueryResult>,
    getByIds: (ids) => post("VECTOR_GET_ERROR", "get_by_ids", { ids }) as Promise<unknown[]>,
    deleteByIds: (ids) =>
      post("VECTOR_DELETE_ERROR", "delete_by_ids", { ids }) as Promise<{ mutationId: string }>,
  };
}
