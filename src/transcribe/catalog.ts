/**
 * The speech-to-text models this plugin knows, how each takes its audio, and
 * the options of each: their names, types, enums and defaults from each
 * model's published definition (`publishedModel`). What a definition cannot
 * say is written here beside it, each departure with its reason and source:
 * the wire form (raw bytes, base64 JSON, Deepgram's query string), the
 * options Cloudflare's types publish and its definition lags behind on, and
 * nemotron speech, which has no published definition at all.
 *
 * @module
 */
import { publishedModel } from "../definitions/mod.ts";
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";
import { type OptionName, publishedOptions, type WireOption } from "../wire_options.ts";

/**
 * How a speech-to-text model takes its audio: `bytes` (the raw file with its
 * content type: whisper, whisper-tiny-en), `base64` (JSON `audio` as base64:
 * whisper-large-v3-turbo and nemotron speech), `deepgram` (the raw file,
 * options in the query string over REST and beside `audio: { body,
 * contentType }` over a binding: nova-3), or `realtime` (WebSocket sessions
 * only: refused).
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

/** A config key with the published name it is sent under; its type is the published one. */
const named = (key: string, wire: string, description: string): OptionName => ({
  key,
  wire,
  description,
});

/** whisper-large-v3-turbo's config vocabulary, as published. */
const TURBO_NAMES: readonly OptionName[] = [
  named("task", "task", "transcribe in the spoken language, or translate into English."),
  {
    key: "language",
    wire: "language",
    // Cloudflare's docs ask for an ISO 639-1 code: the form is checked (the schema: any string).
    pattern: { test: /^[a-z]{2,3}$/, means: 'an ISO 639-1 language code such as "en"' },
    description: "The spoken language (ISO 639-1, e.g. en).",
  },
  // vad_filter was typed a string once and is a boolean now (cloudflare-docs #22927).
  named("vadFilter", "vad_filter", "Drop silence with a voice-activity model first."),
  named("initialPrompt", "initial_prompt", "Context for the model: names, terms, style."),
  named("prefix", "prefix", "Text the transcription must start with."),
  // These six are in Cloudflare's types, not in the docs file, which lags them; the snapshot
  // carries them (its source records `augmentedFrom`).
  named("beamSize", "beam_size", "Beams of the beam search: more is slower and may be better."),
  named(
    "conditionOnPreviousText",
    "condition_on_previous_text",
    "Give each window the previous window's text as context.",
  ),
  named("noSpeechThreshold", "no_speech_threshold", "Treat a window as silence above this."),
  named(
    "compressionRatioThreshold",
    "compression_ratio_threshold",
    "Treat a window as failed above this gzip compression ratio.",
  ),
  named("logProbThreshold", "log_prob_threshold", "Treat a window as failed below this."),
  named(
    "hallucinationSilenceThreshold",
    "hallucination_silence_threshold",
    "Skip silences longer than this (seconds) where a hallucination is detected.",
  ),
];

/**
 * turbo's published `task` is any string (default `transcribe`); its types
 * say "Supported tasks are 'translate' or 'transcribe'", so only those two
 * are taken.
 */
function turboTask(o: WireOption): WireOption {
  return o.key === "task" && o.kind === "string"
    ? { ...o, kind: "enum", values: ["transcribe", "translate"] }
    : o;
}

/**
 * nova-3's config vocabulary: every field of its published schema that a
 * pre-recorded request takes. Its realtime fields (interim_results,
 * endpointing, vad_events, utterance_end_ms) are published too, and refused:
 * they apply to WebSocket sessions only (Deepgram's streaming API).
 */
