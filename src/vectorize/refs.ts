/**
 * References to Vectorize indexers and retrievers, and the actions the
 * plugin builds for them.
 *
 * A reference carries no credentials and no options Genkit would have to
 * pass: Genkit looks an indexer or retriever up by its name alone and hands
 * the action only the call's `options`. So the name says all the action
 * needs: `cloudflare-ai/vectorize/<index>?embedder=<id>[&namespace=<ns>]`;
 * the plugin instance that resolves it builds the action with its own
 * client, or with the index's binding given to that instance.
 *
 * @module
 */
import { indexerRef, retrieverRef } from "genkit";
import type { ResolvableAction } from "genkit/plugin";
import type { WorkersAIClient } from "../client/client.ts";
import type { EmbedConfig } from "../embed/config.ts";
import { invalidArgument } from "../errors.ts";
import type { ZodSchema } from "../refs.ts";
import {
  type EmbedContext,
  type EmbedderArgument,
  embeddingOf,
  IndexEmbedder,
} from "./embedding.ts";
import { defineVectorizeIndexer, VectorizeIndexOptionsSchema } from "./indexer.ts";
import {
  checkIndexName,
  checkNamespace,
  parseVectorizeName,
  vectorizeActionName,
  type VectorizeActionSpec,
} from "./names.ts";
import { defineVectorizeRetriever, VectorizeRetrieveOptionsSchema } from "./retriever.ts";
import { type VectorizeBinding, VectorizeIndex } from "./transport.ts";

/**
 * What a Vectorize indexer or retriever reference is made with.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type VectorizeRefOptions } from "@x/cloudflare-ai";
 *
 * const options: VectorizeRefOptions = {
 *   embedder: "@cf/baai/bge-base-en-v1.5", // the index was created with --dimensions=768
 *   namespace: "manuals",
 * };
 * const indexer = cloudflareAI.vectorizeIndexer("docs", options);
 * const retriever = cloudflareAI.vectorizeRetriever("docs", options);
 * ```
 */
export interface VectorizeRefOptions {
  /**
   * The Workers AI embedding model of the index (an id, or
   * `cloudflareAI.embedder(id, config)`): the model the index was made for,
   * the same for its indexers and retrievers.
   */
  embedder: EmbedderArgument;
  /** Its options (`pooling`, …), for documents and queries alike. */
  embedderOptions?: EmbedConfig;
  /** The Vectorize namespace written to and searched (at most 64 bytes). */
  namespace?: string;
}

/**
 * A reference to an indexer, for `ai.index({ indexer })`: the shape of
 * Genkit's `IndexerReference`.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type IndexerRef } from "@x/cloudflare-ai";
 *
 * const indexer: IndexerRef = cloudflareAI.vectorizeIndexer("docs", {
 *   embedder: "@cf/baai/bge-base-en-v1.5",
 * });
 * console.log(indexer.name); // "cloudflare-ai/vectorize/docs?embedder=%40cf%2Fbaai%2Fbge-base-en-v1.5"
 * ```
 */
export interface IndexerRef {
  /** The action's name, `cloudflare-ai/vectorize/<index>?embedder=…`. */
  name: string;
  /** The schema of the call's options. */
  configSchema?: ZodSchema;
  /** What the Developer UI shows. */
  info?: RetrievalInfo;
}

/**
 * What an indexer or retriever reference tells of itself.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type RetrievalInfo } from "@x/cloudflare-ai";
 *
 * const info: RetrievalInfo | undefined = cloudflareAI.aiSearchRetriever("docs").info;
 * console.log(info?.label); // "AI Search default/docs"
 * ```
 */
export interface RetrievalInfo {
  /** A label, e.g. `Vectorize index docs`. */
  label?: string;
  /** What it supports. */
  supports?: { media?: boolean };
}

/**
 * A reference to a retriever, for `ai.retrieve({ retriever })`: the shape
 * of Genkit's `RetrieverReference`.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type RetrieverRef } from "@x/cloudflare-ai";
 *
 * const retriever: RetrieverRef = cloudflareAI.aiSearchRetriever("docs");
 * console.log(retriever.name); // "cloudflare-ai/aisearch/default/docs"
 * ```
 */
