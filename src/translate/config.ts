/**
 * Translation config: the source and target languages, their schema per
 * model (IndicTrans2 lists its targets and takes no source), and the checks
 * that run before any request.
 *
 * @module
 */
import type { WireOption } from "../wire_options.ts";
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

const cache = new WeakMap<TranslateModelSpec, readonly WireOption[]>();

/** The config options a translation model takes, with their wire names. */
export function translateOptions(spec: TranslateModelSpec): readonly WireOption[] {
  let options = cache.get(spec);
  if (options) return options;
  const target: WireOption = spec.targets
    ? {
      key: "targetLang",
      wire: spec.wire === "indictrans2" ? "target_language" : "target_lang",
      kind: "enum",
      values: spec.targets,
      description: "The language to translate into (one of the model's codes).",
    }
    : {
      key: "targetLang",
      wire: "target_lang",
      kind: "string",
      description: "The language to translate into, e.g. fr.",
    };
  options = spec.sourceLang
    ? [{
      key: "sourceLang",
      wire: "source_lang",
      kind: "string",
      description: "The language of the prompt, e.g. de (default en).",
    }, target]
    : [target];
  cache.set(spec, options);
  return options;
}
