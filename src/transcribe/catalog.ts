/**
 * The speech-to-text models this plugin knows, how each takes its audio, and
 * the options of each (from the models' documented input schemas).
 *
 * @module
 */
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";
import type { WireOption } from "../wire_options.ts";

/**
 * How a speech-to-text model takes its audio: `bytes` (the raw file with its
 * content type: whisper, whisper-tiny-en), `base64` (JSON `audio` as base64:
 * whisper-large-v3-turbo), `deepgram` (the raw file, options in the query
 * string over REST and beside `audio: { body, contentType }` over a binding:
 * nova-3), or `realtime` (WebSocket sessions only: refused).
 *
 * @example
 * ```ts
 * import { TRANSCRIBE_MODELS, type TranscribeWire } from "@x/cloudflare-ai/models";
 *
 * const raw: TranscribeWire = "bytes";
 * const ids = TRANSCRIBE_MODELS.filter((m) => m.wire === raw).map((m) => m.id);
 * // ["@cf/openai/whisper", "@cf/openai/whisper-tiny-en"]
 * ```
 */
export type TranscribeWire = "bytes" | "base64" | "deepgram" | "realtime";

/**
 * Everything the plugin knows about one speech-to-text model.
 *
 * @example
 * ```ts
 * import { TRANSCRIBE_MODELS, type TranscribeModelSpec } from "@x/cloudflare-ai/models";
 *
 * // The config keys a model takes.
 * const keys = (spec: TranscribeModelSpec) => spec.options.map((o) => o.key);
 * const turbo = TRANSCRIBE_MODELS.find((m) => m.id === "@cf/openai/whisper-large-v3-turbo")!;
 * console.log(keys(turbo)); // ["task", "language", "vadFilter", ...]
 * ```
 */
export interface TranscribeModelSpec {
  /** Workers AI model id, e.g. `@cf/openai/whisper`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /** How it takes its audio. */
  wire: TranscribeWire;
  /** Its config keys, with their wire names and ranges. */
  options: readonly {
    /** The camelCase config key. */
    key: string;
    /** The name Workers AI takes it under. */
    wire: string;
    /** What it does. */
    description: string;
  }[];
  /** The wire name of the initial prompt, which a text part of the prompt becomes; none: text refused. */
  promptField?: string;
}

/** A spec with the full option descriptors the family validates with. */
export type TranscribeSpec = Omit<TranscribeModelSpec, "options"> & {
  options: readonly WireOption[];
};

const bool = (key: string, wire: string, description: string): WireOption => ({
  key,
  wire,
  kind: "boolean",
  description,
});
const text = (key: string, wire: string, description: string): WireOption => ({
  key,
  wire,
  kind: "string",
  description,
});
const texts = (key: string, wire: string, description: string): WireOption => ({
  key,
  wire,
  kind: "strings",
  description,
});

/** whisper-large-v3-turbo's options (its model schema, and the newer ones of its current types). */
const TURBO_OPTIONS: readonly WireOption[] = [
  {
    key: "task",
    wire: "task",
    kind: "enum",
    values: ["transcribe", "translate"],
    description: "transcribe (default) in the spoken language, or translate into English.",
  },
  {
    key: "language",
    wire: "language",
    kind: "string",
    // Cloudflare's docs ask for an ISO 639-1 code; omitted, the model detects it.
    pattern: { test: /^[a-z]{2,3}$/, means: 'an ISO 639-1 language code such as "en"' },
    description: "The spoken language (ISO 639-1, e.g. en); detected when omitted.",
  },
  // vad_filter was typed a string once and is a boolean now (cloudflare-docs #22927).
  bool("vadFilter", "vad_filter", "Drop silence with a voice-activity model first."),
  text("initialPrompt", "initial_prompt", "Context for the model: names, terms, style."),
  text("prefix", "prefix", "Text the transcription must start with."),
  {
    key: "beamSize",
    wire: "beam_size",
    kind: "int",
    min: 1,
    description: "Beam search width.",
  },
  bool("conditionOnPreviousText", "condition_on_previous_text", "Feed each window the last one."),
  {
    key: "noSpeechThreshold",
    wire: "no_speech_threshold",
    kind: "number",
    min: 0,
    max: 1,
    description: "Treat a segment as silence above this no-speech probability.",
  },
  {
    key: "compressionRatioThreshold",
    wire: "compression_ratio_threshold",
    kind: "number",
    min: 0,
    description: "Retry a segment whose text compresses more than this (repetition).",
  },
  {
    key: "logProbThreshold",
    wire: "log_prob_threshold",
    kind: "number",
    max: 0,
    description: "Retry a segment whose average log probability is below this.",
  },
  {
    key: "hallucinationSilenceThreshold",
    wire: "hallucination_silence_threshold",
    kind: "number",
    min: 0,
    description: "Skip silent stretches longer than this many seconds around hallucinations.",
  },
];

