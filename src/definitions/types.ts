/**
 * The shapes of Cloudflare's published model definitions: one snapshot file
 * per model (`published/<name>.json`, structural facts only) and the compact
 * facts the runtime reads from it.
 *
 * @module
 */

/**
 * A JSON value, as read from a definition file.
 *
 * @example
 * ```ts
 * import type { JsonValue } from "./types.ts";
 *
 * const value: JsonValue = { supported_efforts: ["low", "high"], mandatory: false };
 * ```
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * Where a definition came from: a file of Cloudflare's documentation
 * repository at a commit, or the live API on a date.
 *
 * @example
 * ```ts
 * import type { PublishedSource } from "./types.ts";
 *
 * const fromDocs: PublishedSource = {
 *   repo: "cloudflare/cloudflare-docs",
 *   path: "src/content/workers-ai-models/llama-3.1-8b-instruct-fast.json",
 *   commit: "95d002b66a051f2b2c3e48762dd0ed37e22d822f",
 *   retrieved: "2026-12-06",
 * };
 * const fromApi: PublishedSource = { api: "models/search+schema", retrieved: "2026-12-07" };
 * ```
 */
export interface PublishedSource {
  /** The repository the file was read from, e.g. `cloudflare/cloudflare-docs`. */
  readonly repo?: string;
  /** The file's path in that repository. */
  readonly path?: string;
  /** The commit of the version read (40 hex digits). */
  readonly commit?: string;
  /** The API endpoints read instead of a file: `models/search+schema`. */
  readonly api?: string;
  /** The day it was read, `YYYY-MM-DD`. */
  readonly retrieved: string;
  /**
   * Set when fields were added from another published source because the
   * file lags it, e.g. `@cloudflare/workers-types 5.20261117.1 (fields the
   * docs file lacks: beam_size)`.
   */
  readonly augmentedFrom?: string;
}

/**
 * One published model definition, as stored in `published/<name>.json`:
 * Cloudflare's id, task, properties and input/output JSON Schemas, with the
 * prose (descriptions, examples, prices, terms and info links) removed.
 *
 * @example
 * ```ts
 * import type { PublishedDefinition } from "./types.ts";
 *
 * const definition: PublishedDefinition = {
 *   id: "@cf/baai/bge-small-en-v1.5",
 *   task: "Text Embeddings",
 *   source: { api: "models/search+schema", retrieved: "2026-12-07" },
 *   properties: { max_input_tokens: 512, output_dimensions: 384 },
 *   schema: { input: { type: "object" }, output: { type: "object" } },
 * };
 * ```
 */
export interface PublishedDefinition {
  /** The model id (the definition's `name`), e.g. `@cf/meta/llama-3.1-8b-instruct-fast`. */
  readonly id: string;
  /** The task's name, e.g. `Text Generation`. */
  readonly task: string;
  /** Where and when the definition was read. */
  readonly source: PublishedSource;
  /**
   * Every published property by its `property_id`: `"true"`/`"false"` as
   * booleans, numeric strings as numbers, structured values whole.
   */
  readonly properties: Readonly<Record<string, JsonValue>>;
  /** The input and output JSON Schemas, structural keywords only. */
  readonly schema: { readonly input: JsonValue; readonly output: JsonValue };
}

/**
 * A model's published reasoning-effort facts (its `reasoning_effort` property).
 *
 * @example
 * ```ts
 * import type { ReasoningEffortFacts } from "./types.ts";
 *
 * const effort: ReasoningEffortFacts = {
 *   supported: ["max", "high", "low"],
 *   default: "max",
 *   normalizesTo: { medium: "max" },
 *   mandatory: true,
 * };
 * ```
 */
export interface ReasoningEffortFacts {
  /** The efforts the model takes (`supported_efforts`), in published order. */
  readonly supported: readonly string[];
  /** The effort used when none is given (`default_effort`). */
  readonly default?: string;
  /** Efforts the API accepts and maps to a supported one (`normalizes_to`). */
  readonly normalizesTo?: Readonly<Record<string, string>>;
  /** Whether reasoning cannot be turned off (`mandatory`). */
  readonly mandatory?: boolean;
  /** Whether reasoning is on unless turned off (`default_enabled`). */
  readonly defaultEnabled?: boolean;
}

/**
 * One top-level variant of a model's input schema (e.g. `Prompt` or
 * `Messages` for text models).
 *
 * @example
 * ```ts
 * import type { PublishedVariant } from "./types.ts";
 *
 * const chat: PublishedVariant = {
 *   title: "Messages",
 *   required: ["messages"],
 *   fields: ["messages", "max_tokens"],
 * };
 * ```
 */
export interface PublishedVariant {
  /** The variant's published title, when it has one. */
  readonly title?: string;
  /** The fields the variant requires. */
  readonly required: readonly string[];
  /** Every field the variant names, in published order. */
  readonly fields: readonly string[];
  /** The JSON type of a variant that is not an object (e.g. `string` for raw bytes). */
  readonly type?: string;
}

/**
 * A scalar top-level input parameter as published: its type, range, enum and
 * default (a nullable `anyOf [X, {type: "null"}]` unwrapped to `X` with
 * `nullable: true`).
 *
 * @example
 * ```ts
 * import type { PublishedParam } from "./types.ts";
 *
 * const temperature: PublishedParam = { type: "number", minimum: 0, maximum: 5, default: 0.6 };
 * ```
 */
