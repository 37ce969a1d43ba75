/**
 * The models this plugin knows by name: what each one takes, what it answers
 * with, the documented parameter ranges, and which ids are retired.
 *
 * Sources: Cloudflare's model JSON schemas, `@cloudflare/workers-types`
 * `AiModels`, and the Workers AI changelog (retirements of 2025-10-01 and
 * 2026-05-30).
 *
 * @module
 */

/**
 * An inclusive numeric range a sampling parameter must fall in.
 *
 * @example
 * ```ts
 * import { type ParamRange, TEXT_MODELS } from "@x/cloudflare-ai";
 *
 * // Brings a value into a model's documented range.
 * function clamp(value: number, range: ParamRange): number {
 *   const v = Math.min(range.max, Math.max(range.min, value));
 *   return range.int ? Math.round(v) : v;
 * }
 * const gptOss = TEXT_MODELS.find((m) => m.id === "@cf/openai/gpt-oss-120b")!;
 * clamp(3, gptOss.params.temperature!); // 2
 * ```
 */
export interface ParamRange {
  /** Smallest accepted value. */
  min: number;
  /** Largest accepted value. */
  max: number;
  /** Whether the value must be a whole number. */
  int?: boolean;
}

/**
 * The sampling parameters whose ranges differ per model (camelCase, as in the config).
 *
 * @example
 * ```ts
 * import { type RangedParam, TEXT_MODELS } from "@x/cloudflare-ai";
 *
 * const gptOss = TEXT_MODELS.find((m) => m.id === "@cf/openai/gpt-oss-120b")!;
 * const wanted: RangedParam[] = ["temperature", "topK", "repetitionPenalty"];
 * const refused = wanted.filter((p) => !(p in gptOss.params)); // ["topK", "repetitionPenalty"]
 * ```
 */
export type RangedParam =
  | "temperature"
  | "maxOutputTokens"
  | "topP"
  | "topK"
  | "seed"
  | "repetitionPenalty"
  | "frequencyPenalty"
  | "presencePenalty";

/**
 * The two incompatible text wire formats of Workers AI:
 * `native` answers `{response, tool_calls, usage}`; `openai` takes and answers
 * OpenAI Chat Completions bodies, even on `/ai/run`.
 *
 * @example
 * ```ts
 * import { TEXT_MODELS, type TextFamily } from "@x/cloudflare-ai";
 *
 * const family: TextFamily = "openai";
 * const chatCompletions = TEXT_MODELS.filter((m) => m.family === family).map((m) => m.id);
 * // ["@cf/openai/gpt-oss-120b", "@cf/openai/gpt-oss-20b", "@cf/zai-org/glm-4.7-flash", ...]
 * ```
 */
export type TextFamily = "native" | "openai";

/**
 * How a model takes images.
 *
 * @example
 * ```ts
 * import { TEXT_MODELS, type VisionInput } from "@x/cloudflare-ai";
 *
 * function visionOf(id: string): VisionInput {
 *   return TEXT_MODELS.find((m) => m.id === id)?.vision ?? "none";
 * }
 * visionOf("@cf/meta/llama-4-scout-17b-16e-instruct"); // "content-parts"
 * visionOf("@cf/meta/llama-3.2-11b-vision-instruct"); // "image-field": one image per request
 * ```
 */
export type VisionInput = "none" | "content-parts" | "image-field";

/**
 * How a model does constrained JSON output.
 *
 * @example
 * ```ts
 * import { type JsonMode, TEXT_MODELS } from "@x/cloudflare-ai";
 *
 * // Native-format models that constrain their answer to the schema of
 * // ai.generate({ output: { schema } }).
 * const nativeJson: JsonMode[] = ["response_format", "guided_json"];
 * const ids = TEXT_MODELS.filter((m) => nativeJson.includes(m.json)).map((m) => m.id);
 * ```
 */
export type JsonMode = "none" | "response_format" | "guided_json" | "openai";

/**
 * Everything the plugin knows about one text-generation model.
 *
 * @example
 * ```ts
 * import { TEXT_MODELS, type TextModelSpec } from "@x/cloudflare-ai";
 *
 * function describe(spec: TextModelSpec): string {
 *   const images = spec.vision === "none" ? "no images" : "images";
 *   return `${spec.label}: ${spec.family} format, tools: ${spec.tools}, ${images}`;
 * }
 * for (const spec of TEXT_MODELS) console.log(describe(spec));
 * ```
 */
