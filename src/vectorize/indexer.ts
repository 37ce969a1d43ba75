/**
 * The Vectorize indexer: Genkit documents embedded with the index's
 * embedder and upserted (so indexing twice changes nothing) in NDJSON
 * batches within the API's limits, each vector's id from the document's
 * `metadata.id` or a stable hash of its text, its text and metadata stored
 * in the vector's metadata; optionally waiting until the index applied them.
 *
 * @module
 */
import { type Document, GenkitError, z } from "genkit";
import { logger } from "genkit/logging";
import { indexer } from "genkit/plugin";
import type { IndexerAction } from "genkit/retriever";
import { documentText } from "../documents.ts";
import { invalidArgument } from "../errors.ts";
import type { ZodSchema } from "../refs.ts";
import type { IndexEmbedder } from "./embedding.ts";
import type { VectorizeIndex, VectorizeVector } from "./transport.ts";

/** The metadata key a document's text is stored under. */
export const TEXT_KEY = "text";
/** The most metadata Vectorize stores per vector (reference §5.3). */
const MAX_METADATA_BYTES = 10 * 1024;
/** The longest vector id (reference §5.3). */
const MAX_ID_BYTES = 64;
/** Below Vectorize's 100 MB upload limit, with room for the request's framing. */
const MAX_UPLOAD_BYTES = 95 * 1024 * 1024;

/**
 * Options of one `ai.index()` call with a Vectorize indexer.
 *
 * @example
 * ```ts
 * import { Document, genkit } from "genkit";
 * import { cloudflareAI, type VectorizeIndexOptions } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const indexer = cloudflareAI.vectorizeIndexer("docs", { embedder: "@cf/baai/bge-base-en-v1.5" });
 * // Writes are applied a few seconds after they are accepted: wait for them here.
 * const options: VectorizeIndexOptions = { waitUntilApplied: true, timeoutMs: 30_000 };
 * await ai.index({ indexer, documents: [Document.fromText("Ada wrote the first program.")], options });
 * ```
 */
export interface VectorizeIndexOptions {
  /**
   * Wait until the index has applied the writes (its `info` reports the last
   * mutation, or a later time), so that they are queryable on return.
   * @default {false}
   */
  waitUntilApplied?: boolean;
  /**
   * How long to wait for that, in milliseconds.
   * @default {60000}
   */
  timeoutMs?: number;
}

/** The schema of {@link VectorizeIndexOptions}, as the indexer's `configSchema`. */
export const VectorizeIndexOptionsSchema: ZodSchema = z.object({
  waitUntilApplied: z.boolean().optional().describe("Wait until the index applied the writes"),
  timeoutMs: z.number().optional().describe("Longest wait for that, in ms (default 60000)"),
});

/** A stable id for a document without `metadata.id`: a hash of its namespace and text. */
async function contentId(namespace: string | undefined, text: string): Promise<string> {
  const data = new TextEncoder().encode(`${namespace ?? ""}\n${text}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest.subarray(0, 20), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The vector (without values) of one document, checked against Vectorize's limits. */
async function vectorOf(
  index: string,
  doc: Document,
  i: number,
  model: string,
  namespace: string | undefined,
): Promise<{ text: string; vector: Omit<VectorizeVector, "values"> }> {
  const what = `documents[${i}]`;
  const text = documentText(model, doc, what, "embed");
  const metadata: Record<string, unknown> = { ...(doc.metadata ?? {}) };
  if (Object.hasOwn(metadata, TEXT_KEY)) {
    throw invalidArgument(
      `Vectorize index ${index}: ${what} has a metadata key "${TEXT_KEY}", which the indexer ` +
        "stores the document's text under. Rename that key.",
    );
  }
  let id: string;
  const own = metadata.id;
  if (typeof own === "string" && own !== "") id = own;
  else if (typeof own === "number" && Number.isFinite(own)) id = String(own);
  else if (own === undefined) id = await contentId(namespace, text);
  else {
    throw invalidArgument(
      `Vectorize index ${index}: metadata.id of ${what} must be a non-empty string or a number.`,
    );
  }
  if (new TextEncoder().encode(id).length > MAX_ID_BYTES) {
    throw invalidArgument(
      `Vectorize index ${index}: the id of ${what} (${JSON.stringify(id.slice(0, 40))}…) is ` +
        `longer than ${MAX_ID_BYTES} bytes, Vectorize's limit. Use a shorter metadata.id.`,
    );
  }
  metadata[TEXT_KEY] = text;
  const bytes = new TextEncoder().encode(JSON.stringify(metadata)).length;
  if (bytes > MAX_METADATA_BYTES) {
    throw invalidArgument(
      `Vectorize index ${index}: ${what} (id ${JSON.stringify(id)}) needs ${bytes} bytes of ` +
        `vector metadata for its text and metadata; Vectorize stores at most ${MAX_METADATA_BYTES} ` +
        "bytes per vector. Split the document into smaller chunks before indexing, or shorten its metadata.",
    );
  }
  return { text, vector: namespace === undefined ? { id, metadata } : { id, namespace, metadata } };
}

