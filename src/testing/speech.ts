/**
 * The text-to-speech task: the models of the plugin's speech catalog with
 * their real request schemas (MeloTTS `{ prompt, lang }`; Aura `{ text,
 * speaker, encoding, container, sample_rate, bit_rate }`, each with its own
 * voices), unknown fields refused with 5006, and their answer forms: MeloTTS
 * a JSON `{ audio }` of base64 WAV (documented as MP3, reported to be WAV),
 * Aura the binary file, labelled `audio/mpeg` as its schema declares
 * whatever the encoding. The audio is a short tone carrying the text spoken.
 *
 * @module
 */

import { publishedModel } from "../definitions/mod.ts";
import { aac, flac, mp3, oggOpus, sampleBytes, type SampleFormat, tone, wav } from "./audio.ts";
import { badInput, noSuchModel } from "./errors.ts";
import { modelObject, publishedAs, publishedIdsOf, type SearchTask } from "./model_object.ts";
import type { EmulatorTask, TaskAnswer, TaskContext } from "./task_contract.ts";
import { isObject, typeName } from "./util.ts";
import { jsonInput, refuseExtraKeys } from "./validate.ts";

const SEARCH_TASK: SearchTask = {
  name: "Text-to-Speech",
  description: "Text-to-Speech (TTS) is the task of generating natural sounding speech given " +
    "text input. TTS models can be extended to have a single model that generates speech for " +
    "multiple speakers and multiple languages.",
};

/** MeloTTS's sample rate. */
const MELO_RATE = 44100;

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function stringField(body: Record<string, unknown>, key: string, required: boolean): void {
  const v = body[key];
  if (v === undefined) {
    if (required) throw badInput(`required properties at '/' are '${key}'`);
    return;
  }
  if (typeof v !== "string") {
    throw badInput(`Type mismatch of '/${key}', '${typeName(v)}' not in 'string'`);
  }
  if (v.length < 1) throw badInput(`String at '/${key}' is shorter than minLength 1`);
}

function meloResult(body: Record<string, unknown>): unknown {
  refuseExtraKeys(body, ["prompt", "lang"]);
  stringField(body, "prompt", true);
  stringField(body, "lang", false);
  return { audio: base64(wav(tone(MELO_RATE), MELO_RATE, "linear16", body.prompt as string)) };
}

/** Deepgram's containers, sample rates and bit rates per encoding (its TTS output settings). */
const COMBINATIONS: Readonly<
  Record<string, { containers: string[]; rates: number[]; bits?: [number, number] }>
> = {
  linear16: { containers: ["wav", "none"], rates: [8000, 16000, 24000, 32000, 48000] },
  mulaw: { containers: ["wav", "none"], rates: [8000, 16000] },
  alaw: { containers: ["wav", "none"], rates: [8000, 16000] },
  mp3: { containers: [], rates: [], bits: [32000, 48000] },
  opus: { containers: ["ogg"], rates: [], bits: [4000, 650000] },
  flac: { containers: [], rates: [8000, 16000, 22050, 32000, 48000] },
  aac: { containers: [], rates: [], bits: [4000, 192000] },
};

function auraAudio(body: Record<string, unknown>): Uint8Array {
  // Its fields, types and enums (speaker, encoding, container) the published schema has judged.
  stringField(body, "text", true);
  const text = body.text as string;
  const encoding = (body.encoding as string | undefined) ?? "mp3";
  const combo = COMBINATIONS[encoding];
  const container = body.container as string | undefined;
  const rate = body.sample_rate as number | undefined;
  const bits = body.bit_rate as number | undefined;
  const badCombination = (container !== undefined && !combo.containers.includes(container)) ||
    (rate !== undefined && !combo.rates.includes(rate)) ||
    (bits !== undefined &&
      (!combo.bits ||
        (encoding === "mp3"
          ? !combo.bits.includes(bits)
          : bits < combo.bits[0] || bits > combo.bits[1])));
  if (badCombination) {
    // What the upstream answers is not documented; a 5006 naming the combination is assumed.
    throw badInput(`unsupported audio format combination for encoding '${encoding}'`);
  }
  switch (encoding) {
    case "mp3":
      return mp3(text);
    case "aac":
      return aac(text);
    case "opus":
      return oggOpus(text);
    case "flac": {
      const r = rate ?? 48000;
      return flac(tone(r), r, text);
    }
    default: {
      const format = encoding as SampleFormat;
      const r = rate ?? (format === "linear16" ? 24000 : 8000);
      return container === "none" ? sampleBytes(tone(r), format) : wav(tone(r), r, format, text);
    }
  }
}

/** The text-to-speech task. */
export const speechTask: EmulatorTask = {
  name: "speech",
  handles: (model, op) => op === "run" && publishedAs(model, SEARCH_TASK),
  answer(ctx: TaskContext): TaskAnswer {
    const facts = publishedModel(ctx.model);
    if (facts?.task !== SEARCH_TASK.name) throw noSuchModel(ctx.model);
    const body = jsonInput(ctx.body);
    if (!isObject(body)) {
      throw badInput(`Type mismatch of '/', '${typeName(body)}' not in 'object'`);
    }
    // Deepgram's Aura models (published as partner models) answer audio bytes; MeloTTS answers JSON.
    if (!facts.partner) return { result: meloResult(body) };
    return { bytes: auraAudio(body), contentType: "audio/mpeg" };
  },
  models: () =>
    publishedIdsOf(SEARCH_TASK).map((id) => {
      const facts = publishedModel(id);
      return modelObject(id, SEARCH_TASK, `${id}: text-to-speech served by Workers AI.`, [
        ...(facts?.partner ? [["partner", "true"]] as [string, string][] : []),
        ...(facts?.realtime ? [["realtime", "true"]] as [string, string][] : []),
      ]);
    }),
};
