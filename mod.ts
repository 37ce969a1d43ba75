/**
 * Cloudflare Workers AI for Genkit: text generation (streaming, tools,
 * images in), embeddings, reranking, image generation, speech-to-text,
 * text-to-speech, translation, classification, object detection,
 * image-to-text and turn detection, over the REST API, AI Gateway or the
 * `env.AI` binding.
 *
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI } from "@x/cloudflare-ai";
 *
 * const ai = genkit({
 *   plugins: [cloudflareAI()], // CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN
 *   model: cloudflareAI.model("@cf/meta/llama-3.1-8b-instruct-fast"),
 * });
 * const { text } = await ai.generate("Say hi to Ada in a friendly way!");
 * ```
 *
 * A local Workers AI emulator for tests lives in `@x/cloudflare-ai/testing`.
 *
 * @module
 */
export {
  type CloudflareAI,
  cloudflareAI,
  type CloudflareAIOptions,
  type CloudflareAIPlugin,
  type ModelConfigFor,
  type ModelRefOptions,
  PLUGIN_NAME,
} from "./src/plugin.ts";
export type { AiBinding, GatewayOptions } from "./src/client/types.ts";
export type { MediaDownloadOptions } from "./src/downloads/policy.ts";
export { type TextConfig, TextConfigSchema } from "./src/text/config.ts";
export { type EmbedConfig, EmbedConfigSchema } from "./src/embed/config.ts";
export { type RerankConfig, RerankConfigSchema } from "./src/rerank/config.ts";
export type { CloudflareErrorDetail, CloudflareErrorItem } from "./src/errors.ts";
export type {
  EmbedderInfo,
  EmbedderRef,
  ModelInfo,
  ModelRef,
  RerankerInfo,
  RerankerRef,
  ZodSchema,
} from "./src/refs.ts";
export { checkModelId, RETIRED_MODELS, type RetiredModel } from "./src/model_ids.ts";
export {
  type JsonMode,
  type ParamRange,
  type RangedParam,
  TEXT_MODELS,
  type TextModelId,
  type TextModelSpec,
  type TextWireFormat,
  type VisionInput,
} from "./src/text/catalog.ts";
export { type EmbedderSpec, EMBEDDING_MODELS, type EmbeddingFields } from "./src/embed/catalog.ts";
export { RERANKER_MODELS, type RerankerSpec } from "./src/rerank/catalog.ts";
export { type ImageConfig, ImageConfigSchema } from "./src/image/config.ts";
export {
  IMAGE_MODELS,
  type ImageInput,
  type ImageModelId,
  type ImageModelSpec,
  type ImageParam,
} from "./src/image/catalog.ts";
export type { TranslateConfig } from "./src/translate/config.ts";
export {
  type TranslateModelId,
  type TranslateModelSpec,
  TRANSLATION_MODELS,
} from "./src/translate/catalog.ts";
export type { Classification, ClassifyConfig } from "./src/classify/config.ts";
export {
  CLASSIFICATION_MODELS,
  type ClassifyModelId,
  type ClassifyModelSpec,
} from "./src/classify/catalog.ts";
export type { DetectConfig, DetectedObject } from "./src/detect/config.ts";
export {
  DETECTION_MODELS,
  type DetectModelId,
  type DetectModelSpec,
} from "./src/detect/catalog.ts";
export type { CaptionConfig } from "./src/caption/config.ts";
export {
  CAPTION_MODELS,
  type CaptionModelId,
  type CaptionModelSpec,
} from "./src/caption/catalog.ts";
export type { TurnConfig, TurnDetection } from "./src/turn/config.ts";
export { TURN_MODELS, type TurnModelId, type TurnModelSpec } from "./src/turn/catalog.ts";
export { type TranscribeConfig, TranscribeConfigSchema } from "./src/transcribe/config.ts";
export {
  TRANSCRIBE_MODELS,
  type TranscribeModelId,
  type TranscribeModelSpec,
  type TranscribeWire,
} from "./src/transcribe/catalog.ts";
export { type SpeechConfig, SpeechConfigSchema } from "./src/speech/config.ts";
export { SPEECH_MODELS, type SpeechModelId, type SpeechModelSpec } from "./src/speech/catalog.ts";
