/**
 * Cloudflare Workers AI for Genkit: text generation (streaming, tools,
 * images in), embeddings and reranking, over the REST API, AI Gateway or the
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
  checkModelId,
  type CloudflareAI,
  cloudflareAI,
  type CloudflareAIOptions,
  type CloudflareAIPlugin,
  PLUGIN_NAME,
} from "./src/plugin.ts";
export type { AiBinding, GatewayOptions } from "./src/client.ts";
export type { MediaDownloadOptions } from "./src/downloads.ts";
export { type TextConfig, TextConfigSchema } from "./src/models/text.ts";
export { type EmbedConfig, EmbedConfigSchema } from "./src/embedders.ts";
export { type RerankConfig, RerankConfigSchema } from "./src/rerankers.ts";
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
export {
  type EmbedderSpec,
  EMBEDDING_MODELS,
  type EmbeddingFields,
  type JsonMode,
  type ParamRange,
  type RangedParam,
  RERANKER_MODELS,
  type RerankerSpec,
  RETIRED_MODELS,
  type RetiredModel,
  TEXT_MODELS,
  type TextFamily,
  type TextModelSpec,
  type VisionInput,
} from "./src/catalog.ts";
