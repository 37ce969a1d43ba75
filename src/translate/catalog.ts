/**
 * The translation models this plugin knows, with their wire formats and the
 * languages they take.
 *
 * @module
 */
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

/** IndicTrans2's `target_language` enum (its schema; it translates from English). */
const INDIC_TARGETS: readonly string[] = [
  "asm_Beng",
  "awa_Deva",
  "ben_Beng",
  "bho_Deva",
  "brx_Deva",
  "doi_Deva",
  "eng_Latn",
  "gom_Deva",
  "gon_Deva",
  "guj_Gujr",
  "hin_Deva",
  "hne_Deva",
  "kan_Knda",
  "kas_Arab",
  "kas_Deva",
  "kha_Latn",
  "lus_Latn",
  "mag_Deva",
  "mai_Deva",
  "mal_Mlym",
  "mar_Deva",
  "mni_Beng",
  "mni_Mtei",
  "npi_Deva",
  "ory_Orya",
  "pan_Guru",
  "san_Deva",
  "sat_Olck",
  "snd_Arab",
  "snd_Deva",
  "tam_Taml",
  "tel_Telu",
  "urd_Arab",
  "unr_Deva",
];

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
  { id: "@cf/meta/m2m100-1.2b", label: "M2M100 1.2B", wire: "m2m100", sourceLang: true },
  {
    id: "@cf/ai4bharat/indictrans2-en-indic-1B",
    label: "IndicTrans2 EN-Indic 1B",
    wire: "indictrans2",
    targets: INDIC_TARGETS,
    sourceLang: false,
  },
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
  return TRANSLATION_BY_ID.get(id) ??
    { id, label: workersLabel(id), wire: "m2m100", sourceLang: true };
}
