/**
 * The translation task family: a text prompt translated with M2M100 or
 * IndicTrans2, the translation back as the answer's text.
 *
 * @module
 */
import { shapeOf } from "../client/answer.ts";
import type { z } from "genkit";
import type { FamilyContext, TaskFamily } from "../task_family.ts";
import { modelFamily, type ModelRunner } from "../model_family.ts";
import { answer, checkConfig, taskModelInfo, taskPrompt, unexpected } from "../task_model.ts";
import { optionsSchema } from "../wire_options.ts";
import {
  knownTranslator,
  type TranslateModelSpec,
  TRANSLATION_MODELS,
  translatorSpec,
} from "./catalog.ts";
import { translateOptions } from "./config.ts";

const info = (spec: TranslateModelSpec) => taskModelInfo(spec.label, false, ["text"]);

const schemas = new WeakMap<TranslateModelSpec, z.ZodTypeAny>();

/** The config schema a model shows: its options, `targetLang` required. */
function schema(spec: TranslateModelSpec): z.ZodTypeAny {
  let s = schemas.get(spec);
  if (!s) {
    s = (optionsSchema(translateOptions(spec)) as z.AnyZodObject).required({ targetLang: true });
    schemas.set(spec, s);
  }
  return s;
}

/** The translation in a model's result. */
function translation(spec: TranslateModelSpec, result: unknown): string {
  const r = (result ?? {}) as { translated_text?: unknown; translations?: unknown };
  if (spec.wire === "indictrans2") {
    const [first] = Array.isArray(r.translations) ? r.translations : [];
    if (typeof first !== "string") {
      throw unexpected(spec.id, `translations of ${shapeOf(r.translations)}`, "one string");
    }
    return first;
  }
  if (typeof r.translated_text !== "string") {
    throw unexpected(spec.id, `translated_text of ${shapeOf(r.translated_text)}`, "a string");
  }
  return r.translated_text;
}

function translatorRunner(spec: TranslateModelSpec, context: FamilyContext): ModelRunner {
  const options = translateOptions(spec);
  return async (request, { call }) => {
    const { wire } = checkConfig(spec.id, options, request.config, {
      required: ["targetLang"],
      // IndicTrans2 (en-indic) has no source-language field: it reads English only.
      notes: spec.sourceLang ? {} : {
        sourceLang: "it translates from English only (use @cf/meta/m2m100-1.2b for other " +
          "source languages)",
      },
    });
    const { text } = taskPrompt(spec.id, request, {
      text: "required",
      takes: "the text to translate",
    });
    const result = await context.client.run(spec.id, { text, ...wire }, call);
    return answer([{ text: translation(spec, result) }]);
  };
}

/** The translation family: every `Translation` model. */
export const translateFamily: TaskFamily<TranslateModelSpec> = modelFamily<TranslateModelSpec>({
  name: "translate",
  noun: "a translation model",
  suggestion: "Use @cf/meta/m2m100-1.2b.",
  tasks: ["Translation"],
  catalog: TRANSLATION_MODELS,
  known: knownTranslator,
  spec: (id) => translatorSpec(id),
  info,
  schema,
  runner: translatorRunner,
});