export interface TextModelSpec {
  /** Workers AI model id, e.g. `@cf/meta/llama-3.3-70b-instruct-fp8-fast`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /** Request and response family. */
  family: TextFamily;
  /** Whether the model takes `tools`. */
  tools: boolean;
  /** How (if at all) the model takes images. */
  vision: VisionInput;
  /** The model's JSON mode mechanism. */
  json: JsonMode;
  /** Whether the model returns reasoning (thinking) text. */
  reasoning: boolean;
  /** Accepted values per sampling parameter; a parameter absent here is not accepted. */
  params: Partial<Record<RangedParam, ParamRange>>;
  /** Whether the model takes the `lora` adapter parameter. */
  lora: boolean;
  /** Context window in tokens, where documented. */
  contextWindow?: number;
  /** Whether the model is available only on the Workers Paid plan (code 5035 otherwise). */
  paidOnly?: boolean;
  /** Whether the model is in beta. */
  beta?: boolean;
}

/**
 * A model id that no longer answers (or never existed), and what to use instead.
 *
 * @example
 * ```ts
 * import { RETIRED_MODELS, type RetiredModel } from "@x/cloudflare-ai";
 *
 * function explain(m: RetiredModel): string {
 *   const why = m.retired ? `was retired on ${m.retired}` : "never existed";
 *   return `${m.id} ${why}: use ${m.replacement}${m.note ? ` (${m.note})` : ""}`;
 * }
 * RETIRED_MODELS.filter((m) => m.retired === "2026-05-30").forEach((m) => console.log(explain(m)));
 * ```
 */
export interface RetiredModel {
  /** The retired or unknown id. */
  id: string;
  /** Date of retirement (`YYYY-MM-DD`), or `undefined` for an id that never existed. */
  retired?: string;
  /** An active model to use instead. */
  replacement: string;
  /** A short explanation. */
  note?: string;
}

const MAX_TOKENS: ParamRange = { min: 1, max: 131_072, int: true };
const SEED: ParamRange = { min: 1, max: 9_999_999_999, int: true };

/** Ranges of the generic native schema (llama-3.1-8b-fast, llama-4-scout, mistral-small-3.1, ...). */
const NATIVE_PARAMS: Partial<Record<RangedParam, ParamRange>> = {
  temperature: { min: 0, max: 5 },
  maxOutputTokens: MAX_TOKENS,
  topP: { min: 0, max: 2 },
  topK: { min: 1, max: 50, int: true },
  seed: SEED,
  repetitionPenalty: { min: 0, max: 2 },
  frequencyPenalty: { min: 0, max: 2 },
  presencePenalty: { min: 0, max: 2 },
};

/** llama-3.3-70b-fp8-fast's newer schema narrows top_p and widens the penalties. */
const LLAMA33_PARAMS: Partial<Record<RangedParam, ParamRange>> = {
  ...NATIVE_PARAMS,
  topP: { min: 0.001, max: 1 },
  frequencyPenalty: { min: -2, max: 2 },
  presencePenalty: { min: -2, max: 2 },
};

/**
 * OpenAI-family models document no numeric ranges; these are the OpenAI Chat
 * Completions ranges their vLLM servers enforce. They take no `top_k` or
 * `repetition_penalty` in their typed schema, so those are refused rather than
 * sent and ignored.
 */
const OPENAI_PARAMS: Partial<Record<RangedParam, ParamRange>> = {
  temperature: { min: 0, max: 2 },
  maxOutputTokens: MAX_TOKENS,
  topP: { min: 0, max: 1 },
  seed: { min: 0, max: 9_999_999_999, int: true },
  frequencyPenalty: { min: -2, max: 2 },
  presencePenalty: { min: -2, max: 2 },
};

function native(
  id: string,
  label: string,
  extra: Partial<TextModelSpec> = {},
): TextModelSpec {
  return {
    id,
    label,
    family: "native",
    tools: false,
    vision: "none",
    json: "none",
    reasoning: false,
    params: NATIVE_PARAMS,
    lora: false,
    ...extra,
  };
}

function openai(
  id: string,
  label: string,
  extra: Partial<TextModelSpec> = {},
): TextModelSpec {
  return {
    id,
    label,
    family: "openai",
    tools: true,
    vision: "none",
    json: "openai",
    reasoning: true,
    params: OPENAI_PARAMS,
    lora: false,
    ...extra,
  };
}

