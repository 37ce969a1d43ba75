/**
 * The speech-to-text task: the models of the plugin's transcription catalog
 * with their real request forms (whisper and whisper-tiny-en: raw bytes or
 * `{ audio: number[] }`; whisper-large-v3-turbo: JSON base64 `audio`;
 * nova-3: raw bytes with its options in the query string; nemotron speech:
 * JSON base64 `audio`), refusing unknown
 * fields and wrong forms with 5006 as the service does, and answering with
 * each model's result shape. The transcript of audio the emulator's speech
 * models made is the text it carries; of other audio, a sentence chosen by a
 * hash of its bytes.
 *
 * @module
 */

import { knownTranscribeModel, TRANSCRIBE_MODELS } from "../transcribe/catalog.ts";
import { heardText, spokenText } from "./audio_read.ts";
import { ApiError, badInput, noSuchModel } from "./errors.ts";
import { modelObject, type SearchTask } from "./model_object.ts";
import type { EmulatorTask, TaskAnswer, TaskBody, TaskContext } from "./task_contract.ts";
import { isObject, typeName } from "./util.ts";
import { jsonInput, refuseExtraKeys } from "./validate.ts";

const SEARCH_TASK: SearchTask = {
  name: "Automatic Speech Recognition",
  description: "Automatic speech recognition (ASR) models convert a speech signal, typically " +
    "an audio input, to text.",
};

/** Seconds each transcribed word takes in the emulator's timings. */
const WORD_SECONDS = 0.4;

interface Word {
  word: string;
  start: number;
  end: number;
}

function timed(text: string): Word[] {
  return text.split(/\s+/).filter((w) => w !== "").map((word, i) => ({
    word,
    start: Math.round(i * WORD_SECONDS * 1000) / 1000,
    end: Math.round((i + 1) * WORD_SECONDS * 1000) / 1000,
  }));
}

