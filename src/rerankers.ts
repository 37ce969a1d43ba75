/**
 * Rerankers: a Genkit query and documents to a Workers AI `{query, contexts}`
 * request, and its `{id, score}` ranking back to ranked documents that keep
 * their own metadata. Translation only: sending is `client.ts`.
 *
 * @module
 */
import { type Document, GenkitError, z } from "genkit";
import { reranker } from "genkit/plugin";
import type { RerankerAction } from "genkit/reranker";
import type { RerankerSpec } from "./rerank/catalog.ts";
import type { WorkersAIClient } from "./client/client.ts";
import { documentText } from "./embedders.ts";
import type { RerankerInfo, ZodSchema } from "./refs.ts";
import { invalidArgument as invalid } from "./errors.ts";

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
  if (c.truncateInputs !== undefined && typeof c.truncateInputs !== "boolean") {
    throw invalid(`config.truncateInputs for ${spec.id} must be true or false.`);
  }
  return c as RerankConfig;
}

/** The request body ranking `contexts` against `query`. */
export function toRerankBody(
  spec: RerankerSpec,
  config: RerankConfig,
  query: string,
  contexts: string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    query,
    contexts: contexts.map((text) => ({ text })),
  };
  if (config.topK !== undefined && spec.topK) body.top_k = config.topK;
  if (config.truncateInputs !== undefined) body.truncate_inputs = config.truncateInputs;
  return body;
}

/** The `{id, score}` ranking of an answer, best first. */
export function readRanking(
  spec: RerankerSpec,
  result: unknown,
  count: number,
): { id: number; score: number }[] {
  const response = (result as { response?: unknown } | null)?.response;
  const bad = (why: string) =>
    new GenkitError({
      status: "INTERNAL",
      message: `Workers AI answered ${spec.id} with ${why}; expected a ranking of ${count} ` +
        "contexts as response: [{id, score}].",
      detail: { model: spec.id },
    });
  if (!Array.isArray(response)) throw bad("no response array");
  const ranking = response.map((r) => {
    const { id, score } = (r ?? {}) as Record<string, unknown>;
    if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= count) {
      throw bad(`a context id of ${JSON.stringify(id)}`);
    }
    if (typeof score !== "number" || !Number.isFinite(score)) {
      throw bad(`a score of ${JSON.stringify(score)}`);
    }
    return { id: id as number, score };
  });
  // bge-reranker-base documents its answer as sorted best first; bge-m3 does
  // not say, so the order is made certain here (stable for equal scores).
  return ranking.sort((a, b) => b.score - a.score);
}

/** Defines the Genkit reranker action `cloudflare-ai/<id>` for one reranker. */
export function defineReranker(
  spec: RerankerSpec,
  client: WorkersAIClient,
  actionName: string,
): RerankerAction {
  return reranker(
    { name: actionName, info: rerankerInfo(spec), configSchema: rerankConfigSchemaFor(spec) },
    async (query: Document, documents: Document[], options: unknown) => {
      const config = validateRerankConfig(spec, options);
      const q = documentText(spec.id, query, "the query", "rerank");
      const texts = documents.map((doc, i) =>
        documentText(spec.id, doc, `documents[${i}]`, "rerank")
      );
      if (texts.length === 0) return { documents: [] };
      // Genkit 1.42 hands a reranker no abort signal: only timeoutMs bounds this call.
      const result = await client.run(spec.id, toRerankBody(spec, config, q, texts));
      const ranking = readRanking(spec, result, texts.length);
      const kept = config.topK === undefined ? ranking : ranking.slice(0, config.topK);
      return {
        documents: kept.map(({ id, score }) => ({
          content: documents[id].content,
          metadata: { ...documents[id].metadata, score },
        })),
      };
    },
  );
}