/**
 * Every active text-generation model, as of the 2026-05-30 retirements.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, TEXT_MODELS } from "@x/cloudflare-ai";
 *
 * // Register at start only the models that call tools and the free plan serves.
 * const models = TEXT_MODELS.filter((m) => m.tools && !m.paidOnly).map((m) => m.id);
 * const ai = genkit({ plugins: [cloudflareAI({ models })] });
 * ```
 */
export const TEXT_MODELS: readonly TextModelSpec[] = [
  native("@cf/meta/llama-3.3-70b-instruct-fp8-fast", "Llama 3.3 70B Instruct (fp8, fast)", {
    tools: true,
    json: "response_format",
    params: LLAMA33_PARAMS,
    lora: true,
    contextWindow: 24_000,
  }),
  native("@cf/meta/llama-3.1-8b-instruct-fast", "Llama 3.1 8B Instruct (fast)", {
    tools: true,
    json: "response_format",
    lora: true,
    contextWindow: 128_000,
  }),
  native("@cf/meta/llama-3.1-8b-instruct-fp8", "Llama 3.1 8B Instruct (fp8)", {
    lora: true,
    contextWindow: 32_000,
  }),
  native("@cf/meta/llama-4-scout-17b-16e-instruct", "Llama 4 Scout 17B 16E Instruct", {
    tools: true,
    vision: "content-parts",
    json: "response_format",
    contextWindow: 131_000,
  }),
  native("@cf/meta/llama-3.2-11b-vision-instruct", "Llama 3.2 11B Vision Instruct", {
    tools: true,
    vision: "image-field",
    json: "response_format",
    lora: true,
    contextWindow: 128_000,
  }),
  native("@cf/meta/llama-3.2-3b-instruct", "Llama 3.2 3B Instruct", {
    lora: true,
    contextWindow: 128_000,
  }),
  native("@cf/meta/llama-3.2-1b-instruct", "Llama 3.2 1B Instruct", {
    lora: true,
    contextWindow: 60_000,
  }),
  native("@cf/meta/llama-guard-3-8b", "Llama Guard 3 8B", {
    json: "response_format",
    lora: true,
    contextWindow: 131_072,
  }),
  native("@cf/mistralai/mistral-small-3.1-24b-instruct", "Mistral Small 3.1 24B Instruct", {
    tools: true,
    vision: "content-parts",
    json: "guided_json",
    contextWindow: 128_000,
  }),
  native("@cf/qwen/qwq-32b", "QwQ 32B", {
    tools: true,
    vision: "content-parts",
    json: "guided_json",
    reasoning: true,
    contextWindow: 24_000,
  }),
  native("@cf/qwen/qwen2.5-coder-32b-instruct", "Qwen 2.5 Coder 32B Instruct", {
    tools: true,
    json: "response_format",
    lora: true,
    contextWindow: 32_768,
  }),
  native("@cf/qwen/qwen3-30b-a3b-fp8", "Qwen3 30B A3B (fp8)", {
    tools: true,
    json: "response_format",
    reasoning: true,
    contextWindow: 32_768,
  }),
  native(
    "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b",
    "DeepSeek R1 Distill Qwen 32B",
    { json: "response_format", reasoning: true, contextWindow: 80_000 },
  ),
  native("@cf/ibm-granite/granite-4.0-h-micro", "IBM Granite 4.0 H Micro", {
    contextWindow: 131_000,
  }),
  native("@cf/aisingapore/gemma-sea-lion-v4-27b-it", "Gemma SEA-LION v4 27B IT", {
    tools: true,
    json: "response_format",
    contextWindow: 128_000,
  }),
  native("@cf/mistral/mistral-7b-instruct-v0.2-lora", "Mistral 7B Instruct v0.2 (LoRA base)", {
    lora: true,
    contextWindow: 15_000,
  }),
  native("@cf/google/gemma-2b-it-lora", "Gemma 2B IT (LoRA base)", {
    lora: true,
    contextWindow: 8_192,
  }),
  native("@cf/google/gemma-7b-it-lora", "Gemma 7B IT (LoRA base)", {
    lora: true,
    contextWindow: 3_500,
  }),
  native("@cf/meta-llama/llama-2-7b-chat-hf-lora", "Llama 2 7B Chat (LoRA base)", {
    lora: true,
    contextWindow: 8_192,
  }),
  openai("@cf/openai/gpt-oss-120b", "GPT-OSS 120B", { contextWindow: 128_000 }),
  openai("@cf/openai/gpt-oss-20b", "GPT-OSS 20B", { contextWindow: 128_000 }),
  openai("@cf/zai-org/glm-4.7-flash", "GLM 4.7 Flash", { contextWindow: 131_072 }),
  openai("@cf/zai-org/glm-5.2", "GLM 5.2", { paidOnly: true, contextWindow: 202_752 }),
  openai("@cf/zai-org/glm-5.3", "GLM 5.3", { contextWindow: 202_752 }),
  openai("@cf/zai-org/glm-5.3-flash", "GLM 5.3 Flash", { contextWindow: 202_752 }),
  openai("@cf/moonshotai/kimi-k2.6", "Kimi K2.6", {
    vision: "content-parts",
    paidOnly: true,
    contextWindow: 262_144,
  }),
  openai("@cf/moonshotai/kimi-k2.7-code", "Kimi K2.7 Code", {
    vision: "content-parts",
    paidOnly: true,
    contextWindow: 262_144,
  }),
  openai("@cf/nvidia/nemotron-3-120b-a12b", "Nemotron 3 120B A12B", {
    contextWindow: 262_144,
  }),
  openai("@cf/google/gemma-4-26b-a4b-it", "Gemma 4 26B A4B IT", {
    vision: "content-parts",
    contextWindow: 256_000,
  }),
  openai("@cf/deepseek-ai/deepseek-v4-flash-0731", "DeepSeek V4 Flash", {
    paidOnly: true,
    contextWindow: 131_072,
  }),
  openai("@cf/deepseek-ai/deepseek-v4-pro-0813", "DeepSeek V4 Pro", {
    paidOnly: true,
    contextWindow: 131_072,
  }),
  openai("@cf/qwen/qwen3.8-27b", "Qwen 3.8 27B", { tools: false, contextWindow: 131_072 }),
];