export interface RetrieverRef {
  /** The action's name. */
  name: string;
  /** The schema of the call's options. */
  configSchema?: ZodSchema;
  /** What the Developer UI shows. */
  info?: RetrievalInfo;
}

/** The plugin's side of an index action: its client, bindings and embedder context. */
export interface VectorizeDeps {
  client: WorkersAIClient;
  bindings: ReadonlyMap<string, VectorizeBinding>;
  embedContext: EmbedContext;
}

function specOf(index: unknown, options: unknown): VectorizeActionSpec {
  const name = checkIndexName(index);
  if (typeof options !== "object" || options === null) {
    throw invalidArgument(
      `Vectorize index ${name}: options with an embedder are required, e.g. ` +
        '{ embedder: "@cf/baai/bge-base-en-v1.5" }.',
    );
  }
  const o = options as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) =>
    !["embedder", "embedderOptions", "namespace"].includes(k)
  );
  if (unknown.length > 0) {
    throw invalidArgument(
      `Vectorize index ${name}: unknown option ${
        unknown.join(", ")
      }; a reference takes embedder, ` +
        "embedderOptions and namespace; per call options go to ai.index/ai.retrieve as options.",
    );
  }
  const embedding = embeddingOf(name, o.embedder, o.embedderOptions);
  const namespace = checkNamespace(o.namespace, `Vectorize index ${name}`);
  return { index: name, ...(namespace !== undefined ? { namespace } : {}), embedding };
}

/** `cloudflareAI.vectorizeIndexer(index, options)`. */
export function vectorizeIndexerRef(
  index: string,
  options: VectorizeRefOptions,
): IndexerRef {
  const d = specOf(index, options);
  return indexerRef({
    name: `cloudflare-ai/${vectorizeActionName(d)}`,
    configSchema: VectorizeIndexOptionsSchema,
    info: { label: `Vectorize index ${d.index}${d.namespace ? ` (${d.namespace})` : ""}` },
  });
}

/** `cloudflareAI.vectorizeRetriever(index, options)`. */
export function vectorizeRetrieverRef(
  index: string,
  options: VectorizeRefOptions,
): RetrieverRef {
  const d = specOf(index, options);
  return retrieverRef({
    name: `cloudflare-ai/${vectorizeActionName(d)}`,
    configSchema: VectorizeRetrieveOptionsSchema,
    info: { label: `Vectorize index ${d.index}${d.namespace ? ` (${d.namespace})` : ""}` },
  });
}

/**
 * The indexer or retriever action of a name `vectorize/<index>?embedder=…`,
 * built with the plugin's client or the index's binding.
 */
export function resolveVectorize(
  kind: "indexer" | "retriever",
  name: string,
  deps: VectorizeDeps,
): ResolvableAction {
  const { index, namespace, embedding } = parseVectorizeName(name);
  const target = new VectorizeIndex(index, deps.client, deps.bindings.get(index));
  const embedder = new IndexEmbedder(index, embedding, deps.embedContext);
  const full = `cloudflare-ai/${name}`;
  return kind === "indexer"
    ? defineVectorizeIndexer(full, target, namespace, embedder)
    : defineVectorizeRetriever(full, target, namespace, embedder);
}

/** Checks the plugin's `vectorizeBindings` option: index names to Vectorize bindings. */
export function vectorizeBindingsOption(value: unknown): ReadonlyMap<string, VectorizeBinding> {
  const out = new Map<string, VectorizeBinding>();
  if (value === undefined) return out;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidArgument(
      'cloudflareAI(): vectorizeBindings must be an object such as { "docs": env.DOCS }.',
    );
  }
  for (const [index, binding] of Object.entries(value)) {
    checkIndexName(index);
    const b = binding as Partial<VectorizeBinding> | null;
    if (
      typeof b !== "object" || b === null || typeof b.query !== "function" ||
      typeof b.upsert !== "function" || typeof b.describe !== "function"
    ) {
      throw invalidArgument(
        `cloudflareAI(): vectorizeBindings["${index}"] must be a Vectorize binding (env.<INDEX>), ` +
          "an object with query(), upsert() and describe().",
      );
    }
    out.set(index, b as VectorizeBinding);
  }
  return out;
}
