/**
 * Turn-detection config and answers: the sample type of raw PCM audio, and
 * the end-of-turn verdict.
 *
 * @module
 */
import type { WireOption } from "../wire_options.ts";

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

/** The options a turn-detection model takes. */
export const TURN_OPTIONS: readonly WireOption[] = [{
  key: "dtype",
  wire: "dtype",
  kind: "enum",
  values: ["uint8", "float32", "float64"],
  description: "The sample type of raw PCM audio.",
}];