/** A lookup table of specs by model id. */
function byId<T extends { id: string }>(items: readonly T[]): ReadonlyMap<string, T> {
  return new Map(items.map((m) => [m.id, m]));
}

const TEXT_BY_ID = byId(TEXT_MODELS);

const LLAMA_31 = "@cf/meta/llama-3.1-8b-instruct-fast";
const LLAMA_33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
const MISTRAL = "@cf/mistralai/mistral-small-3.1-24b-instruct";
const QWEN = "@cf/qwen/qwen3-30b-a3b-fp8";

function retiredBatch(
  date: string,
  entries: [string, string][],
): RetiredModel[] {
  return entries.map(([id, replacement]) => ({ id, retired: date, replacement }));
}

/**
 * Retired model ids and ids that never existed, each with an active replacement.
 *
 * @example
 * ```ts
 * import { RETIRED_MODELS } from "@x/cloudflare-ai";
 *
 * // Move model ids saved in settings to their active replacements.
 * const replacements = new Map(RETIRED_MODELS.map((m) => [m.id, m.replacement]));
 * const saved = "@cf/meta/llama-3-8b-instruct";
 * const current = replacements.get(saved) ?? saved; // "@cf/meta/llama-3.1-8b-instruct-fast"
 * ```
 */
export const RETIRED_MODELS: readonly RetiredModel[] = [
  {
    id: "@cf/mistral/mistral-7b-instruct-v0.2",
    replacement: MISTRAL,
    note: "no such model was ever published under @cf/ (its @hf/ twin was retired on 2026-05-30)",
  },
  {
    id: "@cf/moonshotai/kimi-k2.5",
    retired: "2026-05-30",
    replacement: "@cf/moonshotai/kimi-k2.6",
    note: "Cloudflare silently serves kimi-k2.6, at a higher price, under this id",
  },
  ...retiredBatch("2026-05-30", [
    ["@hf/mistral/mistral-7b-instruct-v0.2", MISTRAL],
    ["@hf/google/gemma-7b-it", "@cf/google/gemma-4-26b-a4b-it"],
    ["@hf/nousresearch/hermes-2-pro-mistral-7b", LLAMA_33],
    ["@hf/meta-llama/meta-llama-3-8b-instruct", LLAMA_31],
    ["@cf/meta/llama-3-8b-instruct", LLAMA_31],
    ["@cf/meta/llama-3-8b-instruct-awq", LLAMA_31],
    ["@cf/meta/llama-3.1-8b-instruct", LLAMA_31],
    ["@cf/meta/llama-3.1-8b-instruct-awq", LLAMA_31],
    ["@cf/meta/llama-3.1-70b-instruct", LLAMA_33],
    ["@cf/meta/llama-2-7b-chat-int8", LLAMA_31],
    ["@cf/meta/llama-2-7b-chat-fp16", LLAMA_31],
    ["@cf/mistral/mistral-7b-instruct-v0.1", MISTRAL],
    ["@cf/microsoft/phi-2", "@cf/meta/llama-3.2-3b-instruct"],
    ["@cf/defog/sqlcoder-7b-2", "@cf/qwen/qwen2.5-coder-32b-instruct"],
    ["@cf/unum/uform-gen2-qwen-500m", "@cf/meta/llama-4-scout-17b-16e-instruct"],
    ["@cf/google/gemma-3-12b-it", "@cf/google/gemma-4-26b-a4b-it"],
    ["@cf/facebook/bart-large-cnn", LLAMA_31],
  ]),
  ...retiredBatch("2025-10-01", [
    ["@hf/thebloke/zephyr-7b-beta-awq", LLAMA_31],
    ["@hf/thebloke/mistral-7b-instruct-v0.1-awq", MISTRAL],
    ["@hf/thebloke/llama-2-13b-chat-awq", LLAMA_31],
    ["@hf/thebloke/openhermes-2.5-mistral-7b-awq", MISTRAL],
    ["@hf/thebloke/neural-chat-7b-v3-1-awq", LLAMA_31],
    ["@hf/thebloke/llamaguard-7b-awq", "@cf/meta/llama-guard-3-8b"],
    ["@hf/thebloke/deepseek-coder-6.7b-base-awq", "@cf/qwen/qwen2.5-coder-32b-instruct"],
    ["@hf/thebloke/deepseek-coder-6.7b-instruct-awq", "@cf/qwen/qwen2.5-coder-32b-instruct"],
    ["@cf/deepseek-ai/deepseek-math-7b-instruct", "@cf/qwen/qwq-32b"],
    ["@cf/openchat/openchat-3.5-0106", LLAMA_31],
    ["@cf/tiiuae/falcon-7b-instruct", LLAMA_31],
    ["@cf/thebloke/discolm-german-7b-v1-awq", LLAMA_31],
    ["@cf/qwen/qwen1.5-0.5b-chat", QWEN],
    ["@cf/qwen/qwen1.5-1.8b-chat", QWEN],
    ["@cf/qwen/qwen1.5-7b-chat-awq", QWEN],
    ["@cf/qwen/qwen1.5-14b-chat-awq", QWEN],
    ["@cf/tinyllama/tinyllama-1.1b-chat-v1.0", "@cf/meta/llama-3.2-1b-instruct"],
    ["@hf/nexusflow/starling-lm-7b-beta", LLAMA_31],
    ["@cf/fblgit/una-cybertron-7b-v2-bf16", LLAMA_31],
  ]),
];