export interface PublishedParam {
  /** The JSON type. */
  readonly type: "number" | "integer" | "boolean" | "string";
  /** Inclusive lower bound. */
  readonly minimum?: number;
  /** Inclusive upper bound. */
  readonly maximum?: number;
  /** Exclusive lower bound. */
  readonly exclusiveMinimum?: number;
  /** Exclusive upper bound. */
  readonly exclusiveMaximum?: number;
  /** Shortest string accepted. */
  readonly minLength?: number;
  /** Longest string accepted. */
  readonly maxLength?: number;
  /** The regular expression a string must match. */
  readonly pattern?: string;
  /** The allowed values. */
  readonly enum?: readonly (string | number | boolean)[];
  /** The published default. */
  readonly default?: string | number | boolean | null;
  /** Whether `null` is accepted too. */
  readonly nullable?: boolean;
}

/**
 * The runtime's compact share of one published definition: its task,
 * normalized properties (booleans default to `false`), input fields and
 * variants, and its scalar parameters.
 *
 * @example
 * ```ts
 * import { publishedModel } from "./mod.ts";
 *
 * const model = publishedModel("@cf/meta/llama-3.1-8b-instruct-fast");
 * if (model?.params.temperature?.maximum !== undefined) {
 *   console.log(`temperature up to ${model.params.temperature.maximum}`);
 * }
 * ```
 */
export interface PublishedModel {
  /** The task's name, e.g. `Text Generation`. */
  readonly task: string;
  /** `function_calling`: the model takes tools. */
  readonly functionCalling: boolean;
  /** `vision`: the model takes images with its messages. */
  readonly vision: boolean;
  /** `reasoning`: the model reasons before it answers. */
  readonly reasoning: boolean;
  /** `reasoning_effort`, when published. */
  readonly reasoningEffort?: ReasoningEffortFacts;
  /** `context_window`, in tokens. */
  readonly contextWindow?: number;
  /** `max_total_tokens`: input and output together, in tokens. */
  readonly maxTotalTokens?: number;
  /** `max_input_tokens`, in tokens. */
  readonly maxInputTokens?: number;
  /** `output_dimensions`: the length of an embedding. */
  readonly outputDimensions?: number;
  /** `lora`: the model takes LoRA adapters. */
  readonly lora: boolean;
  /** `async_queue`: the model takes batch requests (`queueRequest`). */
  readonly asyncQueue: boolean;
  /** `realtime`: the model streams over a WebSocket. */
  readonly realtime: boolean;
  /** `partner`: a partner's model. */
  readonly partner: boolean;
  /** `require_workers_paid`: only on the Workers Paid plan. */
  readonly requireWorkersPaid: boolean;
  /** `planned_deprecation_date`, `YYYY-MM-DD`. */
  readonly plannedDeprecationDate?: string;
  /** `beta`. */
  readonly beta: boolean;
  /** `deprecated`. */
  readonly deprecated: boolean;
  /** Whether the id is in the `AiModels` interface of the `@cloudflare/workers-types` release checked. */
  readonly listedInTypes: boolean;
  /** Every top-level input field across the variants, in published order. */
  readonly inputFields: readonly string[];
  /** The top-level input variants. */
  readonly variants: readonly PublishedVariant[];
  /**
   * The scalar top-level input parameters: for text models those of the chat
   * `messages` variant (else the `prompt` variant), else those of the only
   * variant, else of every variant (the first one naming a parameter wins).
   */
  readonly params: Readonly<Record<string, PublishedParam>>;
}

/**
 * A published definition's schemas and source, for the emulator and tests.
 *
 * @example
 * ```ts
 * import type { PublishedSchemas } from "./types.ts";
 *
 * function inputOf(s: PublishedSchemas): unknown {
 *   return s.input;
 * }
 * ```
 */
export interface PublishedSchemas {
  /** The task's name. */
  readonly task: string;
  /** The input JSON Schema. */
  readonly input: unknown;
  /** The output JSON Schema. */
  readonly output: unknown;
  /** Where and when the definition was read. */
  readonly source: PublishedSource;
}

/**
 * What one `@cloudflare/workers-types` release says about a model's input:
 * for each member of its input type (a union has several), the field names
 * and the names of its scalar fields (numbers, strings, booleans and their
 * literals, possibly nullable).
 *
 * @example
 * ```ts
 * import type { TypesInput } from "./types.ts";
 *
 * const chat: TypesInput = { fields: ["messages", "temperature"], scalars: ["temperature"] };
 * ```
 */
export interface TypesInput {
  /** Every field of this member of the input type. */
  readonly fields: readonly string[];
  /** The scalar fields among them. */
  readonly scalars: readonly string[];
}

/**
 * The `AiModels` interface of one `@cloudflare/workers-types` release, reduced
 * to each model id's input fields.
 *
 * @example
 * ```ts
 * import type { TypesListing } from "./types.ts";
 *
 * const listing: TypesListing = {
 *   package: "@cloudflare/workers-types",
 *   version: "5.20261117.1",
 *   models: { "@cf/baai/bge-m3": [{ fields: ["text"], scalars: [] }] },
 * };
 * ```
 */
export interface TypesListing {
  /** The npm package read. */
  readonly package: string;
  /** Its version. */
  readonly version: string;
  /** Every id of its `AiModels` interface, with the members of its input type. */
  readonly models: Readonly<Record<string, readonly TypesInput[]>>;
}