function clock(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${
    pad(Math.floor(ms / 1000) % 60)
  }.${pad(ms % 1000, 3)}`;
}

/** WebVTT subtitles of timed words, eight words a cue. */
function vtt(words: readonly Word[]): string {
  let out = "WEBVTT\n\n";
  for (let i = 0; i < words.length; i += 8) {
    const cue = words.slice(i, i + 8);
    out += `${clock(cue[0].start)} --> ${clock(cue[cue.length - 1].end)}\n` +
      `${cue.map((w) => w.word).join(" ")}\n\n`;
  }
  return out;
}

/** What the audio "says". */
function transcript(bytes: Uint8Array): string {
  return spokenText(bytes) ?? heardText(bytes);
}

function missingBody(): ApiError {
  return new ApiError(400, 3003, "AiError: Request is missing headers or body: body");
}

/** whisper and whisper-tiny-en: the raw file, or `{ audio: number[] }` of byte values. */
function whisperAudio(body: TaskBody): Uint8Array {
  if (body.kind === "bytes") {
    if (body.bytes.length === 0) throw missingBody();
    return body.bytes;
  }
  if (body.kind === "form") throw badInput("Type mismatch of '/', 'object' not in 'string'");
  const value = body.value;
  if (value === undefined) throw missingBody();
  if (!isObject(value)) {
    throw badInput(`Type mismatch of '/', '${typeName(value)}' not in 'object'`);
  }
  refuseExtraKeys(value, ["audio"]);
  const audio = value.audio;
  if (audio === undefined) throw badInput("required properties at '/' are 'audio'");
  if (!Array.isArray(audio)) {
    // What a base64 string gets (mastra-ai/mastra#3061).
    throw badInput(`Type mismatch of '/audio', '${typeName(audio)}' not in 'array','binary'`);
  }
  const bad = audio.findIndex((b) => !Number.isInteger(b) || b < 0 || b > 255);
  if (bad >= 0) throw badInput(`Value at '/audio/${bad}' is not a byte value from 0 to 255`);
  return Uint8Array.from(audio as number[]);
}

function whisperResult(bytes: Uint8Array): unknown {
  const text = transcript(bytes);
  const words = timed(text);
  return { text, word_count: words.length, words, vtt: vtt(words) };
}

/** whisper-large-v3-turbo's fields and their JSON types (its schema and current types). */
const TURBO_FIELDS: Readonly<Record<string, string>> = {
  audio: "string",
  task: "string",
  language: "string",
  vad_filter: "boolean",
  initial_prompt: "string",
  prefix: "string",
  beam_size: "number",
  condition_on_previous_text: "boolean",
  no_speech_threshold: "number",
  compression_ratio_threshold: "number",
  log_prob_threshold: "number",
  hallucination_silence_threshold: "number",
};

function turboResult(body: TaskBody): unknown {
  const value = jsonInput(body);
  if (!isObject(value)) {
    throw badInput(`Type mismatch of '/', '${typeName(value)}' not in 'object'`);
  }
  refuseExtraKeys(value, Object.keys(TURBO_FIELDS));
  for (const [key, type] of Object.entries(TURBO_FIELDS)) {
    const v = value[key];
    if (v !== undefined && typeof v !== type) {
      throw badInput(`Type mismatch of '/${key}', '${typeName(v)}' not in '${type}'`);
    }
  }
  if (value.audio === undefined) throw badInput("required properties at '/' are 'audio'");
  if (value.task !== undefined && value.task !== "transcribe" && value.task !== "translate") {
    throw badInput("Value at '/task' is not one of the enum values 'transcribe', 'translate'");
  }
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(value.audio as string), (c) => c.charCodeAt(0));
  } catch {
    throw new ApiError(400, 5004, "AiError: Invalid data type for base64 input: string");
  }
  if (bytes.length === 0) throw missingBody();
  let text = transcript(bytes);
  const prefix = value.prefix as string | undefined;
  if (prefix && !text.startsWith(prefix)) text = `${prefix} ${text}`;
  const words = timed(text);
  const duration = words.length === 0 ? 0 : words[words.length - 1].end;
  return {
    transcription_info: {
      language: (value.language as string | undefined) ?? "en",
      language_probability: 0.98,
      duration,
      duration_after_vad: value.vad_filter === true ? Math.round(duration * 900) / 1000 : duration,
    },
    text,
    word_count: words.length,
    segments: [{
      start: 0,
      end: duration,
      text,
      temperature: 0,
      avg_logprob: -0.21,
      compression_ratio: 1.1,
      no_speech_prob: 0.01,
      words,
    }],
    vtt: vtt(words),
  };
}

/**
 * nemotron speech's base64 form (the `AiModels` types of
 * `@cloudflare/workers-types` 5.20261117.1; it has no published definition):
 * `{ audio, encoding?, sample_rate?, channels? }`, answered `{ text, duration }`.
 */
function nemotronResult(body: TaskBody): unknown {
  const value = jsonInput(body);
  if (!isObject(value)) {
    throw badInput(`Type mismatch of '/', '${typeName(value)}' not in 'object'`);
  }
  refuseExtraKeys(value, ["audio", "encoding", "sample_rate", "channels"]);
  if (typeof value.audio !== "string") {
    throw badInput(
      value.audio === undefined
        ? "required properties at '/' are 'audio'"
        : `Type mismatch of '/audio', '${typeName(value.audio)}' not in 'string'`,
    );
  }
  const encodings = ["wav", "flac", "ogg", "linear16"];
  if (value.encoding !== undefined && !encodings.includes(value.encoding as string)) {
    throw badInput(
      "Value at '/encoding' is not one of the enum values 'wav', 'flac', 'ogg', " +
        "'linear16'",
    );
  }
  for (const key of ["sample_rate", "channels"]) {
    if (value[key] !== undefined && typeof value[key] !== "number") {
      throw badInput(`Type mismatch of '/${key}', '${typeName(value[key])}' not in 'number'`);
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(value.audio), (c) => c.charCodeAt(0));
  } catch {
    throw new ApiError(400, 5004, "AiError: Invalid data type for base64 input: string");
  }
  if (bytes.length === 0) throw missingBody();
  const text = transcript(bytes);
  const words = timed(text);
  return { text, duration: words.length === 0 ? 0 : words[words.length - 1].end };
}

/**
 * nova-3's options from the query string. Their names, types and enums the
 * published schema has judged; a value given twice where the schema has a
 * single one (all but the repeatable `keyterm` and `keywords`) is refused here.
 */
function novaOptions(query: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, value] of query) out.set(name, [...(out.get(name) ?? []), value]);
  for (const [name, values] of out) {
    if (values.length > 1 && name !== "keyterm" && name !== "keywords") {
      throw badInput(`Type mismatch of '/${name}', 'array' not in 'string'`);
    }
  }
  return out;
}

function novaResult(body: TaskBody, query: URLSearchParams): unknown {
  if (body.kind !== "bytes") {
    // Over REST nova-3 takes the file itself (its docs' curl), not JSON.
    throw badInput("required properties at '/audio' are 'body', 'contentType'");
  }
  if (body.bytes.length === 0) throw missingBody();
  const options = novaOptions(query);
  const on = (name: string) => options.get(name)?.[0] === "true";
  let text = transcript(body.bytes);
  // Without punctuate or smart_format, Deepgram answers lower case without punctuation.
  if (!on("punctuate") && !on("smart_format")) {
    text = text.toLowerCase().replace(/[.,!?;:]/g, "");
  }
  const words = timed(text).map((w) => ({
    ...w,
    word: w.word.toLowerCase().replace(/[.,!?;:]/g, ""),
    confidence: 0.97,
    ...(on("punctuate") || on("smart_format") ? { punctuated_word: w.word } : {}),
    ...(on("diarize") ? { speaker: 0, speaker_confidence: 0.9 } : {}),
  }));
  const channel: Record<string, unknown> = {
    alternatives: [{ transcript: text, confidence: 0.97, words }],
  };
  if (on("detect_language")) {
    channel.detected_language = "en";
    channel.language_confidence = 0.99;
  }
  return { results: { channels: [channel] } };
}

/** The speech-to-text task. */
export const transcribeTask: EmulatorTask = {
  name: "transcribe",
  handles: (model, op) => op === "run" && knownTranscribeModel(model) !== undefined,
  answer(ctx: TaskContext): TaskAnswer {
    const spec = knownTranscribeModel(ctx.model);
    if (!spec) throw noSuchModel(ctx.model);
    if (spec.id === "@cf/nvidia/nemotron-speech-streaming-en-0.6b") {
      return { result: nemotronResult(ctx.body) };
    }
    switch (spec.wire) {
      case "bytes":
        return { result: whisperResult(whisperAudio(ctx.body)) };
      case "base64":
        return { result: turboResult(ctx.body) };
      case "deepgram":
        return { result: novaResult(ctx.body, ctx.query) };
      default:
        throw badInput(`${spec.id} is served over WebSocket sessions only`);
    }
  },
  models: () =>
    TRANSCRIBE_MODELS.map((m) =>
      modelObject(m.id, SEARCH_TASK, `${m.label}: speech-to-text served by Workers AI.`, [
        ...(m.id.startsWith("@cf/deepgram/") ? [["partner", "true"]] as [string, string][] : []),
        ...(m.id.startsWith("@cf/deepgram/") || m.wire === "realtime"
          ? [["realtime", "true"]] as [string, string][]
          : []),
      ])
    ),
};
