/**
 * The options of the emulator's Vectorize service.
 *
 * @module
 */

/**
 * A Vectorize index the emulator starts with.
 *
 * @example
 * ```ts
 * import { startEmulator, type VectorizeIndexConfig } from "@x/cloudflare-ai/testing";
 *
 * const docs: VectorizeIndexConfig = {
 *   name: "docs",
 *   dimensions: 768,
 *   metric: "cosine",
 *   metadataIndexes: { lang: "string", year: "number" }, // filterable properties
 * };
 * await using emu = await startEmulator({ vectorize: { indexes: [docs], applyDelayMs: 500 } });
 * ```
 */
export interface VectorizeIndexConfig {
  /** The index name. */
  name: string;
  /** Vector dimensions (at most 1536). */
  dimensions: number;
  /** The distance metric. */
  metric: "cosine" | "euclidean" | "dot-product";
  /** Its description. */
  description?: string;
  /** Metadata indexes (filterable properties) by property name. */
  metadataIndexes?: Record<string, "string" | "number" | "boolean">;
}

/**
 * The emulator's Vectorize options.
 *
 * @example
 * ```ts
 * import { startEmulator, type VectorizeEmulatorOptions } from "@x/cloudflare-ai/testing";
 *
 * const vectorize: VectorizeEmulatorOptions = {
 *   indexes: [{ name: "docs", dimensions: 384, metric: "cosine" }],
 *   applyDelayMs: 2000, // writes become queryable two seconds after they are accepted
 * };
 * await using emu = await startEmulator({ vectorize });
 * ```
 */
export interface VectorizeEmulatorOptions {
  /** Indexes that exist from the start. */
  indexes?: VectorizeIndexConfig[];
  /** Milliseconds between accepting a write and applying it. Default `0`. */
  applyDelayMs?: number;
}
