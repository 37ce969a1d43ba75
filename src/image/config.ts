/**
 * Image-generation config: the camelCase keys Genkit callers set, their
 * schema per model (only the keys a model takes, with its ranges), and the
 * checks that run before any request.
 *
 * @module
 */
import { z } from "genkit";
import { invalidArgument as invalid } from "../errors.ts";
import type { ZodSchema } from "../refs.ts";
import { configObject } from "../wire_options.ts";
import type { ParamRange } from "../text/catalog.ts";
import type { ImageModelSpec, ImageParam } from "./catalog.ts";

/** Most images one generate call asks for (that many requests in parallel). */
export const MAX_IMAGES_PER_CALL = 4;

const DESCRIPTIONS: Readonly<Record<keyof ImageConfigKeys, string>> = {
  width: "Width of the image in pixels.",
  height: "Height of the image in pixels.",
  steps: "Diffusion steps: more can improve quality but take longer.",
  guidance: "How closely the image follows the prompt: higher follows it more closely.",
  seed: "Random seed for reproducible images (with numberOfImages, image i gets seed + i).",
  negativePrompt: "What the image should not contain (negative_prompt).",
  strength: "Image-to-image: how far the result may move from the source image, 0 to 1.",
  numberOfImages:
    `Images to generate, each its own request in parallel (1 to ${MAX_IMAGES_PER_CALL}).`,
};

/** The keys of {@link ImageConfig} that are model parameters. */
interface ImageConfigKeys {
  width?: number;
  height?: number;
  steps?: number;
  guidance?: number;
  seed?: number;
  negativePrompt?: string;
  strength?: number;
  numberOfImages?: number;
}

/**
 * Config of Workers AI image-generation models (camelCase; each key is sent
 * under the model's own wire name). A key the model does not take, or a
 * value outside its documented range, is refused with `INVALID_ARGUMENT`
 * before any request.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type ImageConfig } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const config: ImageConfig = { width: 1024, height: 768, steps: 20, seed: 7, numberOfImages: 2 };
 * const { message } = await ai.generate({
 *   model: cloudflareAI.model("@cf/stabilityai/stable-diffusion-xl-base-1.0"),
 *   prompt: "a lighthouse at dusk, oil painting",
 *   config,
 * });
 * const urls = message!.content.map((part) => part.media!.url); // two data:image/png URLs
 * ```
 */
export interface ImageConfig {
  /** Width in pixels (`width`); not taken by FLUX.1 [schnell]. */
  width?: number;
  /** Height in pixels (`height`); not taken by FLUX.1 [schnell]. */
  height?: number;
  /** Diffusion steps (`steps` or `num_steps`, as the model names it); fixed at 4 on FLUX.2 [klein]. */
  steps?: number;
  /** Guidance scale (`guidance`). */
  guidance?: number;
  /** Random seed (`seed`); with `numberOfImages`, image `i` is made with `seed + i`. */
  seed?: number;
  /** What the image should not contain (`negative_prompt`; Stable Diffusion and Phoenix). */
  negativePrompt?: string;
  /** Image-to-image: how far the result may move from the source image, 0 to 1 (`strength`). */
  strength?: number;
  /**
   * Images to generate: that many requests in parallel, one media part each.
   * @default {1}
   */
  numberOfImages?: number;
  /**
   * Refused: Genkit records a request's config in its traces, so a token put
   * here would be written there. Give the token to `cloudflareAI()` instead.
   */
  apiKey?: never;
  /** Refused when set: Workers AI models have no versions (Genkit passes an undefined one). */
  version?: undefined;
}

const imageConfigSchema = z.object({
  width: z.number().int().describe(DESCRIPTIONS.width).optional(),
  height: z.number().int().describe(DESCRIPTIONS.height).optional(),
  steps: z.number().int().describe(DESCRIPTIONS.steps).optional(),
  guidance: z.number().describe(DESCRIPTIONS.guidance).optional(),
  seed: z.number().int().describe(DESCRIPTIONS.seed).optional(),
  negativePrompt: z.string().min(1).describe(DESCRIPTIONS.negativePrompt).optional(),
  strength: z.number().min(0).max(1).describe(DESCRIPTIONS.strength).optional(),
  numberOfImages: z.number().int().min(1).max(MAX_IMAGES_PER_CALL)
    .describe(DESCRIPTIONS.numberOfImages).optional(),
});

/**
 * Config schema of every Workers AI image model; each model's own schema
 * (shown in the Developer UI) keeps only the keys it takes, with its ranges.
 *
 * @example
 * ```ts
 * import { ImageConfigSchema } from "@x/cloudflare-ai";
 * ImageConfigSchema.parse({ width: 1024, height: 1024, seed: 42 });
 * ```
 */
export const ImageConfigSchema: ZodSchema = imageConfigSchema;

const RANGED: readonly ImageParam[] = ["width", "height", "steps", "guidance", "seed", "strength"];

