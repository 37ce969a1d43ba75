/**
 * The translation task: M2M100 (`{ text, source_lang?, target_lang }` ->
 * `{ translated_text }`) and IndicTrans2 (`{ text, target_language }` ->
 * `{ translations }`), their schemas checked as Workers AI checks them, and
 * a deterministic "translation" that names the languages and keeps the text.
 *
 * @module
 */

import { publishedModel } from "../definitions/mod.ts";
import { badInput, noSuchModel } from "./errors.ts";
import { modelObject, publishedAs, publishedIdsOf, type SearchTask } from "./model_object.ts";
import type { EmulatorTask, TaskAnswer, TaskContext } from "./task_contract.ts";
import { isObject, typeName } from "./util.ts";
import { jsonInput, refuseExtraKeys, stringList } from "./validate.ts";

const SEARCH_TASK: SearchTask = {
  name: "Translation",
  description: "Translation models convert a sequence of text from one language to another.",
};

/** The model search's descriptions and properties (emulator-only data). */
const SEARCH: Readonly<Record<string, { description: string; properties: [string, string][] }>> = {
  "@cf/meta/m2m100-1.2b": {
    description: "A many-to-many multilingual translation model (encoder-decoder).",
    properties: [[
      "languages",
      "english, chinese, french, spanish, arabic, russian, german, japanese, portuguese, hindi",
    ]],
  },
  "@cf/ai4bharat/indictrans2-en-indic-1B": {
    description: "Translation from English into the 22 scheduled Indic languages.",
    properties: [],
  },
};

/** The emulator's translation: the text, tagged with the language pair. */
const translate = (text: string, from: string, to: string) => `(${from}→${to}) ${text}`;

function requireString(body: Record<string, unknown>, key: string, minLength = 0): string {
  const v = body[key];
  if (typeof v !== "string") {
    throw badInput(`Type mismatch of '/${key}', '${typeName(v)}' not in 'string'`);
  }
  if (v.length < minLength) throw badInput(`String at '/${key}' is shorter than minLength 1`);
  return v;
}

function m2m100(body: Record<string, unknown>): unknown {
  refuseExtraKeys(body, ["text", "source_lang", "target_lang"]);
  const missing = ["text", "target_lang"].filter((k) => body[k] === undefined);
  if (missing.length > 0) {
    throw badInput(`required properties at '/' are ${missing.map((k) => `'${k}'`).join(", ")}`);
  }
  const text = requireString(body, "text", 1);
  const to = requireString(body, "target_lang");
  const from = body.source_lang === undefined ? "en" : requireString(body, "source_lang");
  return { translated_text: translate(text, from, to) };
}

function indictrans2(body: Record<string, unknown>): unknown {
  refuseExtraKeys(body, ["text", "target_language"]);
  const missing = ["text", "target_language"].filter((k) => body[k] === undefined);
  if (missing.length > 0) {
    throw badInput(`required properties at '/' are ${missing.map((k) => `'${k}'`).join(", ")}`);
  }
  const texts = stringList(body.text, "/text", Number.MAX_SAFE_INTEGER);
  // Its published enum of target languages has judged the value.
  const to = String(body.target_language);
  return { translations: texts.map((t) => translate(t, "eng_Latn", to)) };
}

/** The translation task. */
export const translateTask: EmulatorTask = {
  name: "translate",
  handles: (model, op) => op === "run" && publishedAs(model, SEARCH_TASK),
  answer(ctx: TaskContext): TaskAnswer {
    const facts = publishedModel(ctx.model);
    if (facts?.task !== SEARCH_TASK.name) throw noSuchModel(ctx.model);
    const body = jsonInput(ctx.body);
    if (!isObject(body)) throw badInput("Type mismatch of '/', not in 'object'");
    // IndicTrans2's published input names one target_language; m2m100's a source and a target.
    const indic = facts.inputFields.includes("target_language");
    return { result: indic ? indictrans2(body) : m2m100(body) };
  },
  models: () =>
    publishedIdsOf(SEARCH_TASK).map((id) => {
      const s = SEARCH[id] ?? { description: `${id}: a translation model.`, properties: [] };
      return modelObject(id, SEARCH_TASK, s.description, s.properties);
    }),
};
