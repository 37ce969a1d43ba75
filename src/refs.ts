/**
 * The public types of this module's references (models, embedders,
 * rerankers). They mirror Genkit's reference types structurally, so a value
 * of these types is accepted wherever Genkit takes a reference, while the
 * module's documentation stays self-contained.
 *
 * @module
 */
import type { z } from "genkit";

/** A zod schema made with the `z` that `genkit` exports. */
export type ZodSchema = z.ZodTypeAny;

/** What a model can do, as Genkit's Developer UI and middleware see it. */
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

/** A reference to a Workers AI model, usable as `model` in `genkit()` and `ai.generate()`. */
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

/** What an embedder produces, as Genkit's Developer UI and retrievers see it. */
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

/** What a reranker can do, as Genkit's Developer UI sees it. */
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