/** nova-3's options: every field of its model schema that a pre-recorded request takes. */
const NOVA_OPTIONS: readonly WireOption[] = [
  {
    key: "language",
    wire: "language",
    kind: "string",
    pattern: {
      test: /^(multi|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$/,
      means: 'a BCP-47 language tag such as "en-US", or "multi"',
    },
    description: "The spoken language (BCP-47, e.g. en-US), or multi; en-US when omitted.",
  },
  bool("detectLanguage", "detect_language", "Detect the dominant language."),
  bool("punctuate", "punctuate", "Add punctuation and capitalisation."),
  bool("smartFormat", "smart_format", "Format numbers, dates and the like for reading."),
  bool("diarize", "diarize", "Number the speakers of each word."),
  bool("dictation", "dictation", "Turn spoken punctuation commands into marks."),
  bool("fillerWords", "filler_words", "Keep filler words (uh, um)."),
  bool("measurements", "measurements", "Write spoken measurements as abbreviations."),
  bool("numerals", "numerals", "Write numbers as digits."),
  bool("paragraphs", "paragraphs", "Split the transcript into paragraphs."),
  bool("profanityFilter", "profanity_filter", "Filter profanity."),
  bool("sentiment", "sentiment", "Recognise sentiment."),
  bool("topics", "topics", "Detect topics."),
  bool("utterances", "utterances", "Segment speech into utterances."),
  bool("detectEntities", "detect_entities", "Detect entities."),
  bool("multichannel", "multichannel", "Transcribe each channel on its own."),
  bool("mipOptOut", "mip_opt_out", "Opt out of Deepgram's Model Improvement Program."),
  {
    key: "mode",
    wire: "mode",
    kind: "enum",
    values: ["general", "medical", "finance"],
    description: "The subject area of the audio.",
  },
  texts("keyterm", "keyterm", "Terms to boost (key term prompting)."),
  texts("keywords", "keywords", "Keywords to boost or suppress (word:intensifier)."),
  texts("redact", "redact", "What to redact: pci, pii, numbers, …"),
  texts("replace", "replace", "Terms to replace (find:replace)."),
  texts("search", "search", "Terms to search for."),
  {
    key: "encoding",
    wire: "encoding",
    kind: "enum",
    values: ["linear16", "flac", "mulaw", "amr-nb", "amr-wb", "opus", "speex", "g729"],
    description: "The encoding of headerless audio.",
  },
  { key: "channels", wire: "channels", kind: "int", min: 1, description: "Channels of the audio." },
  {
    key: "uttSplit",
    wire: "utt_split",
    kind: "number",
    min: 0,
    description: "Seconds of pause that split utterances.",
  },
  text("extra", "extra", "key:value metadata echoed in the answer."),
  text("customTopic", "custom_topic", "A topic to detect."),
  {
    key: "customTopicMode",
    wire: "custom_topic_mode",
    kind: "enum",
    values: ["extended", "strict"],
    description: "strict: only custom topics; extended: the model's too.",
  },
  text("customIntent", "custom_intent", "An intent to detect."),
  {
    key: "customIntentMode",
    wire: "custom_intent_mode",
    kind: "enum",
    values: ["extended", "strict"],
    description: "strict: only custom intents; extended: the model's too.",
  },
];

/**
 * Every Workers AI speech-to-text model this plugin knows, with the options
 * each takes.
 *
 * @example
 * ```ts
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { TRANSCRIBE_MODELS } from "@x/cloudflare-ai/models";
 *
 * // The models that take a text part as their initial prompt.
 * const prompted = TRANSCRIBE_MODELS.filter((m) => m.promptField).map((m) => m.id);
 * const model = cloudflareAI.model("@cf/openai/whisper-large-v3-turbo", { language: "en" });
 * ```
 */
export const TRANSCRIBE_MODELS: readonly TranscribeModelSpec[] = [
  { id: "@cf/openai/whisper", label: "Whisper", wire: "bytes", options: [] },
  // whisper-tiny-en takes what whisper takes (its types are whisper's).
  { id: "@cf/openai/whisper-tiny-en", label: "Whisper Tiny EN", wire: "bytes", options: [] },
  {
    id: "@cf/openai/whisper-large-v3-turbo",
    label: "Whisper Large v3 Turbo",
    wire: "base64",
    options: TURBO_OPTIONS,
    promptField: "initial_prompt",
  },
  { id: "@cf/deepgram/nova-3", label: "Deepgram Nova-3", wire: "deepgram", options: NOVA_OPTIONS },
  {
    id: "@cf/deepgram/flux",
    label: "Deepgram Flux (realtime only)",
    wire: "realtime",
    options: [],
  },
  {
    id: "@cf/nvidia/nemotron-speech-streaming-en-0.6b",
    label: "Nemotron Speech Streaming EN 0.6B (realtime only)",
    wire: "realtime",
    options: [],
  },
];

/**
 * The id of a speech-to-text model of the built-in catalog.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type TranscribeModelId } from "@x/cloudflare-ai";
 *
 * const id: TranscribeModelId = "@cf/deepgram/nova-3";
 * const model = cloudflareAI.model(id, { smartFormat: true }); // config typed as TranscribeConfig
 * ```
 */
export type TranscribeModelId =
  | "@cf/openai/whisper"
  | "@cf/openai/whisper-tiny-en"
  | "@cf/openai/whisper-large-v3-turbo"
  | "@cf/deepgram/nova-3"
  | "@cf/deepgram/flux"
  | "@cf/nvidia/nemotron-speech-streaming-en-0.6b";

const BY_ID = byId(TRANSCRIBE_MODELS as readonly TranscribeSpec[]);

/** The catalog entry of a known speech-to-text model, or `undefined`. */
export function knownTranscribeModel(id: string): TranscribeSpec | undefined {
  return BY_ID.get(id);
}

/**
 * The spec of any id served as speech-to-text: the catalog's entry, or, for
 * a model the catalog does not know, the raw file with no options (what
 * whisper takes), its answer read as whisper's or Deepgram's.
 */
export function transcribeSpec(id: string): TranscribeSpec {
  return BY_ID.get(id) ?? { id, label: workersLabel(id), wire: "bytes", options: [] };
}
