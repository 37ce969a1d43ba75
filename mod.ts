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
 * Model data (the built-in catalogs, retired ids) lives in
 * `@x/cloudflare-ai/models`; a local Workers AI emulator for tests in
 * `@x/cloudflare-ai/testing`.
 *
 * @module
 */
export {
  type CloudflareAI,
  cloudflareAI,
  type CloudflareAIInstanceRefs,
  type CloudflareAIOptions,
  type CloudflareAIPlugin,
  type GenkitPlugin,
  type ModelConfigFor,
  type ModelRefOptions,
  PLUGIN_NAME,
} from "./src/plugin.ts";
export type { AiBinding, GatewayOptions } from "./src/client/types.ts";
export type { MediaDownloadOptions } from "./src/downloads/policy.ts";
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
export { checkModelId } from "./src/model_ids.ts";
export { type TextConfig, TextConfigSchema } from "./src/text/config.ts";
export type { TextModelId } from "./src/text/catalog.ts";
export { type EmbedConfig, EmbedConfigSchema } from "./src/embed/config.ts";
export { type RerankConfig, RerankConfigSchema } from "./src/rerank/config.ts";
export { type ImageConfig, ImageConfigSchema } from "./src/image/config.ts";
export type { ImageModelId } from "./src/image/catalog.ts";
export { type TranscribeConfig, TranscribeConfigSchema } from "./src/transcribe/config.ts";
export type { TranscribeModelId } from "./src/transcribe/catalog.ts";
export { type SpeechConfig, SpeechConfigSchema } from "./src/speech/config.ts";
export type { SpeechModelId } from "./src/speech/catalog.ts";
export type { TranslateConfig } from "./src/translate/config.ts";
export type { TranslateModelId } from "./src/translate/catalog.ts";
export type { Classification, ClassifyConfig } from "./src/classify/config.ts";
export type { ClassifyModelId } from "./src/classify/catalog.ts";
export type { DetectConfig, DetectedObject } from "./src/detect/config.ts";
export type { DetectModelId } from "./src/detect/catalog.ts";
export type { CaptionConfig } from "./src/caption/config.ts";
export type { CaptionModelId } from "./src/caption/catalog.ts";
export type { TurnConfig, TurnDetection } from "./src/turn/config.ts";
export type { TurnModelId } from "./src/turn/catalog.ts";
