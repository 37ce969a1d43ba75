/**
 * Speech-to-text config: the camelCase keys Genkit callers set, each
 * model's schema (only its own keys, with their ranges), and the check that
 * turns a request's config into wire values before any request.
 *
 * @module
 */
import type { z } from "genkit";
import type { ZodSchema } from "../refs.ts";
import { configObject, optionsSchema, type WireOption, wireValues } from "../wire_options.ts";
import { knownTranscribeModel, TRANSCRIBE_MODELS, type TranscribeSpec } from "./catalog.ts";

/**
 * Config of the Workers AI speech-to-text models. Each key applies to the
 * models named on it; any other model refuses it with `INVALID_ARGUMENT`.
 * whisper and whisper-tiny-en take none. Names, types and enums are the
 * published ones (see the catalog for the few departures and their reasons).
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type TranscribeConfig } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const config: TranscribeConfig = { language: "en", vadFilter: true };
 * const { text, custom } = await ai.generate({
 *   model: cloudflareAI.model("@cf/openai/whisper-large-v3-turbo"),
 *   prompt: [{ media: { url: "https://example.com/talk.mp3", contentType: "audio/mpeg" } }],
 *   config,
 * });
 * console.log(text, (custom as { vtt?: string }).vtt); // the transcript and its WebVTT subtitles
 * ```
 */
export interface TranscribeConfig {
  /** whisper-large-v3-turbo: `transcribe` (default) or `translate` into English. */
  task?: "transcribe" | "translate";
  /**
   * The spoken language. whisper-large-v3-turbo: an ISO 639-1 code (`"en"`,
   * its published default). nova-3: a BCP-47 tag (`"en-US"`) or `"multi"`.
   */
  language?: string;
  /** whisper-large-v3-turbo: drop silence with a voice-activity model first (`vad_filter`). */
  vadFilter?: boolean;
  /**
   * whisper-large-v3-turbo: context for the model (`initial_prompt`). A text
   * part beside the audio is sent as the same field; give one or the other.
   */
  initialPrompt?: string;
  /** whisper-large-v3-turbo: text the transcription must start with. */
  prefix?: string;
  /** whisper-large-v3-turbo: beams of the beam search (`beam_size`). */
  beamSize?: number;
  /** whisper-large-v3-turbo: give each window the previous one's text (`condition_on_previous_text`). */
  conditionOnPreviousText?: boolean;
  /** whisper-large-v3-turbo: treat a window as silence above this (`no_speech_threshold`). */
  noSpeechThreshold?: number;
  /** whisper-large-v3-turbo: treat a window as failed above this ratio (`compression_ratio_threshold`). */
  compressionRatioThreshold?: number;
  /** whisper-large-v3-turbo: treat a window as failed below this (`log_prob_threshold`). */
  logProbThreshold?: number;
  /** whisper-large-v3-turbo: skip long silences where a hallucination is detected (`hallucination_silence_threshold`). */
  hallucinationSilenceThreshold?: number;
  /** nova-3: detect the dominant language (`detect_language`). */
  detectLanguage?: boolean;
  /** nova-3: add punctuation and capitalisation. */
  punctuate?: boolean;
  /** nova-3: format numbers, dates and the like for reading (`smart_format`). */
  smartFormat?: boolean;
  /** nova-3: number the speakers of each word. */
  diarize?: boolean;
  /** nova-3: turn spoken punctuation commands into marks. */
  dictation?: boolean;
  /** nova-3: keep filler words such as "uh" (`filler_words`). */
  fillerWords?: boolean;
  /** nova-3: write spoken measurements as abbreviations. */
  measurements?: boolean;
  /** nova-3: write numbers as digits. */
  numerals?: boolean;
  /** nova-3: split the transcript into paragraphs. */
  paragraphs?: boolean;
  /** nova-3: filter profanity (`profanity_filter`). */
  profanityFilter?: boolean;
  /** nova-3: recognise sentiment. */
  sentiment?: boolean;
  /** nova-3: detect topics. */
  topics?: boolean;
  /** nova-3: segment speech into utterances. */
  utterances?: boolean;
  /** nova-3: detect entities (`detect_entities`). */
  detectEntities?: boolean;
  /** nova-3: transcribe each channel on its own. */
  multichannel?: boolean;
  /** nova-3: opt out of Deepgram's Model Improvement Program (`mip_opt_out`). */
  mipOptOut?: boolean;
  /** nova-3: the subject area of the audio. */
  mode?: "general" | "medical" | "finance";
  /** nova-3: terms to boost; several are sent as repeated `keyterm` options. */
  keyterm?: string | string[];
  /** nova-3: keywords to boost or suppress (`word:intensifier`). */
  keywords?: string | string[];
  /** nova-3: what to redact (`pci`, `pii`, `numbers`, …). */
  redact?: string | string[];
  /** nova-3: terms to replace (`find:replace`). */
  replace?: string | string[];
  /** nova-3: terms to search for. */
  search?: string | string[];
  /**
   * nova-3: the encoding of headerless audio (`linear16`, `flac`, `mulaw`,
   * `amr-nb`, `amr-wb`, `opus`, `speex`, `g729`). nemotron speech: the
   * audio's encoding (`wav`, `flac`, `ogg`, `linear16`).
   */
  encoding?:
    | "linear16"
    | "flac"
    | "mulaw"
    | "amr-nb"
    | "amr-wb"
    | "opus"
    | "speex"
    | "g729"
    | "wav"
    | "ogg";
  /** nova-3 and nemotron speech: the audio's channels. */
  channels?: number;
  /** nemotron speech: samples a second of headerless audio (`sample_rate`). */
  sampleRate?: number;
  /** nova-3: seconds of pause that split utterances (`utt_split`). */
  uttSplit?: number;
  /** nova-3: `key:value` metadata echoed in the answer. */
  extra?: string;
  /** nova-3: a topic to detect (`custom_topic`). */
  customTopic?: string;
  /** nova-3: `strict` (only custom topics) or `extended`. */
  customTopicMode?: "extended" | "strict";
  /** nova-3: an intent to detect (`custom_intent`). */
  customIntent?: string;
  /** nova-3: `strict` (only custom intents) or `extended`. */
  customIntentMode?: "extended" | "strict";
  /** Unused by Workers AI (Genkit passes a reference's version along). */
  version?: string;
}

