/**
 * Text-to-speech config: the camelCase keys Genkit callers set, each model's
 * schema (only its own keys: MeloTTS `lang`, Aura's voice and output
 * settings), and the check that turns a request's config into wire values
 * before any request, Deepgram's documented combinations of encoding,
 * container, sample rate and bit rate included.
 *
 * @module
 */
import type { z } from "genkit";
import { invalidArgument as invalid } from "../errors.ts";
import type { ZodSchema } from "../refs.ts";
import { configObject, optionsSchema, type WireOption, wireValues } from "../wire_options.ts";
import { type AURA_ENCODINGS, knownSpeechModel, type SpeechSpec } from "./catalog.ts";

/**
 * Config of the Workers AI text-to-speech models. `lang` is MeloTTS's; the
 * others are the Aura models'. Another model's key is refused with
 * `INVALID_ARGUMENT`, and so is an Aura combination Deepgram does not make.
 *
 * | encoding | container | sampleRate | bitRate |
 * | --- | --- | --- | --- |
 * | mp3 (default) | — | fixed 22050 | 32000, 48000 |
 * | linear16 | wav (default), none | 8000, 16000, 24000 (default), 32000, 48000 | — |
 * | mulaw, alaw | wav (default), none | 8000 (default), 16000 | — |
 * | opus | ogg (default) | fixed 48000 | 4000-650000 |
 * | flac | — | 8000, 16000, 22050, 32000, 48000 | — |
 * | aac | — | fixed 22050 | 4000-192000 |
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type SpeechConfig } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const config: SpeechConfig = { speaker: "luna", encoding: "linear16", container: "wav" };
 * const { media } = await ai.generate({
 *   model: cloudflareAI.model("@cf/deepgram/aura-2-en"),
 *   prompt: "Your order has shipped.",
 *   config,
 * });
 * console.log(media?.contentType); // "audio/wav"; media.url is a data: URL
 * ```
 */
export interface SpeechConfig {
  /** MeloTTS: the language spoken, `en` (default), `es`, `fr`, `zh`, `jp` or `kr`. */
  lang?: "en" | "es" | "fr" | "zh" | "jp" | "kr";
  /** Aura: the voice, one of the model's own (aura-2-en: `luna`, `thalia`, …). */
  speaker?: string;
  /** Aura: the audio encoding; `mp3` when omitted. */
  encoding?: "linear16" | "flac" | "mulaw" | "alaw" | "mp3" | "opus" | "aac";
  /** Aura: the file wrapper: `wav` or `none` (raw samples) for linear16, mulaw and alaw; `ogg` for opus. */
  container?: "none" | "wav" | "ogg";
  /** Aura: samples a second, for linear16, mulaw, alaw and flac (see the table). */
  sampleRate?: number;
  /** Aura: bits a second, for mp3, opus and aac (see the table). */
  bitRate?: number;
  /** Unused by Workers AI (Genkit passes a reference's version along). */
  version?: string;
}

/**
 * Config schema of every Workers AI text-to-speech model; each model's own
 * schema keeps only the keys it takes.
 *
 * @example
 * ```ts
 * import { SpeechConfigSchema } from "@x/cloudflare-ai";
 * SpeechConfigSchema.parse({ speaker: "luna", encoding: "mp3" });
 * ```
 */
export const SpeechConfigSchema: ZodSchema = optionsSchema([
  ...knownSpeechModel("@cf/myshell-ai/melotts")!.options,
  // Any voice in the shared schema: each Aura model's own lists its voices.
  ...knownSpeechModel("@cf/deepgram/aura-2-en")!.options.map((o): WireOption =>
    o.key === "speaker" ? { ...o, kind: "string", values: undefined } : o
  ),
]);

const schemaCache = new WeakMap<SpeechSpec, z.ZodTypeAny>();

/** The config schema shown for one model: only the keys it takes, its voices listed. */
export function speechSchemaFor(spec: SpeechSpec): z.ZodTypeAny {
  let schema = schemaCache.get(spec);
  if (!schema) {
    schema = optionsSchema(spec.options);
    schemaCache.set(spec, schema);
  }
  return schema;
}

