/**
 * The text-to-speech models this plugin knows, the field each speaks, and
 * the options of each (from the models' documented input schemas), voices
 * included.
 *
 * @module
 */
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";
import type { WireOption } from "../wire_options.ts";

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

/** Deepgram's output encodings and containers (Aura's schema). */
export const AURA_ENCODINGS = ["linear16", "flac", "mulaw", "alaw", "mp3", "opus", "aac"] as const;
const AURA_CONTAINERS = ["none", "wav", "ogg"] as const;

function aura(
  id: string,
  label: string,
  speakers: readonly string[],
  defaultSpeaker: string,
): SpeechSpec {
  return {
    id,
    label,
    textField: "text",
    deepgram: true,
    speakers,
    defaultSpeaker,
    documentedType: "audio/mpeg",
    options: [
      // The schema's voice field is `speaker` (a peer sends `voice`, which it does not have).
      {
        key: "speaker",
        wire: "speaker",
        kind: "enum",
        values: speakers,
        description: `The voice (default ${defaultSpeaker}).`,
      },
      {
        key: "encoding",
        wire: "encoding",
        kind: "enum",
        values: AURA_ENCODINGS,
        description: "The audio encoding (default mp3).",
      },
      {
        key: "container",
        wire: "container",
        kind: "enum",
        values: AURA_CONTAINERS,
        description: "wav or none for linear16, mulaw and alaw; ogg for opus.",
      },
      {
        key: "sampleRate",
        wire: "sample_rate",
        kind: "int",
        min: 8000,
        max: 48000,
        description: "Samples a second; which rates each encoding takes is checked.",
      },
      {
        key: "bitRate",
        wire: "bit_rate",
        kind: "int",
        min: 4000,
        max: 650000,
        description: "Bits a second, for mp3, opus and aac; checked per encoding.",
      },
    ],
  };
}

const AURA_1_SPEAKERS = [
  "angus",
  "asteria",
  "arcas",
  "orion",
  "orpheus",
  "athena",
  "luna",
  "zeus",
  "perseus",
  "helios",
  "hera",
  "stella",
];

const AURA_2_EN_SPEAKERS = [
  "amalthea",
  "andromeda",
  "apollo",
  "arcas",
  "aries",
  "asteria",
  "athena",
  "atlas",
  "aurora",
  "callista",
  "cora",
  "cordelia",
  "delia",
  "draco",
  "electra",
  "harmonia",
  "helena",
  "hera",
  "hermes",
  "hyperion",
  "iris",
  "janus",
  "juno",
  "jupiter",
  "luna",
  "mars",
  "minerva",
  "neptune",
  "odysseus",
  "ophelia",
  "orion",
  "orpheus",
  "pandora",
  "phoebe",
  "pluto",
  "saturn",
  "thalia",
  "theia",
  "vesta",
  "zeus",
];

const AURA_2_ES_SPEAKERS = [
  "sirio",
  "nestor",
  "carina",
  "celeste",
  "alvaro",
  "diana",
  "aquila",
  "selena",
  "estrella",
  "javier",
];

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
  {
    id: "@cf/myshell-ai/melotts",
    label: "MeloTTS",
    textField: "prompt",
    deepgram: false,
    // Documented as MP3, reported to answer WAV (cloudflare-docs #25480): the bytes decide.
    documentedType: "audio/mpeg",
    options: [
      {
        key: "lang",
        wire: "lang",
        kind: "enum",
        // The languages of the MeloTTS library (its README); the schema names only en and fr.
        values: ["en", "es", "fr", "zh", "jp", "kr"],
        description: "The language spoken (default en).",
      } satisfies WireOption,
    ],
  },
  aura("@cf/deepgram/aura-1", "Deepgram Aura-1", AURA_1_SPEAKERS, "angus"),
  aura("@cf/deepgram/aura-2-en", "Deepgram Aura-2 EN", AURA_2_EN_SPEAKERS, "luna"),
  aura("@cf/deepgram/aura-2-es", "Deepgram Aura-2 ES", AURA_2_ES_SPEAKERS, "aquila"),
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
 * a model the catalog does not know, `{ text }` with no options (what the
 * Aura models take), its audio typed from its bytes.
 */
export function speechSpec(id: string): SpeechSpec {
  return BY_ID.get(id) ?? {
    id,
    label: workersLabel(id),
    textField: "text",
    deepgram: false,
    documentedType: "audio/mpeg",
    options: [],
  };
}
