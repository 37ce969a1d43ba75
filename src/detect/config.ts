/**
 * Object-detection config and answers: the models take no options; their
 * answers are labelled boxes, best first.
 *
 * @module
 */
import type { WireOption } from "../wire_options.ts";

/**
 * Config of Workers AI object-detection models: they take no options, so any
 * key is refused before any request.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type DetectConfig } from "@x/cloudflare-ai";
 *
 * const none: DetectConfig = {};
 * const detr = cloudflareAI.model("@cf/facebook/detr-resnet-50", none);
 * ```
 */
export type DetectConfig = Record<string, never>;

/**
 * One object an object-detection model found: the data part of the answer
 * (and so `response.output`) is an array of these, best first.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type DetectedObject } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const response = await ai.generate({
 *   model: cloudflareAI.model("@cf/facebook/detr-resnet-50"),
 *   prompt: [{ media: { url: "https://example.com/street.jpg" } }],
 * });
 * const cars = (response.output as DetectedObject[]).filter((o) => o.label === "car");
 * console.log(response.text, cars[0]?.box); // "2 × car, 1 × person", { xmin, ymin, xmax, ymax }
 * ```
 */
export interface DetectedObject {
  /** The object's class, e.g. `"cat"`. */
  label: string;
  /** How likely the detection is correct, from 0 to 1. */
  score: number;
  /** Where it is, in pixels of the image: the top-left and bottom-right corners. */
  box: { xmin: number; ymin: number; xmax: number; ymax: number };
}

/** Detection models take no config options: DETR's published input has only the image. */
export const DETECT_OPTIONS: readonly WireOption[] = [];
