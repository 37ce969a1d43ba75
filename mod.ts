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
  type CloudflareAIAccount,
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
export type { CaptionConfig, LocatedObject, LocatedPoint } from "./src/caption/config.ts";
export type { CaptionModelId } from "./src/caption/catalog.ts";
export type { TurnConfig, TurnDetection } from "./src/turn/config.ts";
export type { TurnModelId } from "./src/turn/catalog.ts";
export type { ClefAnswer, ClefConfig, ClefCustom } from "./src/clef/config.ts";
export type { ClefModelId } from "./src/clef/catalog.ts";
export type { RequestConfig } from "./src/request_config.ts";
export type { GatewayControls, RequestMeta } from "./src/client/extras.ts";
export type {
  BatchEmbedRequest,
  BatchError,
  BatchGenerateRequest,
  BatchItem,
  BatchMessage,
  BatchOptions,
  BatchPart,
  BatchProgress,
  BatchPrompt,
  BatchResult,
  BatchState,
  BatchSubmission,
  BatchUsage,
  CloudflareAIBatches,
  QueuedOperation,
  QueuedResponse,
} from "./src/batch/types.ts";
export type { Finetune } from "./src/finetunes.ts";
// Retrieval: Vectorize, AI Search and Markdown conversion.
export type {
  CloudflareAIRetrieval,
  RetrievalOptions,
  RetrievalRefs,
} from "./src/vectorize/plugin.ts";
export type {
  IndexerRef,
  RetrievalInfo,
  RetrieverRef,
  VectorizeRefOptions,
} from "./src/vectorize/refs.ts";
export {
  type VectorizeIndexOptions,
  VectorizeIndexOptionsSchema,
} from "./src/vectorize/indexer.ts";
export {
  type VectorizeRetrieveOptions,
  VectorizeRetrieveOptionsSchema,
} from "./src/vectorize/retriever.ts";
export {
  FILTER_OPERATORS,
  type FilterScalar,
  type VectorizeFilter,
} from "./src/vectorize/filter.ts";
export type {
  VectorizeBinding,
  VectorizeMatch,
  VectorizeVector,
} from "./src/vectorize/transport.ts";
export type { EmbedderArgument } from "./src/vectorize/embedding.ts";
export type { AiSearchBinding } from "./src/aisearch/names.ts";
export {
  type AiSearchRefOptions,
  type AiSearchRetrieveOptions,
  AiSearchRetrieveOptionsSchema,
} from "./src/aisearch/retriever.ts";
export {
  type ConversionImageOptions,
  type ConversionOptions,
  ConversionOptionsSchema,
  type DescriptionLanguage,
} from "./src/markdown/options.ts";
export type { FileDocument, MarkdownFile, ToMarkdownOptions } from "./src/markdown/convert.ts";
