/**
 * Turn-detection config and answers: the sample type of raw PCM audio (from
 * the published `dtype` enum), and the end-of-turn verdict.
 *
 * @module
 */
import { publishedModel } from "../definitions/mod.ts";
import { type OptionName, publishedOptions, type WireOption } from "../wire_options.ts";
import type { TurnModelSpec } from "./catalog.ts";

/**
 * Config of Workers AI turn-detection models.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type TurnConfig } from "@x/cloudflare-ai";
 *
 * // Raw 32-bit float PCM samples rather than an audio file.
 * const config: TurnConfig = { dtype: "float32" };
 * const smartTurn = cloudflareAI.model("@cf/pipecat-ai/smart-turn-v2", config);
 * ```
 */
export interface TurnConfig {
  /** The sample type of raw PCM audio (`dtype`): `uint8`, `float32` or `float64`. */
  dtype?: "uint8" | "float32" | "float64";
}

/**
 * The verdict of a turn-detection model: the data part of the answer (and so
 * `response.output`); the text part is `complete` or `incomplete`.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type TurnDetection } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const wav = "data:audio/wav;base64,UklGRiQAAABXQVZFZm10IBAAAAABAAEAgD4AAAB9AAACABAAZGF0YQAAAAA=";
 * const response = await ai.generate({
 *   model: cloudflareAI.model("@cf/pipecat-ai/smart-turn-v2"),
 *   prompt: [{ media: { url: wav } }],
 * });
 * const { isComplete, probability } = response.output as TurnDetection;
 * if (isComplete) console.log(`the speaker is done (${probability})`);
 * ```
 */
export interface TurnDetection {
  /** Whether the end of the speaker's turn was detected. */
  isComplete: boolean;
  /** How likely the turn is complete, from 0 to 1. */
  probability: number;
}

/** The published parameters turn-detection models take, by config key. */
const NAMES: readonly OptionName[] = [
  { key: "dtype", wire: "dtype", description: "The sample type of raw PCM audio." },
];

/** The model whose published fields an id with no definition is given. */
const FALLBACK = "@cf/pipecat-ai/smart-turn-v2";

const tables = new WeakMap<TurnModelSpec, readonly WireOption[]>();

/** The options a turn-detection model takes: those its published definition has (Smart Turn's for an id with none). */
export function turnOptions(spec: TurnModelSpec): readonly WireOption[] {
  let table = tables.get(spec);
  if (!table) {
    table = publishedOptions(publishedModel(spec.id) ? spec.id : FALLBACK, NAMES);
    tables.set(spec, table);
  }
  return table;
}
