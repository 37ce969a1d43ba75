/**
 * The embeddings of an index: its declared Workers AI embedding model, run
 * through the plugin's own embedder action (batched and paced as
 * `ai.embedMany` is), and the check of their dimensions against the index.
 *
 * @module
 */
import { GenkitError } from "genkit";
import type { EmbedderAction } from "genkit/embedder";
import { embedderSpec, knownEmbedder } from "../embed/catalog.ts";
import type { EmbedderSpec } from "../embed/catalog.ts";
import { validateEmbedConfig } from "../embed/config.ts";
import { embedFamily } from "../embed/family.ts";
import { invalidArgument } from "../errors.ts";
import { checkModelId } from "../model_ids.ts";
import type { IndexEmbedding } from "./names.ts";

/** What the embedder actions are built with: the plugin's family context. */
export type EmbedContext = Parameters<typeof embedFamily.define>[2];

/** The embedder as a reference names it: a model id, or a `cloudflareAI.embedder()` reference. */
export type EmbedderArgument = string | { name: string; config?: unknown };

/** The embedding an index is declared with, from a reference's options; checked. */
export function embeddingOf(
  index: string,
  embedder: unknown,
  options: unknown,
): IndexEmbedding {
  let id: string | undefined;
  let config: unknown = options;
  if (typeof embedder === "string") id = embedder;
  else if (typeof embedder === "object" && embedder !== null) {
    const name = (embedder as { name?: unknown }).name;
    if (typeof name === "string" && name.startsWith("cloudflare-ai/")) {
      id = name.slice("cloudflare-ai/".length);
      config ??= (embedder as { config?: unknown }).config;
    }
  }
  if (id === undefined) {
    throw invalidArgument(
      `Vectorize index ${index}: embedder must be a Workers AI embedding model id such as ` +
        '"@cf/baai/bge-base-en-v1.5", or cloudflareAI.embedder(id).',
    );
  }
  checkModelId(id);
  if (config !== undefined && (typeof config !== "object" || config === null)) {
    throw invalidArgument(`Vectorize index ${index}: embedderOptions must be an object.`);
  }
  // Checked now, so that a bad option is refused before any request.
  validateEmbedConfig(knownEmbedder(id) ?? embedderSpec(id), config);
  return config === undefined
    ? { model: id }
    : { model: id, options: config as Record<string, unknown> };
}

/** Embeds texts for one index, and checks their dimensions against it. */
export class IndexEmbedder {
  readonly spec: EmbedderSpec;
  readonly #action: EmbedderAction;

  constructor(readonly index: string, readonly embedding: IndexEmbedding, context: EmbedContext) {
    this.spec = knownEmbedder(embedding.model) ?? embedderSpec(embedding.model);
    this.#action = embedFamily.define(
      this.spec,
      `cloudflare-ai/${this.spec.id}`,
      context,
    ) as unknown as EmbedderAction;
  }

  /** Refuses an embedder whose vectors have other dimensions than the index. */
  checkDimensions(indexDims: number, got = this.spec.dimensions): void {
    if (got !== undefined && got !== indexDims) {
      throw invalidArgument(
        `Vectorize index ${this.index} has ${indexDims} dimensions, but ${this.spec.id} makes ` +
          `vectors of ${got}. Use an embedding model of ${indexDims} dimensions, or an index ` +
          `created with --dimensions=${got}.`,
      );
    }
  }

  /** The vectors of `texts`, in order; `kind` picks query or document embeddings where the model has both. */
  async embed(texts: string[], kind: "query" | "document", signal: AbortSignal) {
    const options: Record<string, unknown> = { ...this.embedding.options };
    if (this.spec.fields === "queries-documents") {
      options.inputType = kind;
      // An instruction applies to queries only.
      if (kind === "document") delete options.instruction;
    }
    const out = await this.#action(
      { input: texts.map((text) => ({ content: [{ text }] })), options },
      { abortSignal: signal },
    );
    const vectors = out.embeddings.map((e) => e.embedding);
    if (vectors.length !== texts.length) {
      throw new GenkitError({
        status: "INTERNAL",
        message: `${this.spec.id} returned ${vectors.length} embeddings for ${texts.length} texts.`,
      });
    }
    return vectors;
  }
}
