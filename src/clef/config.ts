/**
 * Clef config and answers. The models take no config: the one scalar field
 * of their published input, `model`, is the selector the plugin sets from
 * the id, and their questions come from the request's output schema. What
 * comes back besides `response.output` is described by {@link ClefCustom}.
 *
 * @module
 */
import { type OptionName, publishedOptions, type WireOption } from "../wire_options.ts";

/**
 * Config of the Clef decision models: they take none, so any key is refused
 * before any request. The questions are the fields of the request's output
 * schema.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type ClefConfig } from "@x/cloudflare-ai";
 *
 * const none: ClefConfig = {};
 * const clef = cloudflareAI.model("@cf/cloudflare/clef", none);
 * ```
 */
export type ClefConfig = Record<string, never>;

/**
 * The config vocabulary of the family: empty. The published `model` field is
 * not a caller's option (it must name the model behind the id: see
 * `ClefModelSpec.selector`), and `state`, `questions`, `images`, `audio` and
 * `videos` come from the prompt and the output schema.
 */
const CLEF_OPTION_NAMES: readonly OptionName[] = [];

/** The options a Clef model takes, from its published definition (none). */
export function clefOptions(id: string): readonly WireOption[] {
  return publishedOptions(id, CLEF_OPTION_NAMES);
}

/**
 * Cloudflare's answer to one question, as the model gave it: a yes/no
 * question's probability of yes (`noul`); a choice's best option, every
 * option's probability and the model's confidence; a score's expected level
 * (0 is the lowest level, fractional between levels), the levels it was
 * asked with (`legend`, by level number), their probabilities and the
 * confidence.
 *
 * @example
 * ```ts
 * import type { ClefAnswer } from "@x/cloudflare-ai";
 *
 * function certainty(a: ClefAnswer): number {
 *   return a.type === "noul" ? Math.max(a.noul, 1 - a.noul) : a.confidence;
 * }
 * ```
 */
export type ClefAnswer =
  | { type: "noul"; noul: number }
  | { type: "choice"; choice: string; probabilities: Record<string, number>; confidence: number }
  | {
    type: "score";
    score: number;
    legend: Record<string, unknown>;
    probabilities: Record<string, number>;
    confidence: number;
  };

/**
 * What a Clef response carries in `response.custom`: the model Cloudflare
 * says answered, and its answer to each question by the output schema's
 * field name, as Cloudflare sent it (the probabilities and confidences
 * behind `response.output`).
 *
 * @example
 * ```ts
 * import { genkit, z } from "genkit";
 * import { type ClefCustom, cloudflareAI } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const response = await ai.generate({
 *   model: cloudflareAI.model("@cf/cloudflare/clef"),
 *   prompt: "Win a FREE cruise!!! Reply with your bank details.",
 *   output: { schema: z.object({ spam: z.boolean().describe("Is this message spam?") }) },
 * });
 * const { answers } = response.custom as ClefCustom;
 * console.log(response.output?.spam, answers.spam); // true, { type: "noul", noul: 0.97 }
 * ```
 */
export interface ClefCustom {
  /** The model that answered, as Cloudflare names it (e.g. `"clef"`). */
  model?: string;
  /** Each question's answer, by output field name. */
  answers: Record<string, ClefAnswer>;
}