/** The config keys a model takes. */
function keysOf(spec: ImageModelSpec): (keyof ImageConfigKeys)[] {
  const keys: (keyof ImageConfigKeys)[] = RANGED.filter((p) => spec.params[p] !== undefined);
  if (spec.negativePrompt) keys.push("negativePrompt");
  keys.push("numberOfImages");
  return keys;
}

const schemaCache = new WeakMap<ImageModelSpec, z.ZodTypeAny>();

/** The config schema shown for one model: only the keys it takes, with its ranges. */
export function imageConfigSchemaFor(spec: ImageModelSpec): z.ZodTypeAny {
  let schema = schemaCache.get(spec);
  if (schema) return schema;
  const shape: Record<string, z.ZodTypeAny> = {};
  for (const key of keysOf(spec)) {
    const range = (RANGED as readonly string[]).includes(key)
      ? spec.params[key as ImageParam]
      : undefined;
    if (!range) {
      shape[key] = imageConfigSchema.shape[key];
      continue;
    }
    const n = (range.int ? z.number().int() : z.number()).min(range.min).max(range.max);
    shape[key] = n.describe(DESCRIPTIONS[key]).optional();
  }
  schema = z.object(shape).strict();
  schemaCache.set(spec, schema);
  return schema;
}

/** Keys that are wire names, or fields the plugin builds, with what to use instead. */
const INSTEAD: ReadonlyMap<string, string> = new Map([
  ["num_steps", "config.steps"],
  ["negative_prompt", "config.negativePrompt"],
  ["number_of_images", "config.numberOfImages"],
  ["n", "config.numberOfImages"],
  ["prompt", "the request's prompt text, which is sent as written"],
  ["image", "a media part in the prompt (the source image)"],
  ["image_b64", "a media part in the prompt (the source image)"],
  ["mask", 'a media part with metadata: { type: "mask" }'],
  ["multipart", "the request's prompt and media parts: the plugin builds the form"],
  ...[0, 1, 2, 3].map((i) => [`input_image_${i}`, "media parts in the prompt, in order"] as const),
]);

function takesOnly(spec: ImageModelSpec): string {
  return `it takes only ${keysOf(spec).join(", ")}`;
}

/** Why a model does not take a key it might be expected to take. */
function whyNot(spec: ImageModelSpec, key: string): string {
  if ((key === "width" || key === "height") && spec.id.endsWith("/flux-1-schnell")) {
    // Observed: flux-1-schnell answers 5006 "Additional or unevaluated properties '/width, /height'".
    return "its API has no width or height (Cloudflare refuses them with 5006); " + takesOnly(spec);
  }
  if (key === "steps" && spec.request === "multipart" && spec.params.steps === undefined) {
    return "it is a distilled model whose steps are fixed at 4 and cannot be set";
  }
  if (key === "strength" && spec.maxImages === 0) {
    return "it takes no source image, and strength applies to image-to-image only; " +
      takesOnly(spec);
  }
  return takesOnly(spec);
}

function checkRange(spec: ImageModelSpec, key: string, value: unknown, range: ParamRange): void {
  if (
    typeof value !== "number" || !Number.isFinite(value) || value < range.min ||
    value > range.max || (range.int && !Number.isInteger(value))
  ) {
    throw invalid(
      `config.${key} = ${JSON.stringify(value)} is out of range for ${spec.id}: it must be ${
        range.int ? "a whole number" : "a number"
      } from ${range.min} to ${range.max}.`,
    );
  }
}

/**
 * Checks a request's config against the keys and documented ranges of the
 * model (Genkit does not validate config) and returns it typed.
 */
export function validateImageConfig(spec: ImageModelSpec, config: unknown): ImageConfig {
  const c = configObject(spec.id, config);
  const taken = new Set<string>(keysOf(spec));
  for (const [key, value] of Object.entries(c)) {
    if (value === undefined) continue;
    const instead = INSTEAD.get(key);
    if (instead) {
      throw invalid(`config.${key} is not accepted by ${spec.id}: use ${instead} instead.`);
    }
    if (!taken.has(key)) {
      throw invalid(
        `config.${key} is not supported by ${spec.id}: ${whyNot(spec, key)}. Remove it.`,
      );
    }
  }
  for (const p of RANGED) {
    const range = spec.params[p];
    if (range && c[p] !== undefined) checkRange(spec, p, c[p], range);
  }
  const n = c.numberOfImages;
  if (n !== undefined) {
    checkRange(spec, "numberOfImages", n, { min: 1, max: MAX_IMAGES_PER_CALL, int: true });
    const seed = spec.params.seed;
    if (seed && typeof c.seed === "number" && c.seed > seed.max - ((n as number) - 1)) {
      throw invalid(
        `config.seed = ${c.seed} with numberOfImages ${n} is out of range for ${spec.id}: image ` +
          `i is made with seed + i, and seeds go up to ${seed.max}.`,
      );
    }
  }
  const negative = c.negativePrompt;
  if (negative !== undefined && (typeof negative !== "string" || negative === "")) {
    throw invalid(`config.negativePrompt for ${spec.id} must be a non-empty string.`);
  }
  return c as ImageConfig;
}
