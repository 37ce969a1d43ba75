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
