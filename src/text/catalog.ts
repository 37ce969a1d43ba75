/**
 * The text-generation models this plugin knows by name: their wire format,
 * written here, and everything else (tools, images, JSON mode, reasoning
 * efforts, sampling parameters with their ranges and defaults, LoRA,
 * context window, paid-only flag, stage) derived from Cloudflare's published
 * definitions by `derive.ts`, with its overrides.
 *
 * @module
 */
import { workersLabel } from "../labels.ts";
import type { LiveModel } from "../model_search.ts";
import { byId } from "../model_ids.ts";
import { deriveTextSpec } from "./derive.ts";

export type {
  JsonMode,
  ParamRange,
  RangedParam,
  TextModelSpec,
  TextWireFormat,
  VisionInput,
} from "./spec.ts";
import type { TextModelSpec } from "./spec.ts";

function native(models: [id: string, label: string][]): TextModelSpec[] {
  return models.map(([id, label]) => deriveTextSpec(id, label, "native"));
}

function openai(models: [id: string, label: string][]): TextModelSpec[] {
  return models.map(([id, label]) => deriveTextSpec(id, label, "openai"));
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
  | "@cf/qwen/qwen3.8-27b"
  | "@cf/swiss-ai/apertus-v1.5-8b"
  | "@cf/utter-project/eurollm-9b-it";

/**
 * Every current text-generation model Cloudflare publishes (the Clef
 * decision models are their own family), each in its wire format.
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
  ...native([
    ["@cf/meta/llama-3.3-70b-instruct-fp8-fast", "Llama 3.3 70B Instruct (fp8, fast)"],
    ["@cf/meta/llama-3.1-8b-instruct-fast", "Llama 3.1 8B Instruct (fast)"],
    ["@cf/meta/llama-3.1-8b-instruct-fp8", "Llama 3.1 8B Instruct (fp8)"],
    ["@cf/meta/llama-4-scout-17b-16e-instruct", "Llama 4 Scout 17B 16E Instruct"],
    ["@cf/meta/llama-3.2-11b-vision-instruct", "Llama 3.2 11B Vision Instruct"],
    ["@cf/meta/llama-3.2-3b-instruct", "Llama 3.2 3B Instruct"],
    ["@cf/meta/llama-3.2-1b-instruct", "Llama 3.2 1B Instruct"],
    ["@cf/meta/llama-guard-3-8b", "Llama Guard 3 8B"],
    ["@cf/mistralai/mistral-small-3.1-24b-instruct", "Mistral Small 3.1 24B Instruct"],
    ["@cf/qwen/qwq-32b", "QwQ 32B"],
    ["@cf/qwen/qwen2.5-coder-32b-instruct", "Qwen 2.5 Coder 32B Instruct"],
    ["@cf/qwen/qwen3-30b-a3b-fp8", "Qwen3 30B A3B (fp8)"],
    ["@cf/deepseek-ai/deepseek-r1-distill-qwen-32b", "DeepSeek R1 Distill Qwen 32B"],
    ["@cf/ibm-granite/granite-4.0-h-micro", "IBM Granite 4.0 H Micro"],
    ["@cf/aisingapore/gemma-sea-lion-v4-27b-it", "Gemma SEA-LION v4 27B IT"],
    ["@cf/mistral/mistral-7b-instruct-v0.2-lora", "Mistral 7B Instruct v0.2 (LoRA base)"],
    ["@cf/google/gemma-2b-it-lora", "Gemma 2B IT (LoRA base)"],
    ["@cf/google/gemma-7b-it-lora", "Gemma 7B IT (LoRA base)"],
    ["@cf/meta-llama/llama-2-7b-chat-hf-lora", "Llama 2 7B Chat (LoRA base)"],
  ]),
  ...openai([
    ["@cf/openai/gpt-oss-120b", "GPT-OSS 120B"],
    ["@cf/openai/gpt-oss-20b", "GPT-OSS 20B"],
    ["@cf/zai-org/glm-4.7-flash", "GLM 4.7 Flash"],
    ["@cf/zai-org/glm-5.2", "GLM 5.2"],
    ["@cf/zai-org/glm-5.3", "GLM 5.3"],
    ["@cf/zai-org/glm-5.3-flash", "GLM 5.3 Flash"],
    ["@cf/moonshotai/kimi-k2.6", "Kimi K2.6"],
    ["@cf/moonshotai/kimi-k2.7-code", "Kimi K2.7 Code"],
    ["@cf/nvidia/nemotron-3-120b-a12b", "Nemotron 3 120B A12B"],
    ["@cf/google/gemma-4-26b-a4b-it", "Gemma 4 26B A4B IT"],
    ["@cf/deepseek-ai/deepseek-v4-flash-0731", "DeepSeek V4 Flash"],
    ["@cf/deepseek-ai/deepseek-v4-pro-0813", "DeepSeek V4 Pro"],
    ["@cf/qwen/qwen3.8-27b", "Qwen 3.8 27B"],
    // No input schema is published for these two: their published properties
    // (function_calling, vision, context_window) decide what they take, and no
    // sampling parameter is sent. Their wire family is not published either:
    // every text model Cloudflare added since 2025-08 takes Chat Completions.
    ["@cf/swiss-ai/apertus-v1.5-8b", "Apertus v1.5 8B"],
    ["@cf/utter-project/eurollm-9b-it", "EuroLLM 9B IT"],
  ]),
];

const TEXT_BY_ID = byId(TEXT_MODELS);

/** The catalog entry of a known active text model, or `undefined`. */
export function knownTextModel(id: string): TextModelSpec | undefined {
  return TEXT_BY_ID.get(id);
}

/**
 * The wire family of ids the catalog does not list, by publisher: no
 * definition or model search states it (hand-written, reference §3).
 */
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
 * The text spec for any id: the catalog entry when known, otherwise one
 * derived from its published definition or, for an id the snapshot lacks,
 * from what the account's model search said of it (`live`): nothing it did
 * not say is assumed. Only the wire family is guessed from the publisher.
 */
export function textModelSpec(id: string, live?: LiveModel): TextModelSpec {
  const known = TEXT_BY_ID.get(id);
  if (known) return known;
  const isOpenAI = OPENAI_FAMILY_PREFIXES.some((p) => id.startsWith(p));
  return deriveTextSpec(id, workersLabel(id), isOpenAI ? "openai" : "native", live);
}
