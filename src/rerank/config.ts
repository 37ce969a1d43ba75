/**
 * Rerank config: `topK` and truncation, their schema per model, and the
 * checks that run before any request.
 *
 * @module
 */
import { z } from "genkit";
import { checkBoolean, invalidArgument as invalid } from "../errors.ts";
import type { RerankerInfo, ZodSchema } from "../refs.ts";
import type { RerankerSpec } from "./catalog.ts";

const rerankConfigSchema = z.object({
  topK: z.number().int().min(1)
    .describe("Keep only the best topK documents (top_k).")
    .optional(),
  truncateInputs: z.boolean()
    .describe("bge-m3 only: truncate texts longer than the model's context instead of failing.")
    .optional(),
});

/**
 * Config of Workers AI rerankers, passed as the `options` of `ai.rerank()`.
 *
 * @example
 * ```ts
 * import { Document, genkit } from "genkit";
 * import { cloudflareAI, type RerankConfig } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const reranker = cloudflareAI.reranker("@cf/baai/bge-m3");
 * const documents = ["Ada Lovelace...", "Cats...", "Babbage..."].map((t) => Document.fromText(t));
 * const options: RerankConfig = { topK: 2, truncateInputs: true }; // truncateInputs: bge-m3 only
 * const query = "Who wrote the first program?";
 * const best = await ai.rerank({ reranker, query, documents, options }); // two, best first
 * ```
 */
export interface RerankConfig {
  /**
   * Keep only the best `topK` documents (a whole number >= 1). Sent as
   * `top_k` to bge-reranker-base; applied by the plugin for bge-m3, which
   * takes no `top_k`.
   * @default {every document}
   */
  topK?: number;
  /** bge-m3 only: truncate texts longer than the model's context instead of failing. */
  truncateInputs?: boolean;
}

/**
 * Config schema of Workers AI rerankers; each model's own schema keeps only
 * the options it takes.
 *
 * @example
 * ```ts
 * import { RerankConfigSchema } from "@x/cloudflare-ai";
 * RerankConfigSchema.parse({ topK: 3 });
 * ```
 */
export const RerankConfigSchema: ZodSchema = rerankConfigSchema;

const schemaCache = new WeakMap<RerankerSpec, z.ZodTypeAny>();

/**
 * The config schema shown for one reranker: only the options it takes.
 * Genkit validates a reranker's options against this schema itself, with an
 * error that prints every document; so it checks types only and lets
 * {@link validateRerankConfig} refuse bad values and unknown keys with a
 * short message.
 */
export function rerankConfigSchemaFor(spec: RerankerSpec): z.ZodTypeAny {
  let schema = schemaCache.get(spec);
  if (!schema) {
    const shape: Record<string, z.ZodTypeAny> = {
      topK: z.number().describe(rerankConfigSchema.shape.topK.description!).optional(),
    };
    if (spec.truncateInputs) shape.truncateInputs = rerankConfigSchema.shape.truncateInputs;
    schema = z.object(shape).passthrough();
    schemaCache.set(spec, schema);
  }
  return schema;
}

/** What Genkit's Developer UI should know about a reranker. */
export function rerankerInfo(spec: RerankerSpec): RerankerInfo {
  return { label: `Cloudflare Workers AI - ${spec.label}`, supports: { media: false } };
}

/**
 * Checks a rerank call's options against what the model takes (Genkit does
 * not validate them) and returns them typed.
 */
export function validateRerankConfig(spec: RerankerSpec, options: unknown): RerankConfig {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw invalid(`The rerank options for ${spec.id} must be an object.`);
  }
  const c = options as Record<string, unknown>;
  const taken = spec.truncateInputs ? ["topK", "truncateInputs"] : ["topK"];
  for (const [key, value] of Object.entries(c)) {
    if (value === undefined || taken.includes(key)) continue;
    throw invalid(
      `config.${key} is not supported by ${spec.id}: it takes only ${taken.join(", ")}.` +
        (key === "k" || key === "top_k" ? " Use topK to keep the best documents." : ""),
    );
  }
  if (c.topK !== undefined && (!Number.isInteger(c.topK) || (c.topK as number) < 1)) {
    throw invalid(
      `config.topK for ${spec.id} must be a whole number >= 1, got ${JSON.stringify(c.topK)}.`,
    );
  }
  checkBoolean(spec.id, "truncateInputs", c.truncateInputs);
  return c as RerankConfig;
}
