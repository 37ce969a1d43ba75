/**
 * The emulator's Vectorize v2 service (reference §5): indexes with their
 * dimensions and metric, NDJSON insert and upsert applied after a
 * configurable delay, queries by vector and by id with each metric's score,
 * metadata filters, namespaces, get and delete by ids, `info`, listing, and
 * the published limits. Error codes other than 40012 and 40026 (observed)
 * are the emulator's own: Cloudflare does not publish Vectorize's.
 *
 * @module
 */

export type { VectorizeEmulatorOptions, VectorizeIndexConfig } from "./vectorize_types.ts";

import { ApiError } from "./errors.ts";
import type { VectorizeEmulatorOptions, VectorizeIndexConfig } from "./vectorize_types.ts";
import { judgeFilter, matchesFilter } from "./vectorize_filter.ts";
import { isObject } from "./util.ts";

interface Stored {
  id: string;
  values: Float32Array;
  norm: number;
  namespace?: string;
  metadata?: Record<string, unknown>;
  /** Properties that had a metadata index when it was written. */
  filterable: ReadonlySet<string>;
}

interface Index {
  config: VectorizeIndexConfig;
  created: string;
  metadataIndexes: Map<string, string>;
  vectors: Map<string, Stored>;
  pending: { mutationId: string; due: number; apply: () => void }[];
  processedUpToMutation: string | null;
  processedUpToDatetime: string | null;
}

const PRESETS: Record<string, number> = {
  "@cf/baai/bge-small-en-v1.5": 384,
  "@cf/baai/bge-base-en-v1.5": 768,
  "@cf/baai/bge-large-en-v1.5": 1024,
  "openai/text-embedding-ada-002": 1536,
  "cohere/embed-multilingual-v2.0": 768,
};
const METRICS = new Set(["cosine", "euclidean", "dot-product"]);
const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const bytesOf = (s: string) => new TextEncoder().encode(s).length;

/** One emulator's Vectorize indexes. */
export class VectorizeService {
  readonly indexes = new Map<string, Index>();
  readonly applyDelayMs: number;

  constructor(options: VectorizeEmulatorOptions = {}) {
    this.applyDelayMs = options.applyDelayMs ?? 0;
    for (const c of options.indexes ?? []) this.create({ ...c });
  }

  /** Creates an index; refuses a bad or taken name or config. */
  create(config: VectorizeIndexConfig): Index {
    if (!NAME.test(config.name)) throw new ApiError(400, 40002, "Invalid index name");
    if (this.indexes.has(config.name)) {
      throw new ApiError(409, 40900, `An index named ${config.name} already exists`);
    }
    if (!Number.isInteger(config.dimensions) || config.dimensions < 1 || config.dimensions > 1536) {
      throw new ApiError(400, 40004, "dimensions must be between 1 and 1536");
    }
    if (!METRICS.has(config.metric)) throw new ApiError(400, 40005, "Invalid metric");
    const now = new Date().toISOString();
    const index: Index = {
      config,
      created: now,
      metadataIndexes: new Map(Object.entries(config.metadataIndexes ?? {})),
      vectors: new Map(),
      pending: [],
      processedUpToMutation: null,
      processedUpToDatetime: null,
    };
    this.indexes.set(config.name, index);
    return index;
  }

  /** The index, its pending writes applied when due; 404 when there is none. */
  get(name: string): Index {
    const index = this.indexes.get(name);
    if (!index) throw new ApiError(404, 40401, `Index ${name} not found`);
    const now = Date.now();
    while (index.pending.length > 0 && index.pending[0].due <= now) {
      const p = index.pending.shift()!;
      p.apply();
      index.processedUpToMutation = p.mutationId;
      index.processedUpToDatetime = new Date(Math.max(now, p.due)).toISOString();
    }
    return index;
  }

