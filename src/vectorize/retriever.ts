/**
 * The Vectorize retriever: the query embedded with the index's embedder,
 * `/query` with `topK` (`options.k`), a checked metadata filter, the
 * namespace, and the metadata returned so that documents come back whole,
 * each with its vector's id and score in its metadata.
 *
 * @module
 */
import { Document, z } from "genkit";
import { retriever } from "genkit/plugin";
import type { RetrieverAction } from "genkit/retriever";
import { documentText } from "../documents.ts";
import { invalidArgument } from "../errors.ts";
import type { ZodSchema } from "../refs.ts";
import type { IndexEmbedder } from "./embedding.ts";
import { checkFilter, type VectorizeFilter } from "./filter.ts";
import { TEXT_KEY } from "./indexer.ts";
import type { VectorizeIndex, VectorizeMatch } from "./transport.ts";

/**
 * Options of one `ai.retrieve()` call with a Vectorize retriever.
 *
 * Scores: for a `cosine` index higher is closer (-1 to 1); for `euclidean`
 * (a distance) and `dot-product` (the negative dot product) lower is closer.
 * Matches come best first whatever the metric.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type VectorizeRetrieveOptions } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const retriever = cloudflareAI.vectorizeRetriever("docs", {
 *   embedder: "@cf/baai/bge-base-en-v1.5",
 * });
 * const options: VectorizeRetrieveOptions = { k: 3, filter: { lang: "en" } };
 * const docs = await ai.retrieve({ retriever, query: "Who wrote the first program?", options });
 * console.log(docs[0].metadata?.id, docs[0].metadata?.score);
 * ```
 */
export interface VectorizeRetrieveOptions {
  /**
   * How many documents: 1 to 20 with `returnMetadata: "all"`, up to 100
   * with `"indexed"` (Vectorize's limits, reference §5.3).
   * @default {5}
   */
  k?: number;
  /** A metadata filter (implicit `$eq`, or `$eq $ne $in $nin $lt $lte $gt $gte`). */
  filter?: VectorizeFilter;
  /**
   * `"all"`: whole documents (text and metadata). `"indexed"`: only the
   * metadata fields that have a metadata index, strings cut to 64 bytes, so
   * the text is cut or empty unless `text` itself is indexed; faster, and
   * allows `k` up to 100.
   * @default {"all"}
   */
  returnMetadata?: "all" | "indexed";
}

/** The schema of {@link VectorizeRetrieveOptions}, as the retriever's `configSchema`. */
export const VectorizeRetrieveOptionsSchema: ZodSchema = z.object({
  k: z.number().optional().describe("How many documents (1-20, up to 100 with indexed)"),
  filter: z.record(z.any()).optional().describe("Vectorize metadata filter"),
  returnMetadata: z.enum(["all", "indexed"]).optional(),
});

/** Checks the per-call options; `k` within the limit for the metadata asked. */
function retrieveOptions(index: string, options: unknown) {
  const where = `Vectorize index ${index}`;
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw invalidArgument(`${where}: options must be an object.`);
  }
  const o = (options ?? {}) as VectorizeRetrieveOptions;
  const returnMetadata = o.returnMetadata ?? "all";
  if (returnMetadata !== "all" && returnMetadata !== "indexed") {
    throw invalidArgument(`${where}: options.returnMetadata must be "all" or "indexed".`);
  }
  const max = returnMetadata === "all" ? 20 : 100;
  const k = o.k ?? 5;
  if (!Number.isInteger(k) || k < 1 || k > max) {
    throw invalidArgument(
      `${where}: options.k must be a whole number from 1 to ${max} with returnMetadata ` +
        `"${returnMetadata}", got ${JSON.stringify(o.k)}.` +
        (returnMetadata === "all" && Number.isInteger(k) && k > 20 && k <= 100
          ? ' Vectorize returns at most 20 matches with all metadata; use returnMetadata "indexed" ' +
            "for up to 100 (text cut to 64 bytes), or rerank the best 20."
          : ""),
    );
  }
  return { k, returnMetadata, filter: checkFilter(o.filter, where) };
}

/** A match as a Genkit document: its stored text, its metadata, the vector's id and score. */
export function matchDocument(m: VectorizeMatch): Document {
  const { [TEXT_KEY]: text, ...rest } = m.metadata ?? {};
  const metadata: Record<string, unknown> = { ...rest, id: m.id, score: m.score };
  if (m.namespace !== undefined) metadata.namespace = m.namespace;
  return Document.fromText(typeof text === "string" ? text : "", metadata);
}

/** Defines the retriever action `name` for one index (and namespace). */
export function defineVectorizeRetriever(
  name: string,
  target: VectorizeIndex,
  namespace: string | undefined,
  embedder: IndexEmbedder,
): RetrieverAction<ZodSchema> {
  let dimensions: number | undefined;
  return retriever(
    {
      name,
      configSchema: VectorizeRetrieveOptionsSchema,
      info: { label: `Vectorize index ${target.name}${namespace ? ` (${namespace})` : ""}` },
    },
    async (query, options) => {
      const { k, returnMetadata, filter } = retrieveOptions(target.name, options);
      const text = documentText(embedder.spec.id, query, "the query", "embed");
      const signal = new AbortController().signal;
      dimensions ??= (await target.describe(signal)).dimensions;
      embedder.checkDimensions(dimensions);
      const [vector] = await embedder.embed([text], "query", signal);
      embedder.checkDimensions(dimensions, vector.length);
      const matches = await target.query(vector, {
        topK: k,
        returnMetadata,
        ...(namespace !== undefined ? { namespace } : {}),
        ...(filter !== undefined ? { filter } : {}),
      }, signal);
      return { documents: matches.map((m) => matchDocument(m).toJSON()) };
    },
  );
}