const NOVA_NAMES: readonly OptionName[] = [
  {
    key: "language",
    wire: "language",
    pattern: {
      test: /^(multi|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$/,
      means: 'a BCP-47 language tag such as "en-US", or "multi"',
    },
    description: "The spoken language (BCP-47, e.g. en-US), or multi; en-US when omitted.",
  },
  named("detectLanguage", "detect_language", "Detect the dominant language."),
  named("punctuate", "punctuate", "Add punctuation and capitalisation."),
  named("smartFormat", "smart_format", "Format numbers, dates and the like for reading."),
  named("diarize", "diarize", "Number the speakers of each word."),
  named("dictation", "dictation", "Turn spoken punctuation commands into marks."),
  named("fillerWords", "filler_words", "Keep filler words (uh, um)."),
  named("measurements", "measurements", "Write spoken measurements as abbreviations."),
  named("numerals", "numerals", "Write numbers as digits."),
  named("paragraphs", "paragraphs", "Split the transcript into paragraphs."),
  named("profanityFilter", "profanity_filter", "Filter profanity."),
  named("sentiment", "sentiment", "Recognise sentiment."),
  named("topics", "topics", "Detect topics."),
  named("utterances", "utterances", "Segment speech into utterances."),
  named("detectEntities", "detect_entities", "Detect entities."),
  named("multichannel", "multichannel", "Transcribe each channel on its own."),
  named("mipOptOut", "mip_opt_out", "Opt out of Deepgram's Model Improvement Program."),
  named("mode", "mode", "The subject area of the audio."),
  named("keyterm", "keyterm", "Terms to boost (key term prompting)."),
  named("keywords", "keywords", "Keywords to boost or suppress (word:intensifier)."),
  named("redact", "redact", "What to redact: pci, pii, numbers, …"),
  named("replace", "replace", "Terms to replace (find:replace)."),
  named("search", "search", "Terms to search for."),
  named("encoding", "encoding", "The encoding of headerless audio."),
  named("channels", "channels", "Channels of the audio."),
  named("uttSplit", "utt_split", "Seconds of pause that split utterances."),
  named("extra", "extra", "key:value metadata echoed in the answer."),
  named("customTopic", "custom_topic", "A topic to detect."),
  named(
    "customTopicMode",
    "custom_topic_mode",
    "strict: only custom topics; extended: the model's too.",
  ),
  named("customIntent", "custom_intent", "An intent to detect."),
  named(
    "customIntentMode",
    "custom_intent_mode",
    "strict: only custom intents; extended: the model's too.",
  ),
];

/**
 * nova-3's published `keyterm`, `keywords`, `redact`, `replace` and `search`
 * are single strings; Deepgram's pre-recorded API takes each of them
 * several times (repeated query keys), so one string or several are taken.
 */
const REPEATABLE = new Set(["keyterm", "keywords", "redact", "replace", "search"]);

/**
 * nemotron speech has no published definition: its input is in the
 * `AiModels` types of `@cloudflare/workers-types` 5.20261117.1
 * (`Ai_Cf_Nvidia_Nemotron_Speech_Streaming_En_0_6B_Input`): `{ audio:
 * { body, contentType } }` (a stream, binding only) or `{ audio: base64,
 * encoding?, sample_rate?, channels? }`, answered `{ text?, duration? }`.
 * The base64 form is sent, over REST and a binding alike.
 */
const NEMOTRON_OPTIONS: readonly WireOption[] = [
  {
    key: "encoding",
    wire: "encoding",
    kind: "enum",
    values: ["wav", "flac", "ogg", "linear16"],
    description: "The audio's encoding (linear16: headerless samples).",
  },
  {
    key: "sampleRate",
    wire: "sample_rate",
    kind: "number",
    description: "Samples a second of headerless audio.",
  },
  { key: "channels", wire: "channels", kind: "number", description: "Channels of the audio." },
];

/** The published options of `id` in `names`, each adjusted by `adjust`. */
function published(
  id: string,
  names: readonly OptionName[],
  adjust: (o: WireOption) => WireOption = (o) => o,
): WireOption[] {
  return publishedOptions(id, names).map(adjust);
}

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
  // whisper and whisper-tiny-en publish only `audio` (raw bytes, or a byte array).
  { id: "@cf/openai/whisper", label: "Whisper", wire: "bytes", options: [] },
  { id: "@cf/openai/whisper-tiny-en", label: "Whisper Tiny EN", wire: "bytes", options: [] },
  {
    id: "@cf/openai/whisper-large-v3-turbo",
    label: "Whisper Large v3 Turbo",
    // Its published `audio` is a string: base64.
    wire: "base64",
    options: published("@cf/openai/whisper-large-v3-turbo", TURBO_NAMES, turboTask),
    promptField: "initial_prompt",
  },
  {
    id: "@cf/deepgram/nova-3",
    label: "Deepgram Nova-3",
    wire: "deepgram",
    options: published(
      "@cf/deepgram/nova-3",
      NOVA_NAMES,
      (o) => REPEATABLE.has(o.wire) && o.kind === "string" ? { ...o, kind: "strings" } : o,
    ),
  },
  {
    // Its published input has no audio field, only WebSocket session settings
    // (encoding, sample_rate, eot_threshold, …), and it is published `realtime`.
    id: "@cf/deepgram/flux",
    label: "Deepgram Flux (realtime only)",
    wire: "realtime",
    options: [],
  },
  {
    id: "@cf/nvidia/nemotron-speech-streaming-en-0.6b",
    label: "Nemotron Speech Streaming EN 0.6B",
    wire: "base64",
    options: NEMOTRON_OPTIONS,
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
 * whisper takes), its answer read as whisper's or Deepgram's; refused as
 * realtime-only when its published definition says so and takes no audio.
 */
export function transcribeSpec(id: string): TranscribeSpec {
  const known = BY_ID.get(id);
  if (known) return known;
  const p = publishedModel(id);
  const realtime = p !== undefined && p.realtime && !p.inputFields.includes("audio");
  return { id, label: workersLabel(id), wire: realtime ? "realtime" : "bytes", options: [] };
}