const RETIRED_BY_ID = byId(RETIRED_MODELS);

/** The catalog entry of a known active text model, or `undefined`. */
export function knownTextModel(id: string): TextModelSpec | undefined {
  return TEXT_BY_ID.get(id);
}

/** The retirement record of a retired or never-existing model id, or `undefined`. */
export function retiredModel(id: string): RetiredModel | undefined {
  return RETIRED_BY_ID.get(id);
}

/**
 * The model-id grammar: `@cf/` or `@hf/`, an author and a name, each opening
 * with a letter or digit and made of letters, digits, `.`, `_` and `-`. It
 * leaves no way to change a request's path or query: no `/` beyond the two,
 * no dot segments, no `%` escapes, no `?`, `#`, `\`, whitespace or control
 * characters. Every Workers AI id has this shape (`@cf/meta/llama-3.1-8b-instruct-fast`,
 * `@cf/ai4bharat/indictrans2-en-indic-1B`).
 */
const MODEL_ID = /^@(?:cf|hf)\/[A-Za-z0-9][A-Za-z0-9._-]{0,99}\/[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Whether `id` is a well-formed Workers AI model id (see the grammar above). */
export function isWorkersAIModelId(id: unknown): id is string {
  return typeof id === "string" && MODEL_ID.test(id);
}

/** Ids whose wire format is OpenAI Chat Completions even on `/ai/run`. */
const OPENAI_FAMILY_PREFIXES = [
  "@cf/openai/",
  "@cf/zai-org/",
  "@cf/moonshotai/",
  "@cf/nvidia/nemotron",
  "@cf/google/gemma-4",
  "@cf/deepseek-ai/deepseek-v4",
  "@cf/qwen/qwen3.8",
];

/**
 * The text spec for any id: the catalog entry when known, otherwise a
 * conservative guess (no tools, no images, no JSON mode) in the family the id's
 * publisher uses.
 */
export function textModelSpec(id: string): TextModelSpec {
  const known = TEXT_BY_ID.get(id);
  if (known) return known;
  const isOpenAI = OPENAI_FAMILY_PREFIXES.some((p) => id.startsWith(p));
  const label = workersLabel(id);
  return isOpenAI
    ? openai(id, label, { tools: false, json: "none", reasoning: true })
    : native(id, label);
}

// ---------------------------------------------------------------------------
// Embedding models and rerankers

/**
 * How an embedding model takes its texts: `text` (a string array in `text`)
 * or `queries-documents` (qwen3-embedding: `queries` or `documents`, plus an
 * `instruction` applied to queries).
 *
 * @example
 * ```ts
 * import { EMBEDDING_MODELS, type EmbeddingFields } from "@x/cloudflare-ai";
 *
 * // The models that embed queries and documents differently (see EmbedConfig.inputType).
 * const split: EmbeddingFields = "queries-documents";
 * const ids = EMBEDDING_MODELS.filter((m) => m.fields === split).map((m) => m.id);
 * // ["@cf/qwen/qwen3-embedding-0.6b"]
 * ```
 */
export type EmbeddingFields = "text" | "queries-documents";

/**
 * Everything the plugin knows about one embedding model.
 *
 * @example
 * ```ts
 * import { type EmbedderSpec, EMBEDDING_MODELS } from "@x/cloudflare-ai";
 *
 * // How many requests embedding `count` texts with a model takes.
 * function requestsFor(spec: EmbedderSpec, count: number): number {
 *   return Math.ceil(count / spec.batchLimit);
 * }
 * const qwen = EMBEDDING_MODELS.find((m) => m.id === "@cf/qwen/qwen3-embedding-0.6b")!;
 * requestsFor(qwen, 1000); // 32: qwen3-embedding takes 32 texts a request
 * ```
 */
export interface EmbedderSpec {
  /** Workers AI model id, e.g. `@cf/baai/bge-base-en-v1.5`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /** Length of each vector; `undefined` for a model not in the catalog. */
  dimensions?: number;
  /** Most texts the model takes in one request (its schema's `maxItems`). */
  batchLimit: number;
  /** How the model takes its texts. */
  fields: EmbeddingFields;
  /** Whether the model takes `pooling` (`mean` or `cls`). */
  pooling: boolean;
  /** Whether the model takes `truncate_inputs`. */
  truncateInputs: boolean;
  /** Whether the model embeds languages other than English. */
  multilingual?: boolean;
}

/**
 * Everything the plugin knows about one reranker.
 *
 * @example
 * ```ts
 * import { RERANKER_MODELS, type RerankerSpec } from "@x/cloudflare-ai";
 *
 * // The rerank options a model takes.
 * function optionsOf(spec: RerankerSpec): string[] {
 *   return spec.truncateInputs ? ["topK", "truncateInputs"] : ["topK"];
 * }
 * RERANKER_MODELS.map(optionsOf); // [["topK"], ["topK", "truncateInputs"]]
 * ```
 */
export interface RerankerSpec {
  /** Workers AI model id, e.g. `@cf/baai/bge-reranker-base`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /** Whether the model takes `top_k`; otherwise the plugin keeps the best `topK` itself. */
  topK: boolean;
  /** Whether the model takes `truncate_inputs`. */
  truncateInputs: boolean;
}

/** Every `maxItems` of the documented embedding schemas but qwen3-embedding's is 100. */
const EMBED_BATCH = 100;

function embedding(
  id: string,
  label: string,
  dimensions: number,
  extra: Partial<EmbedderSpec> = {},
): EmbedderSpec {
  return {
    id,
    label,
    dimensions,
    batchLimit: EMBED_BATCH,
    fields: "text",
    pooling: false,
    truncateInputs: false,
    ...extra,
  };
}

/**
 * Every active Workers AI embedding model, with its true output dimensions.
 *
 * @example
 * ```ts
 * import { cloudflareAI, EMBEDDING_MODELS } from "@x/cloudflare-ai";
 *
 * // The multilingual models whose vectors fit a 1024-dimension index.
 * const fits = EMBEDDING_MODELS.filter((m) => m.multilingual && m.dimensions === 1024);
 * console.log(fits.map((m) => m.id)); // ["@cf/baai/bge-m3", "@cf/qwen/qwen3-embedding-0.6b"]
 * const embedder = cloudflareAI.embedder(fits[0].id);
 * ```
 */
export const EMBEDDING_MODELS: readonly EmbedderSpec[] = [
  embedding("@cf/baai/bge-small-en-v1.5", "BGE Small EN v1.5", 384, { pooling: true }),
  embedding("@cf/baai/bge-base-en-v1.5", "BGE Base EN v1.5", 768, { pooling: true }),
  embedding("@cf/baai/bge-large-en-v1.5", "BGE Large EN v1.5", 1024, { pooling: true }),
  embedding("@cf/baai/bge-m3", "BGE M3", 1024, { truncateInputs: true, multilingual: true }),
  embedding("@cf/google/embeddinggemma-300m", "EmbeddingGemma 300M", 768, {
    multilingual: true,
  }),
  // qwen3-embedding caps each of `queries`, `documents` and `text` at 32 items.
  embedding("@cf/qwen/qwen3-embedding-0.6b", "Qwen3 Embedding 0.6B", 1024, {
    batchLimit: 32,
    fields: "queries-documents",
    multilingual: true,
  }),
  // plamo's schema documents no maxItems; it is given the limit of the others.
  embedding("@cf/pfnet/plamo-embedding-1b", "PLaMo Embedding 1B", 2048, { multilingual: true }),
];

/**
 * Every Workers AI model that reranks `contexts` against a `query`.
 *
 * @example
 * ```ts
 * import { cloudflareAI, RERANKER_MODELS } from "@x/cloudflare-ai";
 *
 * // A reference for each (bge-reranker-base, bge-m3), to compare their rankings.
 * const rerankers = RERANKER_MODELS.map((m) => cloudflareAI.reranker(m.id));
 * console.log(rerankers.map((r) => r.name)); // ["cloudflare-ai/@cf/baai/bge-reranker-base", ...]
 * ```
 */
export const RERANKER_MODELS: readonly RerankerSpec[] = [
  {
    id: "@cf/baai/bge-reranker-base",
    label: "BGE Reranker Base",
    topK: true,
    truncateInputs: false,
  },
  // bge-m3 scores `contexts` against a `query` too, but takes no `top_k`.
  { id: "@cf/baai/bge-m3", label: "BGE M3 (query + contexts)", topK: false, truncateInputs: true },
];

const EMBEDDING_BY_ID = byId(EMBEDDING_MODELS);
const RERANKER_BY_ID = byId(RERANKER_MODELS);

/** The catalog entry of a known embedding model, or `undefined`. */
export function knownEmbedder(id: string): EmbedderSpec | undefined {
  return EMBEDDING_BY_ID.get(id);
}

/** The catalog entry of a known reranker, or `undefined`. */
export function knownReranker(id: string): RerankerSpec | undefined {
  return RERANKER_BY_ID.get(id);
}

function workersLabel(id: string): string {
  return `Workers AI ${id.replace(/^@(cf|hf)\//, "")}`;
}

/**
 * The embedding spec for any id: the catalog entry when known, otherwise a
 * model taking `text` in batches of 100, of unknown dimensions.
 */
export function embedderSpec(id: string): EmbedderSpec {
  return EMBEDDING_BY_ID.get(id) ?? {
    id,
    label: workersLabel(id),
    batchLimit: EMBED_BATCH,
    fields: "text",
    pooling: false,
    truncateInputs: false,
  };
}

/** The reranker spec for any id: the catalog entry when known, otherwise bge-reranker's format. */
export function rerankerSpec(id: string): RerankerSpec {
  return RERANKER_BY_ID.get(id) ?? {
    id,
    label: workersLabel(id),
    topK: true,
    truncateInputs: false,
  };
}
