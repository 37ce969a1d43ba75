/**
 * Image-to-text config and answers: each model's option table, made from the
 * parameters its published definition has (LLaVA's sampling fields,
 * Moondream's task, caption length, reasoning switch and object limit, with
 * their published ranges and defaults), and the points and boxes Moondream's
 * `point` and `detect` tasks answer.
 *
 * @module
 */
import { SAMPLING } from "../text/derive.ts";
import { publishedModel } from "../definitions/mod.ts";
import { type OptionName, publishedOptions, type WireOption } from "../wire_options.ts";
import type { CaptionModelSpec } from "./catalog.ts";

/**
 * Config of Workers AI image-to-text models. Each model's schema (and the
 * Developer UI form) holds only the options its published definition has,
 * with their published ranges; any other key is refused before any request.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { type CaptionConfig, cloudflareAI } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const config: CaptionConfig = { maxOutputTokens: 100, temperature: 0.2 };
 * const { text } = await ai.generate({
 *   model: cloudflareAI.model("@cf/llava-hf/llava-1.5-7b-hf", config),
 *   prompt: [{ text: "What is on the table?" }, { media: { url: "https://example.com/t.jpg" } }],
 * });
 * // Moondream: a short caption when the prompt has no question.
 * const moondream = cloudflareAI.model("@cf/moondream/moondream3.1-9B-A2B", {
 *   captionLength: "short",
 * });
 * ```
 */
export interface CaptionConfig {
  /** Most tokens to generate (`max_tokens`): LLaVA defaults to 512; Moondream takes 1 to 28672, default 8192. */
  maxOutputTokens?: number;
  /** Sampling temperature: Moondream takes 0 to 2 (default 0.2). */
  temperature?: number;
  /** Nucleus sampling (`top_p`): Moondream takes 0 to 1 (default 0.9). */
  topP?: number;
  /** Top-k sampling (`top_k`), LLaVA only. */
  topK?: number;
  /** Random seed for reproducible sampling, LLaVA only. */
  seed?: number;
  /** Penalty for repeated tokens (`repetition_penalty`), LLaVA only. */
  repetitionPenalty?: number;
  /** Penalty growing with a token's frequency (`frequency_penalty`), LLaVA only. */
  frequencyPenalty?: number;
  /** Penalty for tokens that appeared at all (`presence_penalty`), LLaVA only. */
  presencePenalty?: number;
  /** Send the prompt without the chat template, LLaVA only. */
  raw?: boolean;
  /**
   * Moondream only: its task. `query` answers the prompt's question,
   * `caption` describes the image (the prompt has no text), `point` and
   * `detect` locate what the prompt's text names (Moondream's default
   * target, `person`, when it has none): points or boxes, as the answer's
   * data part. Without it, a prompt with text is a `query`, one without a
   * `caption`.
   */
  task?: "query" | "caption" | "point" | "detect";
  /** Moondream only, for a caption: its length (`caption_length`, default normal). */
  captionLength?: "short" | "normal" | "long";
  /** Moondream only, with a question: whether it reasons first (default true). */
  reasoning?: boolean;
  /** Moondream only, for `point` and `detect`: the most objects to find (`max_objects`, 1 to 500, default 150). */
  maxObjects?: number;
}

/**
 * One point Moondream's `point` task found: the data part of the answer (and
 * so `response.output`) is an array of these. Coordinates are fractions of
 * the image's width and height, from its top-left corner, as Moondream gives
 * them.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type LocatedPoint } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const response = await ai.generate({
 *   model: cloudflareAI.model("@cf/moondream/moondream3.1-9B-A2B", { task: "point" }),
 *   prompt: [{ text: "cat" }, { media: { url: "https://example.com/cats.jpg" } }],
 * });
 * const points = response.output as LocatedPoint[];
 * console.log(response.text, points[0]); // "2 × cat", { label: "cat", x: 0.31, y: 0.62 }
 * ```
 */
export interface LocatedPoint {
  /** What was looked for: the prompt's text, or Moondream's default target. */
  label: string;
  /** Across the image, from 0 (left) to 1 (right). */
  x: number;
  /** Down the image, from 0 (top) to 1 (bottom). */
  y: number;
}

/**
 * One object Moondream's `detect` task found: the data part of the answer
 * (and so `response.output`) is an array of these. The box's corners are
 * fractions of the image's width and height, as Moondream gives them (DETR's
 * `DetectedObject` boxes are in pixels, with a score).
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type LocatedObject } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const response = await ai.generate({
 *   model: cloudflareAI.model("@cf/moondream/moondream3.1-9B-A2B", { task: "detect" }),
 *   prompt: [{ text: "bicycle" }, { media: { url: "https://example.com/street.jpg" } }],
 * });
 * const [first] = response.output as LocatedObject[];
 * console.log(response.text, first?.box); // "1 × bicycle", { xmin, ymin, xmax, ymax }
 * ```
 */
export interface LocatedObject {
  /** What was looked for: the prompt's text, or Moondream's default target. */
  label: string;
  /** Where it is: the top-left and bottom-right corners, as fractions of the image's size. */
  box: { xmin: number; ymin: number; xmax: number; ymax: number };
}

/** The published parameters image-to-text models take, by config key. */
const NAMES: readonly OptionName[] = [
  { key: "task", wire: "task", description: "query, caption, point or detect." },
  // The sampling parameters, named as for text models.
  ...SAMPLING,
  { key: "raw", wire: "raw", description: "Send the prompt without the chat template." },
  {
    key: "captionLength",
    wire: "caption_length",
    description: "For a caption (a prompt without text): its length.",
  },
  {
    key: "reasoning",
    wire: "reasoning",
    description: "With a question in the prompt: reason before answering.",
  },
  {
    key: "maxObjects",
    wire: "max_objects",
    description: "For the point and detect tasks: the most objects to find.",
  },
];

/** The models whose published fields an id with no definition is given, by wire format. */
const FALLBACK = {
  llava: "@cf/llava-hf/llava-1.5-7b-hf",
  moondream: "@cf/moondream/moondream3.1-9B-A2B",
} as const;

const tables = new WeakMap<CaptionModelSpec, readonly WireOption[]>();

/**
 * The config options an image-to-text model takes, with their wire names:
 * the fields its published definition has (those of its wire format's
 * catalog model for an id with none).
 */
export function captionOptions(spec: CaptionModelSpec): readonly WireOption[] {
  let table = tables.get(spec);
  if (!table) {
    table = publishedOptions(publishedModel(spec.id) ? spec.id : FALLBACK[spec.wire], NAMES);
    tables.set(spec, table);
  }
  return table;
}

/** The target Moondream looks for when the prompt names none (its published default). */
export function defaultTarget(spec: CaptionModelSpec): string {
  const target = publishedModel(spec.id)?.params.target?.default;
  return typeof target === "string" ? target : "person";
}
