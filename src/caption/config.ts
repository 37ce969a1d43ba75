/**
 * Image-to-text config: the sampling options each model takes (LLaVA's and
 * Moondream's differ in names and ranges), and Moondream's caption length
 * and reasoning switch.
 *
 * @module
 */
import type { WireOption } from "../wire_options.ts";
import type { CaptionModelSpec } from "./catalog.ts";

/**
 * Config of Workers AI image-to-text models. Each model's schema (and the
 * Developer UI form) holds only the options it takes; any other key is
 * refused before any request.
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
  /** Most tokens to generate (`max_tokens`): LLaVA defaults to 512, Moondream to 768 (at most 2048). */
  maxOutputTokens?: number;
  /** Sampling temperature: at least 0 on LLaVA, 0 to 2 on Moondream. */
  temperature?: number;
  /** Nucleus sampling (`top_p`), 0 to 1. */
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
  /** Moondream only, for a prompt without a question: the caption's length (`caption_length`). */
  captionLength?: "short" | "normal" | "long";
  /** Moondream only, with a question: whether it reasons first (default true). */
  reasoning?: boolean;
}

const num = (key: string, wire: string, description: string, min?: number, max?: number) =>
  ({ key, wire, kind: "number", min, max, description }) as WireOption;
const int = (key: string, wire: string, description: string, min?: number, max?: number) =>
  ({ key, wire, kind: "int", min, max, description }) as WireOption;

// LLaVA's schema gives types and no ranges: only the bounds any sampler has are checked.
const LLAVA: readonly WireOption[] = [
  int("maxOutputTokens", "max_tokens", "Most tokens to generate (default 512).", 1),
  num("temperature", "temperature", "Sampling temperature; higher is more random.", 0),
  num("topP", "top_p", "Nucleus sampling: the probability mass to sample from.", 0, 1),
  int("topK", "top_k", "Sample from the k most likely tokens.", 1),
  int("seed", "seed", "Random seed for reproducible sampling.", 0),
  num("repetitionPenalty", "repetition_penalty", "Penalty for repeated tokens."),
  num("frequencyPenalty", "frequency_penalty", "Penalty growing with a token's frequency."),
  num("presencePenalty", "presence_penalty", "Penalty for tokens that appeared at all."),
  {
    key: "raw",
    wire: "raw",
    kind: "boolean",
    description: "Send the prompt without the chat template.",
  },
];

const MOONDREAM: readonly WireOption[] = [
  int("maxOutputTokens", "max_tokens", "Most tokens to generate (default 768).", 1, 2048),
  num("temperature", "temperature", "Sampling temperature (default 0.5).", 0, 2),
  num("topP", "top_p", "Nucleus sampling (default 0.9).", 0, 1),
  {
    key: "captionLength",
    wire: "caption_length",
    kind: "enum",
    values: ["short", "normal", "long"],
    description: "Without a question in the prompt: the caption's length (default normal).",
  },
  {
    key: "reasoning",
    wire: "reasoning",
    kind: "boolean",
    description: "With a question in the prompt: reason before answering (default true).",
  },
];

/** The config options an image-to-text model takes, with their wire names. */
export function captionOptions(spec: CaptionModelSpec): readonly WireOption[] {
  return spec.wire === "moondream" ? MOONDREAM : LLAVA;
}
