/**
 * The text-generation models this plugin knows by name: their wire format,
 * what each one takes (tools, images, JSON mode) and the documented ranges of
 * its sampling parameters.
 *
 * Sources: Cloudflare's model JSON schemas, `@cloudflare/workers-types`
 * `AiModels`, and the Workers AI changelog (retirements of 2025-10-01 and
 * 2026-05-30).
 *
 * @module
 */
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";

/**
 * An inclusive numeric range a sampling parameter must fall in.
 *
 * @example
 * ```ts
 * import { type ParamRange, TEXT_MODELS } from "@x/cloudflare-ai/models";
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
 * import { type RangedParam, TEXT_MODELS } from "@x/cloudflare-ai/models";
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
 * import { TEXT_MODELS, type TextWireFormat } from "@x/cloudflare-ai/models";
 *
 * const format: TextWireFormat = "openai";
 * const chatCompletions = TEXT_MODELS.filter((m) => m.format === format).map((m) => m.id);
 * // ["@cf/openai/gpt-oss-120b", "@cf/openai/gpt-oss-20b", "@cf/zai-org/glm-4.7-flash", ...]
 * ```
 */
export type TextWireFormat = "native" | "openai";

/**
 * How a model takes images.
 *
 * @example
 * ```ts
 * import { TEXT_MODELS, type VisionInput } from "@x/cloudflare-ai/models";
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
 * import { type JsonMode, TEXT_MODELS } from "@x/cloudflare-ai/models";
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
 * import { TEXT_MODELS, type TextModelSpec } from "@x/cloudflare-ai/models";
 *
 * function describe(spec: TextModelSpec): string {
 *   const images = spec.vision === "none" ? "no images" : "images";
 *   return `${spec.label}: ${spec.format} format, tools: ${spec.tools}, ${images}`;
 * }
 * for (const spec of TEXT_MODELS) console.log(describe(spec));
 * ```
 */
export interface TextModelSpec {
  /** Workers AI model id, e.g. `@cf/meta/llama-3.3-70b-instruct-fp8-fast`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /** The wire format of its requests and answers. */
  format: TextWireFormat;
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
    format: "native",
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
    format: "openai",
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
 * The id of a text-generation model of the built-in catalog. A reference
 * made with one of these ids is typed with the text config.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type TextModelId } from "@x/cloudflare-ai";
 *
 * const id: TextModelId = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
 * const model = cloudflareAI.model(id, { temperature: 0.2 }); // config typed as TextConfig
 * ```
 */
export type TextModelId =
  | "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
  | "@cf/meta/llama-3.1-8b-instruct-fast"
  | "@cf/meta/llama-3.1-8b-instruct-fp8"
  | "@cf/meta/llama-4-scout-17b-16e-instruct"
  | "@cf/meta/llama-3.2-11b-vision-instruct"
  | "@cf/meta/llama-3.2-3b-instruct"
  | "@cf/meta/llama-3.2-1b-instruct"
  | "@cf/meta/llama-guard-3-8b"
  | "@cf/mistralai/mistral-small-3.1-24b-instruct"
  | "@cf/qwen/qwq-32b"
  | "@cf/qwen/qwen2.5-coder-32b-instruct"
  | "@cf/qwen/qwen3-30b-a3b-fp8"
  | "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b"
  | "@cf/ibm-granite/granite-4.0-h-micro"
  | "@cf/aisingapore/gemma-sea-lion-v4-27b-it"
  | "@cf/mistral/mistral-7b-instruct-v0.2-lora"
  | "@cf/google/gemma-2b-it-lora"
  | "@cf/google/gemma-7b-it-lora"
  | "@cf/meta-llama/llama-2-7b-chat-hf-lora"
  | "@cf/openai/gpt-oss-120b"
  | "@cf/openai/gpt-oss-20b"
  | "@cf/zai-org/glm-4.7-flash"
  | "@cf/zai-org/glm-5.2"
  | "@cf/zai-org/glm-5.3"
  | "@cf/zai-org/glm-5.3-flash"
  | "@cf/moonshotai/kimi-k2.6"
  | "@cf/moonshotai/kimi-k2.7-code"
  | "@cf/nvidia/nemotron-3-120b-a12b"
  | "@cf/google/gemma-4-26b-a4b-it"
  | "@cf/deepseek-ai/deepseek-v4-flash-0731"
  | "@cf/deepseek-ai/deepseek-v4-pro-0813"
  | "@cf/qwen/qwen3.8-27b";

/**
 * Every active text-generation model, as of the 2026-05-30 retirements.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { TEXT_MODELS } from "@x/cloudflare-ai/models";
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

const TEXT_BY_ID = byId(TEXT_MODELS);

/** The catalog entry of a known active text model, or `undefined`. */
export function knownTextModel(id: string): TextModelSpec | undefined {
  return TEXT_BY_ID.get(id);
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
 * conservative guess (no tools, no images, no JSON mode) in the wire format the id's
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
