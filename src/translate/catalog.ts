/**
 * The translation models this plugin knows: their wire formats (written
 * here) and the languages they take (from their published definitions).
 *
 * @module
 */
import { publishedModel } from "../definitions/mod.ts";
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";

/**
 * Everything the plugin knows about one translation model.
 *
 * @example
 * ```ts
 * import { TRANSLATION_MODELS, type TranslateModelSpec } from "@x/cloudflare-ai/models";
 *
 * // The models that can translate into Hindi.
 * const intoHindi = (m: TranslateModelSpec) => !m.targets || m.targets.includes("hin_Deva");
 * console.log(TRANSLATION_MODELS.filter(intoHindi).map((m) => m.id));
 * ```
 */
export interface TranslateModelSpec {
  /** Workers AI model id, e.g. `@cf/meta/m2m100-1.2b`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /**
   * How it is asked: M2M100's `{ text, source_lang, target_lang }` answered
   * with `translated_text`, or IndicTrans2's `{ text, target_language }`
   * answered with `translations`.
   */
  wire: "m2m100" | "indictrans2";
  /** The target languages its schema lists; `undefined` when it takes any code. */
  targets?: readonly string[];
  /** Whether it takes a source language; otherwise it translates from English only. */
  sourceLang: boolean;
}

/**
 * The id of a translation model of the built-in catalog. A reference made
 * with one of these ids is typed with `TranslateConfig`.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type TranslateModelId } from "@x/cloudflare-ai";
 *
 * const id: TranslateModelId = "@cf/meta/m2m100-1.2b";
 * const model = cloudflareAI.model(id, { targetLang: "fr" }); // config typed as TranslateConfig
 * ```
 */
export type TranslateModelId = "@cf/meta/m2m100-1.2b" | "@cf/ai4bharat/indictrans2-en-indic-1B";

/** The target field of each wire format. */
const TARGET_FIELD = { m2m100: "target_lang", indictrans2: "target_language" } as const;

/**
 * A translation model's spec: its published target languages (the enum of
 * its target field, if it has one) and whether it publishes a source field.
 */
function translator(
  id: string,
  label: string,
  wire: TranslateModelSpec["wire"],
): TranslateModelSpec {
  const params = publishedModel(id)?.params ?? {};
  const targets = params[TARGET_FIELD[wire]]?.enum?.map(String);
  return {
    id,
    label,
    wire,
    ...(targets ? { targets } : {}),
    sourceLang: Object.hasOwn(params, "source_lang"),
  };
}

/**
 * Every active Workers AI translation model.
 *
 * @example
 * ```ts
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { TRANSLATION_MODELS } from "@x/cloudflare-ai/models";
 *
 * // A reference for each, into French where the model takes any language code.
 * const refs = TRANSLATION_MODELS.filter((m) => !m.targets)
 *   .map((m) => cloudflareAI.model(m.id, { targetLang: "fr" }));
 * ```
 */
export const TRANSLATION_MODELS: readonly TranslateModelSpec[] = [
  translator("@cf/meta/m2m100-1.2b", "M2M100 1.2B", "m2m100"),
  translator("@cf/ai4bharat/indictrans2-en-indic-1B", "IndicTrans2 EN-Indic 1B", "indictrans2"),
];

const TRANSLATION_BY_ID = byId(TRANSLATION_MODELS);

/** The catalog entry of a known translation model, or `undefined`. */
export function knownTranslator(id: string): TranslateModelSpec | undefined {
  return TRANSLATION_BY_ID.get(id);
}

/**
 * The spec of any translation id: the catalog entry, or, for a model the
 * catalog does not know, M2M100's wire format (the only documented one that
 * takes any pair of languages).
 */
export function translatorSpec(id: string): TranslateModelSpec {
  const known = TRANSLATION_BY_ID.get(id);
  if (known) return known;
  // A published model with a `target_language` field has IndicTrans2's format.
  const indic = publishedModel(id)?.inputFields.includes("target_language") ?? false;
  if (indic) return translator(id, workersLabel(id), "indictrans2");
  return { id, label: workersLabel(id), wire: "m2m100", sourceLang: true };
}
