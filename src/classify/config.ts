/**
 * Classification config and answers: the models take no options; their
 * answers are labels with scores, best first.
 *
 * @module
 */
import type { WireOption } from "../wire_options.ts";

/**
 * Config of Workers AI classification models: they take no options, so any
 * key is refused before any request.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type ClassifyConfig } from "@x/cloudflare-ai";
 *
 * const none: ClassifyConfig = {};
 * const resnet = cloudflareAI.model("@cf/microsoft/resnet-50", none);
 * ```
 */
export type ClassifyConfig = Record<string, never>;

/**
 * One label of a classification answer: the data part of the answer (and so
 * `response.output`) is an array of these, best first.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { type Classification, cloudflareAI } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const response = await ai.generate({
 *   model: cloudflareAI.model("@cf/huggingface/distilbert-sst-2-int8"),
 *   prompt: "What a wonderful day!",
 * });
 * const [best] = response.output as Classification[];
 * console.log(response.text, best.score); // "POSITIVE", 0.99…
 * ```
 */
export interface Classification {
  /** The label, e.g. `"POSITIVE"` or `"tabby cat"`. */
  label: string;
  /** How likely the label is, from 0 to 1. */
  score: number;
}

/**
 * Classification models take no config options: their published input
 * schemas have no field besides the text (DistilBERT) or the image (ResNet-50).
 */
export const CLASSIFY_OPTIONS: readonly WireOption[] = [];
