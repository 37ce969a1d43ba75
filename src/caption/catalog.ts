/**
 * The image-to-text models this plugin knows: an image (and a question)
 * in, a description or an answer out (and Moondream's points and boxes).
 * Whether each is beta comes from its published definition; its label and
 * wire format are written here.
 *
 * @module
 */
import { publishedModel } from "../definitions/mod.ts";
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";

/**
 * Everything the plugin knows about one image-to-text model.
 *
 * @example
 * ```ts
 * import { CAPTION_MODELS, type CaptionModelSpec } from "@x/cloudflare-ai/models";
 *
 * const reasons = (m: CaptionModelSpec) => m.wire === "moondream"; // a reasoning trace
 * console.log(CAPTION_MODELS.filter(reasons).map((m) => m.id));
 * ```
 */
export interface CaptionModelSpec {
  /** Workers AI model id, e.g. `@cf/llava-hf/llava-1.5-7b-hf`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /**
   * How it is asked: LLaVA's `{ image: number[], prompt?, max_tokens?, … }`
   * (or the raw image) answered with `description`, or Moondream's
   * `{ task, image: <data URL>, question? | target?, … }` answered with
   * `answer` or `caption` and a reasoning trace, or `points` or `objects`.
   */
  wire: "llava" | "moondream";
  /** Whether Cloudflare marks the model beta. */
  beta?: boolean;
}

/** An image-to-text model's spec, with its published beta flag. */
function captioner(id: string, label: string, wire: CaptionModelSpec["wire"]): CaptionModelSpec {
  return { id, label, wire, ...(publishedModel(id)?.beta ? { beta: true } : {}) };
}

/**
 * The id of an image-to-text model of the built-in catalog. A reference
 * made with one of these ids is typed with `CaptionConfig`.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type CaptionModelId } from "@x/cloudflare-ai";
 *
 * const id: CaptionModelId = "@cf/llava-hf/llava-1.5-7b-hf";
 * const llava = cloudflareAI.model(id, { maxOutputTokens: 128 }); // config typed as CaptionConfig
 * ```
 */
export type CaptionModelId = "@cf/llava-hf/llava-1.5-7b-hf" | "@cf/moondream/moondream3.1-9B-A2B";

/**
 * Every active Workers AI image-to-text model.
 *
 * @example
 * ```ts
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { CAPTION_MODELS } from "@x/cloudflare-ai/models";
 *
 * const captioners = CAPTION_MODELS.map((m) => cloudflareAI.model(m.id));
 * ```
 */
export const CAPTION_MODELS: readonly CaptionModelSpec[] = [
  captioner("@cf/llava-hf/llava-1.5-7b-hf", "LLaVA 1.5 7B", "llava"),
  captioner("@cf/moondream/moondream3.1-9B-A2B", "Moondream 3.1 9B A2B", "moondream"),
];

const CAPTION_BY_ID = byId(CAPTION_MODELS);

/** The catalog entry of a known image-to-text model, or `undefined`. */
export function knownCaptioner(id: string): CaptionModelSpec | undefined {
  return CAPTION_BY_ID.get(id);
}

/** The spec of any image-to-text id: the catalog entry, or LLaVA's wire format for one it does not know. */
export function captionerSpec(id: string): CaptionModelSpec {
  return CAPTION_BY_ID.get(id) ?? captioner(id, workersLabel(id), "llava");
}