  /** Queues a write and returns its mutation id. */
  #mutate(index: Index, apply: () => void): { mutationId: string } {
    const mutationId = crypto.randomUUID();
    index.pending.push({ mutationId, due: Date.now() + this.applyDelayMs, apply });
    if (this.applyDelayMs <= 0) this.get(index.config.name);
    return { mutationId };
  }

  /** Insert (existing ids kept) or upsert (replaced) of NDJSON text. */
  write(name: string, ndjson: string, mode: "insert" | "upsert", discard: boolean) {
    const index = this.get(name);
    if (bytesOf(ndjson) > 100 * 1024 * 1024) {
      throw new ApiError(413, 41300, "Request body exceeds 100 MB");
    }
    const lines = ndjson.split(/\r?\n/).filter((l) => l.trim() !== "");
    if (lines.length > 5000) {
      throw new ApiError(400, 40006, `Too many vectors in one request: ${lines.length} (max 5000)`);
    }
    if (lines.length === 0) throw new ApiError(400, 40007, "No vectors in request body");
    const vectors: Stored[] = [];
    for (const line of lines) {
      try {
        vectors.push(this.#vector(index, line));
      } catch (e) {
        if (!discard) throw e;
      }
    }
    return this.#mutate(index, () => {
      for (const v of vectors) {
        if (mode === "insert" && index.vectors.has(v.id)) continue;
        index.vectors.set(v.id, v);
      }
    });
  }

  #vector(index: Index, line: string): Stored {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new ApiError(400, 40008, `Unparsable vector line: ${line.slice(0, 40)}`);
    }
    if (!isObject(v) || typeof v.id !== "string" || v.id === "") {
      throw new ApiError(400, 40009, "Each vector needs a string id");
    }
    if (bytesOf(v.id) > 64) throw new ApiError(400, 40010, `id "${v.id}" exceeds 64 bytes`);
    const values = v.values;
    if (!Array.isArray(values) || !values.every((x) => typeof x === "number")) {
      throw new ApiError(400, 40011, `invalid vector for id="${v.id}", values must be numbers`);
    }
    const dims = index.config.dimensions;
    if (values.length !== dims) {
      throw new ApiError(
        400,
        40012,
        `invalid vector for id="${v.id}", expected ${dims} dimensions, and got ${values.length} dimensions`,
      );
    }
    if (
      v.namespace !== undefined && (typeof v.namespace !== "string" || bytesOf(v.namespace) > 64)
    ) {
      throw new ApiError(400, 40013, `invalid namespace for id="${v.id}"`);
    }
    if (v.metadata !== undefined && !isObject(v.metadata)) {
      throw new ApiError(400, 40014, `metadata of id="${v.id}" must be an object`);
    }
    if (v.metadata && bytesOf(JSON.stringify(v.metadata)) > 10 * 1024) {
      throw new ApiError(400, 40015, `metadata of id="${v.id}" exceeds 10 KiB`);
    }
    const f = Float32Array.from(values as number[]);
    let norm = 0;
    for (const x of f) norm += x * x;
    return {
      id: v.id,
      values: f,
      norm: Math.sqrt(norm),
      ...(v.namespace !== undefined ? { namespace: v.namespace as string } : {}),
      ...(v.metadata !== undefined ? { metadata: v.metadata as Record<string, unknown> } : {}),
      filterable: new Set(index.metadataIndexes.keys()),
    };
  }

  /** A query by `vector` or `vectorId`. */
  query(name: string, body: unknown) {
    const index = this.get(name);
    if (!isObject(body)) throw new ApiError(400, 40000, "Request body must be a JSON object");
    const topK = body.topK ?? 5;
    const returnValues = body.returnValues ?? false;
    let returnMetadata = body.returnMetadata ?? "none";
    if (returnMetadata === true) returnMetadata = "all";
    if (returnMetadata === false) returnMetadata = "none";
    if (!["none", "indexed", "all"].includes(returnMetadata as string)) {
      throw new ApiError(400, 40026, "invalid return metadata");
    }
    const max = returnValues === true || returnMetadata === "all" ? 20 : 100;
    if (!Number.isInteger(topK) || (topK as number) < 1 || (topK as number) > max) {
      throw new ApiError(
        400,
        40025,
        `topK must be between 1 and ${max} when returnValues or returnMetadata=all is set`,
      );
    }
    const filter = judgeFilter(body.filter);
    let query: Float32Array;
    if (typeof body.vectorId === "string") {
      const v = index.vectors.get(body.vectorId);
      if (!v) throw new ApiError(404, 40402, `Vector ${body.vectorId} not found`);
      query = v.values;
    } else if (Array.isArray(body.vector)) {
      if (body.vector.length !== index.config.dimensions) {
        throw new ApiError(
          400,
          40012,
          `invalid query vector, expected ${index.config.dimensions} dimensions, and got ${body.vector.length} dimensions`,
        );
      }
      query = Float32Array.from(body.vector as number[]);
    } else {
      throw new ApiError(400, 40000, "A query needs a vector or a vectorId");
    }
    const metric = index.config.metric;
    let qn = 0;
    for (const x of query) qn += x * x;
    qn = Math.sqrt(qn);
    const scored: { v: Stored; score: number }[] = [];
    for (const v of index.vectors.values()) {
      if (body.namespace !== undefined && v.namespace !== body.namespace) continue;
      if (filter && !matchesFilter(filter, v.metadata, v.filterable)) continue;
      scored.push({ v, score: score(metric, query, qn, v) });
    }
    // cosine: higher is closer; euclidean (distance) and dot-product (negated): lower is.
    scored.sort((a, b) => metric === "cosine" ? b.score - a.score : a.score - b.score);
    const matches = scored.slice(0, topK as number).map(({ v, score }) => ({
      id: v.id,
      score,
      ...(returnValues === true ? { values: Array.from(v.values) } : {}),
      ...(returnMetadata !== "none" && v.metadata
        ? { metadata: returnMetadata === "all" ? v.metadata : indexedOnly(v) }
        : {}),
      ...(v.namespace !== undefined ? { namespace: v.namespace } : {}),
    }));
    return { count: matches.length, matches };
  }

  /** The stored vectors of these ids (missing ids left out). */
  getByIds(name: string, ids: unknown) {
    const index = this.get(name);
    return checkIds(ids).flatMap((id) => {
      const v = index.vectors.get(id);
      return v
        ? [{
          id,
          values: Array.from(v.values),
          ...(v.metadata ? { metadata: v.metadata } : {}),
          ...(v.namespace !== undefined ? { namespace: v.namespace } : {}),
        }]
        : [];
    });
  }

  /** Deletes these ids (applied after the delay). */
  deleteByIds(name: string, ids: unknown) {
    const index = this.get(name);
    const list = checkIds(ids);
    return this.#mutate(index, () => list.forEach((id) => index.vectors.delete(id)));
  }

  /** The index's `info`. */
  info(name: string) {
    const index = this.get(name);
    return {
      dimensions: index.config.dimensions,
      vectorCount: index.vectors.size,
      processedUpToDatetime: index.processedUpToDatetime,
      processedUpToMutation: index.processedUpToMutation,
    };
  }

  /** The index's description as `GET /indexes/{name}` answers it. */
  describe(name: string) {
    const { config, created } = this.get(name);
    return {
      name: config.name,
      description: config.description ?? "",
      config: { dimensions: config.dimensions, metric: config.metric },
      created_on: created,
      modified_on: created,
    };
  }

  /** Creates from a REST body (`config: {dimensions, metric}` or `{preset}`). */
  createFromBody(body: unknown) {
    if (!isObject(body) || typeof body.name !== "string" || !isObject(body.config)) {
      throw new ApiError(400, 40000, "name and config are required");
    }
    const c = body.config;
    const preset = typeof c.preset === "string" ? PRESETS[c.preset] : undefined;
    if (c.preset !== undefined && preset === undefined) {
      throw new ApiError(400, 40016, `Unknown preset ${String(c.preset)}`);
    }
    this.create({
      name: body.name,
      dimensions: preset ?? (c.dimensions as number),
      metric: (preset ? "cosine" : c.metric) as VectorizeIndexConfig["metric"],
      ...(typeof body.description === "string" ? { description: body.description } : {}),
    });
    return this.describe(body.name);
  }

  /** One page of ids. */
  list(name: string, params: URLSearchParams) {
    const index = this.get(name);
    const count = Math.min(Math.max(Number(params.get("count") ?? 100) || 100, 1), 1000);
    const start = Number(params.get("cursor") ?? 0) || 0;
    const ids = [...index.vectors.keys()].sort();
    const page = ids.slice(start, start + count);
    const truncated = start + count < ids.length;
    return {
      count: page.length,
      totalCount: ids.length,
      isTruncated: truncated,
      nextCursor: truncated ? String(start + count) : null,
      cursorExpirationTimestamp: truncated ? new Date(Date.now() + 3600_000).toISOString() : null,
      vectors: page.map((id) => ({ id })),
    };
  }

  /** Metadata index create / list / delete. */
  metadataIndex(name: string, op: string, body: unknown) {
    const index = this.get(name);
    if (op === "list") {
      return {
        metadataIndexes: [...index.metadataIndexes].map(([propertyName, indexType]) => ({
          propertyName,
          indexType,
        })),
      };
    }
    const b = isObject(body) ? body : {};
    if (typeof b.propertyName !== "string" || b.propertyName === "") {
      throw new ApiError(400, 40017, "propertyName is required");
    }
    if (op === "create") {
      if (!["string", "number", "boolean"].includes(b.indexType as string)) {
        throw new ApiError(400, 40018, "indexType must be string, number or boolean");
      }
      if (index.metadataIndexes.size >= 10 && !index.metadataIndexes.has(b.propertyName)) {
        throw new ApiError(400, 40019, "At most 10 metadata indexes per index");
      }
      index.metadataIndexes.set(b.propertyName, b.indexType as string);
    } else {
      index.metadataIndexes.delete(b.propertyName);
    }
    return this.#mutate(index, () => {});
  }
}

function checkIds(ids: unknown): string[] {
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === "string")) {
    throw new ApiError(400, 40020, "ids must be an array of strings");
  }
  return ids;
}

function score(metric: string, q: Float32Array, qn: number, v: Stored): number {
  const a = v.values;
  if (metric === "euclidean") {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i] - q[i]) ** 2;
    return Math.sqrt(s);
  }
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * q[i];
  if (metric === "dot-product") return -dot;
  return qn === 0 || v.norm === 0 ? 0 : dot / (qn * v.norm);
}

/** `returnMetadata: "indexed"`: the indexed properties only, strings cut to 64 bytes. */
function indexedOnly(v: Stored): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of v.filterable) {
    const value = v.metadata?.[key];
    if (value === undefined) continue;
    out[key] = typeof value === "string" && bytesOf(value) > 64
      ? new TextDecoder().decode(new TextEncoder().encode(value).subarray(0, 64)).replace(
        /\uFFFD$/,
        "",
      )
      : value;
  }
  return out;
}
