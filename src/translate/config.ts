/**
 * Translation config: the source and target languages, each model's table
 * made from its published fields (IndicTrans2 lists its targets and has no
 * source field), and the checks that run before any request.
 *
 * @module
 */
import { publishedModel } from "../definitions/mod.ts";
import { type OptionName, publishedOptions, type WireOption } from "../wire_options.ts";
import type { TranslateModelSpec } from "./catalog.ts";

/**
 * Config of Workers AI translation models. `targetLang` is required: a
 * request without it is refused before any request.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type TranslateConfig } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const config: TranslateConfig = { sourceLang: "en", targetLang: "fr" };
 * const model = cloudflareAI.model("@cf/meta/m2m100-1.2b", config);
 * const { text } = await ai.generate({ model, prompt: "Where is the station?" });
 * // IndicTrans2 translates from English into the languages its schema lists.
 * const hindi = cloudflareAI.model("@cf/ai4bharat/indictrans2-en-indic-1B", {
 *   targetLang: "hin_Deva",
 * });
 * ```
 */
export interface TranslateConfig {
  /**
   * The language of the prompt (`source_lang`), e.g. `"en"`; M2M100 only
   * (IndicTrans2 translates from English).
   * @default {"en"}
   */
  sourceLang?: string;
  /**
   * The language to translate into (`target_lang`, IndicTrans2's
   * `target_language`): a code such as `"fr"` for M2M100, one of the codes
   * IndicTrans2 lists (`"hin_Deva"`, `"tam_Taml"`, …) for IndicTrans2.
   * Required.
   */
  targetLang?: string;
}

/** The published parameters translation models take, by config key. */
const NAMES: readonly OptionName[] = [
  { key: "sourceLang", wire: "source_lang", description: "The language of the prompt, e.g. de." },
  {
    key: "targetLang",
    wire: "target_lang",
    description: "The language to translate into, e.g. fr.",
  },
  {
    key: "targetLang",
    wire: "target_language",
    description: "The language to translate into (one of the model's codes).",
  },
];

/** The model whose published fields an id with no definition is given (any pair of languages). */
const FALLBACK = "@cf/meta/m2m100-1.2b";

const cache = new WeakMap<TranslateModelSpec, readonly WireOption[]>();

/**
 * The config options a translation model takes, with their wire names: the
 * fields its published definition has (M2M100's for an id with none).
 */
export function translateOptions(spec: TranslateModelSpec): readonly WireOption[] {
  let options = cache.get(spec);
  if (options) return options;
  const id = publishedModel(spec.id) ? spec.id : FALLBACK;
  options = publishedOptions(id, NAMES);
  cache.set(spec, options);
  return options;
}