/** Checks the per-call options. */
function indexOptions(index: string, options: unknown): Required<VectorizeIndexOptions> {
  const o = (options ?? {}) as VectorizeIndexOptions;
  if (o.waitUntilApplied !== undefined && typeof o.waitUntilApplied !== "boolean") {
    throw invalidArgument(`Vectorize index ${index}: options.waitUntilApplied must be a boolean.`);
  }
  const t = o.timeoutMs;
  if (t !== undefined && (!Number.isInteger(t) || t < 0)) {
    throw invalidArgument(
      `Vectorize index ${index}: options.timeoutMs must be a whole number >= 0.`,
    );
  }
  return { waitUntilApplied: o.waitUntilApplied ?? false, timeoutMs: t ?? 60_000 };
}

const utf8 = new TextEncoder();

/** Splits NDJSON lines into uploads of at most `maxBatch` lines and {@link MAX_UPLOAD_BYTES}. */
function batches(lines: string[], maxBatch: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < lines.length; i++) {
    // Vectors and JSON syntax are ASCII: only lines with other characters are encoded.
    const size = (/[^\x20-\x7e]/.test(lines[i]) ? utf8.encode(lines[i]).length : lines[i].length) +
      1;
    if (i > start && (i - start >= maxBatch || bytes + size > MAX_UPLOAD_BYTES)) {
      out.push([start, i]);
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < lines.length) out.push([start, lines.length]);
  return out;
}

/**
 * Polls the index's `info` until it reports `mutationId` as the last one
 * applied. Mutation ids are UUIDs, with no order to compare, and
 * `processedUpToDatetime` is the time of processing, not of the write: only
 * equality is a sure sign. (When another writer's later mutation is applied
 * first, this waits until `timeoutMs`.)
 */
async function waitApplied(
  target: VectorizeIndex,
  mutationId: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (let delay = 100;; delay = Math.min(delay * 2, 2000)) {
    const info = await target.describe(signal);
    if (info.processedUpToMutation === mutationId) return;
    if (Date.now() + delay > end) {
      throw new GenkitError({
        status: "DEADLINE_EXCEEDED",
        message:
          `Vectorize index ${target.name} accepted the writes (last mutation ${mutationId}) ` +
          `but had not applied them within ${timeoutMs} ms; they will be applied later. Raise ` +
          "options.timeoutMs to wait longer.",
        detail: { index: target.name, mutationId },
      });
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** Defines the indexer action `name` for one index (and namespace). */
export function defineVectorizeIndexer(
  name: string,
  target: VectorizeIndex,
  namespace: string | undefined,
  embedder: IndexEmbedder,
): IndexerAction<ZodSchema> {
  let dimensions: number | undefined;
  return indexer(
    {
      name,
      configSchema: VectorizeIndexOptionsSchema,
      embedderInfo: { dimensions: embedder.spec.dimensions, label: embedder.spec.id },
    },
    async (docs, options) => {
      const opts = indexOptions(target.name, options);
      if (docs.length === 0) return;
      const signal = new AbortController().signal;
      // Every document is checked before any request.
      const prepared = await Promise.all(
        docs.map((d, i) => vectorOf(target.name, d, i, embedder.spec.id, namespace)),
      );
      dimensions ??= (await target.describe(signal)).dimensions;
      embedder.checkDimensions(dimensions);
      // A later document with the same id replaces an earlier one, as in the index.
      const last = new Map<string, number>();
      prepared.forEach((p, i) => last.set(p.vector.id, i));
      const kept = prepared.filter((p, i) => last.get(p.vector.id) === i);
      const values = await embedder.embed(kept.map((p) => p.text), "document", signal);
      embedder.checkDimensions(dimensions, values[0]?.length);
      const vectors = kept.map((p, i) => ({ ...p.vector, values: values[i] }));
      const lines = target.binding ? [] : vectors.map((v) => JSON.stringify(v));
      const ranges = target.binding
        ? batches(vectors.map(() => ""), target.maxBatch)
        : batches(lines, target.maxBatch);
      const mutations: string[] = [];
      for (const [from, to] of ranges) {
        const id = await target.upsert(
          vectors.slice(from, to),
          () => lines.slice(from, to).join("\n") + "\n",
          signal,
        );
        mutations.push(id);
      }
      logger.info(
        `cloudflare-ai: upserted ${vectors.length} vectors into Vectorize index ${target.name}` +
          `${namespace ? ` (namespace ${namespace})` : ""} in ${mutations.length} batches; ` +
          `mutation ids: ${mutations.join(", ")}`,
      );
      if (opts.waitUntilApplied) {
        await waitApplied(target, mutations[mutations.length - 1], opts.timeoutMs, signal);
      }
    },
  );
}