/**
 * Every model's options, one per key: nova-3's language tag is the wider of
 * the two (BCP-47, which ISO 639-1 codes are too); an enum shared by several
 * models takes every model's values.
 */
function allOptions(): WireOption[] {
  const byKey = new Map<string, WireOption>();
  const models = [
    "@cf/deepgram/nova-3",
    "@cf/openai/whisper-large-v3-turbo",
    "@cf/nvidia/nemotron-speech-streaming-en-0.6b",
  ];
  for (const id of models) {
    for (const o of knownTranscribeModel(id)!.options) {
      const seen = byKey.get(o.key);
      if (!seen) byKey.set(o.key, o);
      else if (seen.kind === "enum" && o.kind === "enum") {
        byKey.set(o.key, { ...seen, values: [...new Set([...seen.values!, ...o.values!])] });
      }
    }
  }
  return [...byKey.values()];
}

const ALL_OPTIONS: readonly WireOption[] = allOptions();

/**
 * Config schema of every Workers AI speech-to-text model; each model's own
 * schema keeps only the keys it takes.
 *
 * @example
 * ```ts
 * import { TranscribeConfigSchema } from "@x/cloudflare-ai";
 * TranscribeConfigSchema.parse({ language: "en", vadFilter: true });
 * ```
 */
export const TranscribeConfigSchema: ZodSchema = optionsSchema(ALL_OPTIONS);

const schemaCache = new WeakMap<TranscribeSpec, z.ZodTypeAny>();

/** The config schema shown for one model: only the keys it takes. */
export function transcribeSchemaFor(spec: TranscribeSpec): z.ZodTypeAny {
  let schema = schemaCache.get(spec);
  if (!schema) {
    schema = optionsSchema(spec.options);
    schemaCache.set(spec, schema);
  }
  return schema;
}

/** Options a realtime session takes and a pre-recorded request does not. */
const REALTIME_ONLY: Readonly<Record<string, string>> = Object.fromEntries(
  ["interimResults", "endpointing", "vadEvents", "utteranceEndMs"].map((k) => [
    k,
    "it applies to realtime WebSocket sessions only, which this plugin does not support yet",
  ]),
);

/** Why a model refuses a key some model takes, with a model that takes it. */
function notesFor(spec: TranscribeSpec): Record<string, string> {
  const takes = spec.options.length === 0
    ? "it takes no config options"
    : `it takes ${spec.options.map((o) => o.key).join(", ")}`;
  const notes: Record<string, string> = {};
  for (const o of ALL_OPTIONS) {
    if (spec.options.some((x) => x.key === o.key)) continue;
    const other = TRANSCRIBE_MODELS.find((m) => m.options.some((x) => x.key === o.key));
    notes[o.key] = `${takes}: its published schema has no ${o.wire} field` +
      (other ? ` (${other.id} takes it)` : "");
  }
  return spec.wire === "deepgram" ? { ...notes, ...REALTIME_ONLY } : notes;
}

/** Checks a request's config against the model's options and returns their wire values. */
export function transcribeWireConfig(
  spec: TranscribeSpec,
  config: unknown,
): Record<string, unknown> {
  return wireValues(spec.id, spec.options, configObject(spec.id, config), notesFor(spec));
}
