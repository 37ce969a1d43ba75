/**
 * The public types of this module's references (models, embedders,
 * rerankers). They mirror Genkit's reference types structurally, so a value
 * of these types is accepted wherever Genkit takes a reference, while the
 * module's documentation stays self-contained.
 *
 * @module
 */
import type { z } from "genkit";

/**
 * A zod schema made with the `z` that `genkit` exports.
 *
 * @example
 * ```ts
 * import { TextConfigSchema, type ZodSchema } from "@x/cloudflare-ai";
 *
 * const schema: ZodSchema = TextConfigSchema;
 * const checked = schema.safeParse({ temperature: "warm" });
 * if (!checked.success) console.log(checked.error.issues[0].path); // ["temperature"]
 * ```
 */
export type ZodSchema = z.ZodTypeAny;

/**
 * What a model can do, as Genkit's Developer UI and middleware see it.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type ModelInfo } from "@x/cloudflare-ai";
 *
 * const info: ModelInfo = cloudflareAI.model("@cf/meta/llama-4-scout-17b-16e-instruct").info!;
 * if (info.supports?.media) console.log(`${info.label} takes images`);
 * console.log(info.supports?.output); // ["text", "json"]
 * ```
 */
export interface ModelInfo {
  /** Label shown in the Developer UI. */
  label?: string;
  /** Release stage. */
  stage?: "featured" | "stable" | "unstable" | "legacy" | "deprecated";
  /** Capabilities. */
  supports?: {
    /** Takes a conversation history. */
    multiturn?: boolean;
    /** Takes media (images) in messages. */
    media?: boolean;
    /** Calls tools. */
    tools?: boolean;
    /** Takes a system message. */
    systemRole?: boolean;
    /** Output formats. */
    output?: string[];
    /** Native constrained (JSON schema) output. */
    constrained?: "none" | "all" | "no-tools";
    /** Honours `toolChoice`. */
    toolChoice?: boolean;
  };
}

/**
 * A reference to a Workers AI model, usable as `model` in `genkit()` and `ai.generate()`.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type ModelRef, type TextConfig } from "@x/cloudflare-ai";
 *
 * const qwen: ModelRef<TextConfig> = cloudflareAI.model("@cf/qwen/qwen3-30b-a3b-fp8");
 * console.log(qwen.name); // "cloudflare-ai/@cf/qwen/qwen3-30b-a3b-fp8"
 * const ai = genkit({ plugins: [cloudflareAI()], model: qwen.withConfig({ temperature: 0 }) });
 * const { text } = await ai.generate("Name a prime number.");
 * ```
 */
export interface ModelRef<Config> {
  /** The action name, `cloudflare-ai/<model id>`. */
  name: string;
  /** Capabilities of the model. */
  info?: ModelInfo;
  /** The config schema. */
  configSchema?: ZodSchema;
  /** Default config for calls through this reference. */
  config?: Config;
  /** A version (unused by Workers AI). */
  version?: string;
  /** A copy of this reference with other default config. */
  withConfig(config: Config): ModelRef<Config>;
  /** A copy of this reference with a version. */
  withVersion(version: string): ModelRef<Config>;
}

/**
 * What an embedder produces, as Genkit's Developer UI and retrievers see it.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type EmbedderInfo } from "@x/cloudflare-ai";
 *
 * const info: EmbedderInfo = cloudflareAI.embedder("@cf/baai/bge-m3").info!;
 * // Size a vector index to the model: 1024 dimensions, multilingual.
 * console.log(info.dimensions, info.supports?.multilingual); // 1024 true
 * ```
 */
export interface EmbedderInfo {
  /** Label shown in the Developer UI. */
  label?: string;
  /** Capabilities. */
  supports?: {
    /** Input kinds the embedder takes (Workers AI embedders take text only). */
    input?: ("text" | "image" | "video")[];
    /** Embeds languages other than English. */
    multilingual?: boolean;
  };
  /** Length of each vector. */
  dimensions?: number;
}