type Encoding = (typeof AURA_ENCODINGS)[number];

/** Deepgram's audio format combinations (its TTS media output settings). */
interface Format {
  /** Containers it takes, the default first; none: it takes no container. */
  containers?: readonly string[];
  /** Sample rates it takes, or the one it is fixed at. */
  rates?: readonly number[];
  fixedRate?: number;
  defaultRate?: number;
  /** Bit rates it takes: a list, or a range. */
  bitRates?: readonly number[];
  bitRange?: readonly [number, number];
}

const FORMATS: Readonly<Record<Encoding, Format>> = {
  linear16: {
    containers: ["wav", "none"],
    rates: [8000, 16000, 24000, 32000, 48000],
    defaultRate: 24000,
  },
  mulaw: { containers: ["wav", "none"], rates: [8000, 16000], defaultRate: 8000 },
  alaw: { containers: ["wav", "none"], rates: [8000, 16000], defaultRate: 8000 },
  mp3: { fixedRate: 22050, bitRates: [32000, 48000] },
  opus: { containers: ["ogg"], fixedRate: 48000, bitRange: [4000, 650000] },
  flac: { rates: [8000, 16000, 22050, 32000, 48000], defaultRate: 48000 },
  aac: { fixedRate: 22050, bitRange: [4000, 192000] },
};

/** Refuses an Aura combination of output settings that Deepgram does not make. */
function checkFormat(model: string, wire: Record<string, unknown>): void {
  // Aura's schema declares MP3 output when no encoding is given (Deepgram's own default is wav).
  const encoding = (wire.encoding ?? "mp3") as Encoding;
  const f = FORMATS[encoding];
  const as = wire.encoding === undefined ? "mp3 (the default encoding)" : encoding;
  const container = wire.container as string | undefined;
  if (container !== undefined && !f.containers?.includes(container)) {
    throw invalid(
      `config.container "${container}" does not go with encoding ${as} for ${model}: ` +
        (f.containers ? `it takes ${f.containers.join(" or ")}.` : "it takes no container."),
    );
  }
  const rate = wire.sample_rate as number | undefined;
  if (rate !== undefined && !f.rates?.includes(rate)) {
    throw invalid(
      `config.sampleRate ${rate} does not go with encoding ${as} for ${model}: ` +
        (f.rates ? `it takes ${f.rates.join(", ")}.` : `its rate is fixed at ${f.fixedRate} Hz.`),
    );
  }
  const bits = wire.bit_rate as number | undefined;
  if (bits === undefined) return;
  const ok = f.bitRates
    ? f.bitRates.includes(bits)
    : f.bitRange !== undefined && bits >= f.bitRange[0] && bits <= f.bitRange[1];
  if (!ok) {
    throw invalid(
      `config.bitRate ${bits} does not go with encoding ${as} for ${model}: ` +
        (f.bitRates
          ? `it takes ${f.bitRates.join(" or ")}.`
          : f.bitRange
          ? `it takes ${f.bitRange[0]} to ${f.bitRange[1]}.`
          : "it has no bit rate."),
    );
  }
}

/** Checks a request's config against the model's options and returns their wire values. */
export function speechWireConfig(spec: SpeechSpec, config: unknown): Record<string, unknown> {
  const wire = wireValues(spec.id, spec.options, configObject(spec.id, config));
  if (spec.deepgram) checkFormat(spec.id, wire);
  return wire;
}

/**
 * The media type of headerless samples the settings ask for (`container:
 * "none"`), which no magic number can tell: `audio/L16;rate=<rate>` for
 * linear16, `audio/PCMU` and `audio/PCMA` for mu-law and A-law.
 */
export function rawAudioType(wire: Record<string, unknown>): string | undefined {
  if (wire.container !== "none") return undefined;
  const encoding = wire.encoding as Encoding;
  const rate = (wire.sample_rate as number | undefined) ?? FORMATS[encoding].defaultRate;
  const type = { linear16: "audio/L16", mulaw: "audio/PCMU", alaw: "audio/PCMA" }[
    encoding as "linear16" | "mulaw" | "alaw"
  ];
  return type ? `${type};rate=${rate}` : undefined;
}
