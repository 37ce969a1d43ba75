/**
 * The text-to-speech models this plugin knows, the field each speaks, and
 * the options of each, voices included: all from each model's published
 * definition (`publishedModel`): names, enums and defaults. What a
 * definition cannot say is written here beside it with its reason and
 * source: that the Aura models take Deepgram's output settings (whose
 * combinations `config.ts` checks), the documented audio type, and MeloTTS's
 * languages.
 *
 * @module
 */
import { publishedModel } from "../definitions/mod.ts";
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";
import { type OptionName, publishedOptions, type WireOption } from "../wire_options.ts";

/**
 * Everything the plugin knows about one text-to-speech model.
 *
 * @example
 * ```ts
 * import { SPEECH_MODELS, type SpeechModelSpec } from "@x/cloudflare-ai/models";
 *
 * // The voices of a model, for a picker.
 * const voices = (spec: SpeechModelSpec) => spec.speakers ?? [];
 * const aura = SPEECH_MODELS.find((m) => m.id === "@cf/deepgram/aura-2-en")!;
 * console.log(voices(aura).length, aura.defaultSpeaker); // 40 "luna"
 * ```
 */
export interface SpeechModelSpec {
  /** Workers AI model id, e.g. `@cf/deepgram/aura-2-en`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /** The input field the text to speak goes in (MeloTTS `prompt`, Aura `text`). */
  textField: "prompt" | "text";
  /** Whether it takes Deepgram's output settings (encoding, container, sample and bit rate). */
  deepgram: boolean;
  /** Its voices (`speaker`), where it has a choice. */
  speakers?: readonly string[];
  /** The voice used when none is given. */
  defaultSpeaker?: string;
  /** The type of its audio as documented (what an unlabelled answer is taken to be). */
  documentedType: string;
  /** Its config keys, with their wire names. */
  options: readonly {
    /** The camelCase config key. */
    key: string;
    /** The name Workers AI takes it under. */
    wire: string;
    /** What it does. */
    description: string;
  }[];
}

/** A spec with the full option descriptors the family validates with. */
export type SpeechSpec = Omit<SpeechModelSpec, "options"> & { options: readonly WireOption[] };

/** Deepgram's output encodings (Aura's published `encoding` enum). */
export const AURA_ENCODINGS = ["linear16", "flac", "mulaw", "alaw", "mp3", "opus", "aac"] as const;

/** The speech config vocabulary: each key with the published name it is sent under. */
const SPEECH_NAMES: readonly OptionName[] = [
  { key: "lang", wire: "lang", description: "The language spoken." },
  { key: "speaker", wire: "speaker", description: "The voice." },
  { key: "encoding", wire: "encoding", description: "The audio encoding (mp3 when omitted)." },
  {
    key: "container",
    wire: "container",
    description: "wav or none for linear16, mulaw and alaw; ogg for opus.",
  },
  {
    key: "sampleRate",
    wire: "sample_rate",
    description: "Samples a second; which rates each encoding takes is checked.",
  },
  {
    key: "bitRate",
    wire: "bit_rate",
    description: "Bits a second, for mp3, opus and aac; checked per encoding.",
  },
];

/**
 * MeloTTS's languages. Its published `lang` is a free string (default `en`);
 * these are the languages of the MeloTTS library (myshell-ai/MeloTTS README:
 * EN, ES, FR, ZH, JP, KR), so a code it cannot speak is refused here rather
 * than answered in English.
 */
const MELO_LANGUAGES = ["en", "es", "fr", "zh", "jp", "kr"];

/** A text-to-speech model: its published definition, with what it cannot say beside it. */
function speechModel(id: string, label: string): SpeechSpec {
  const published = publishedModel(id);
  const options = publishedOptions(id, SPEECH_NAMES).map((o): WireOption =>
    o.key === "lang" && o.kind === "string" ? { ...o, kind: "enum", values: MELO_LANGUAGES } : o
  );
  const speaker = options.find((o) => o.key === "speaker");
  return {
    id,
    label,
    // MeloTTS publishes `prompt`, the Aura models `text`.
    textField: published?.inputFields.includes("prompt") ? "prompt" : "text",
    // Deepgram's output settings: their combinations are Deepgram's, not in the definition.
    deepgram: options.some((o) => o.key === "container"),
    ...(speaker?.values ? { speakers: speaker.values } : {}),
    ...(typeof speaker?.default === "string" ? { defaultSpeaker: speaker.default } : {}),
    // Every published output is audio/mpeg (MeloTTS's also base64 JSON); reported to be WAV
    // at times (cloudflare-docs #25480), so the bytes decide and this is the last resort.
    documentedType: "audio/mpeg",
    options,
  };
}

/**
 * Every Workers AI text-to-speech model this plugin knows.
 *
 * @example
 * ```ts
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { SPEECH_MODELS } from "@x/cloudflare-ai/models";
 *
 * // A reference per Aura model, each with its own default voice.
 * const auras = SPEECH_MODELS.filter((m) => m.deepgram)
 *   .map((m) => cloudflareAI.model(m.id, { speaker: m.defaultSpeaker }));
 * ```
 */
export const SPEECH_MODELS: readonly SpeechModelSpec[] = [
  speechModel("@cf/myshell-ai/melotts", "MeloTTS"),
  speechModel("@cf/deepgram/aura-1", "Deepgram Aura-1"),
  speechModel("@cf/deepgram/aura-2-en", "Deepgram Aura-2 EN"),
  speechModel("@cf/deepgram/aura-2-es", "Deepgram Aura-2 ES"),
];

/**
 * The id of a text-to-speech model of the built-in catalog.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type SpeechModelId } from "@x/cloudflare-ai";
 *
 * const id: SpeechModelId = "@cf/deepgram/aura-2-en";
 * const model = cloudflareAI.model(id, { speaker: "luna" }); // config typed as SpeechConfig
 * ```
 */
export type SpeechModelId =
  | "@cf/myshell-ai/melotts"
  | "@cf/deepgram/aura-1"
  | "@cf/deepgram/aura-2-en"
  | "@cf/deepgram/aura-2-es";

const BY_ID = byId(SPEECH_MODELS as readonly SpeechSpec[]);

/** The catalog entry of a known text-to-speech model, or `undefined`. */
export function knownSpeechModel(id: string): SpeechSpec | undefined {
  return BY_ID.get(id);
}

/**
 * The spec of any id served as text-to-speech: the catalog's entry, or, for
 * a model the catalog does not know, what its published definition says
 * (without one: `{ text }` with no options, what the Aura models take), its
 * audio typed from its bytes.
 */
export function speechSpec(id: string): SpeechSpec {
  return BY_ID.get(id) ?? speechModel(id, workersLabel(id));
}