/**
 * A reference to a Workers AI embedding model, usable as `embedder` in
 * `ai.embed()` and `ai.embedMany()`. `ai.embed()` applies its `config`;
 * `ai.embedMany()` does not (Genkit passes only the call's `options`).
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type EmbedConfig, type EmbedderRef } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const id = "@cf/baai/bge-small-en-v1.5";
 * const embedder: EmbedderRef<EmbedConfig> = cloudflareAI.embedder(id, { pooling: "cls" });
 * const [query] = await ai.embed({ embedder, content: "Who was Ada?" }); // config applied
 * // ai.embedMany() ignores a reference's config: pass it as options.
 * const docs = await ai.embedMany({ embedder, content: ["Ada..."], options: embedder.config });
 * ```
 */
export interface EmbedderRef<Config> {
  /** The action name, `cloudflare-ai/<model id>`. */
  name: string;
  /** The config schema. */
  configSchema?: ZodSchema;
  /** What the embedder produces (always set: Genkit needs it to resolve the reference). */
  info?: EmbedderInfo;
  /** Default config for `ai.embed()` calls through this reference. */
  config?: Config;
  /** A version (unused by Workers AI). */
  version?: string;
}

/**
 * What a reranker can do, as Genkit's Developer UI sees it.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type RerankerInfo } from "@x/cloudflare-ai";
 *
 * const info: RerankerInfo = cloudflareAI.reranker("@cf/baai/bge-reranker-base").info!;
 * console.log(info.label); // "Cloudflare Workers AI - BGE Reranker Base"
 * console.log(info.supports?.media); // false: documents must be text
 * ```
 */
export interface RerankerInfo {
  /** Label shown in the Developer UI. */
  label?: string;
  /** Capabilities. */
  supports?: {
    /** Takes media in documents (Workers AI rerankers take text only). */
    media?: boolean;
  };
}

/**
 * A reference to a Workers AI reranker, usable as `reranker` in `ai.rerank()`.
 * Genkit's `ai.rerank()` never reads a reference's config: pass `config` as
 * the call's `options` (`options: ref.config`) to apply it.
 *
 * @example
 * ```ts
 * import { Document, genkit } from "genkit";
 * import { cloudflareAI, type RerankConfig, type RerankerRef } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const ref: RerankerRef<RerankConfig> = cloudflareAI.reranker("@cf/baai/bge-m3", { topK: 3 });
 * const documents = ["Ada...", "Cats...", "Babbage..."].map((t) => Document.fromText(t));
 * const query = "Who wrote the first program?";
 * const top3 = await ai.rerank({ reranker: ref, query, documents, options: ref.config });
 * ```
 */
export interface RerankerRef<Config> {
  /** The action name, `cloudflare-ai/<model id>`. */
  name: string;
  /** The config schema. */
  configSchema?: ZodSchema;
  /** What the reranker can do (always set: Genkit needs it to resolve the reference). */
  info?: RerankerInfo;
  /** Config given when the reference was made, for the call's `options`. */
  config?: Config;
}

/** A reference of the retrieval families (embedders, rerankers): config checked when it is made. */
interface RetrievalRef<Config> {
  /** The action name, `cloudflare-ai/<model id>`. */
  name: string;
  /** What the model is, for Genkit. */
  info: unknown;
  /** The config schema. */
  configSchema: unknown;
  /** The config given, if any. */
  config?: Config;
}

/** Makes a {@link RetrievalRef}, refusing a config the model does not take. */
export function retrievalRef<Config>(
  name: string,
  info: unknown,
  configSchema: unknown,
  config: unknown,
  validate: (config: unknown) => Config,
): RetrievalRef<Config> {
  if (config === undefined) return { name, info, configSchema };
  return { name, info, configSchema, config: validate(config) };
}
