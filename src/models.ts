/**
 * The model data behind `@x/cloudflare-ai`: each task family's built-in
 * catalog (what every model takes, its ranges and defaults, its wire
 * format), and the retired ids with their replacements. An app needs none
 * of it to use the plugin; it is here for tools, tables and tests that want
 * to know what the plugin knows.
 *
 * ```ts
 * import { RETIRED_MODELS, TEXT_MODELS } from "@x/cloudflare-ai/models";
 *
 * const withTools = TEXT_MODELS.filter((m) => m.tools).map((m) => m.id);
 * console.log(withTools.length, "text models call tools");
 * console.log(RETIRED_MODELS.length, "retired ids, each with its replacement");
 * ```
 *
 * @module
 */
export { RETIRED_MODELS, type RetiredModel } from "./model_ids.ts";
export {
  type JsonMode,
  type ParamRange,
  type RangedParam,
  TEXT_MODELS,
  type TextModelSpec,
  type TextWireFormat,
  type VisionInput,
} from "./text/catalog.ts";
export { type EmbedderSpec, EMBEDDING_MODELS, type EmbeddingFields } from "./embed/catalog.ts";
export { RERANKER_MODELS, type RerankerSpec } from "./rerank/catalog.ts";
export {
  IMAGE_MODELS,
  type ImageInput,
  type ImageModelSpec,
  type ImageParam,
} from "./image/catalog.ts";
export { type TranslateModelSpec, TRANSLATION_MODELS } from "./translate/catalog.ts";
export { CLASSIFICATION_MODELS, type ClassifyModelSpec } from "./classify/catalog.ts";
export { DETECTION_MODELS, type DetectModelSpec } from "./detect/catalog.ts";
export { CAPTION_MODELS, type CaptionModelSpec } from "./caption/catalog.ts";
export { TURN_MODELS, type TurnModelSpec } from "./turn/catalog.ts";
export {
  TRANSCRIBE_MODELS,
  type TranscribeModelSpec,
  type TranscribeWire,
} from "./transcribe/catalog.ts";
export { SPEECH_MODELS, type SpeechModelSpec } from "./speech/catalog.ts";
export { CLEF_MODELS, type ClefMedia, type ClefModelSpec } from "./clef/catalog.ts";
