/**
 * Image-generation config: the camelCase keys Genkit callers set, each
 * model's schema (only the keys it takes, from its option table: published
 * names, types and ranges), and the checks that run before any request.
 *
 * @module
 */
import type { z } from "genkit";
import { invalidArgument as invalid } from "../errors.ts";
import type { ZodSchema } from "../refs.ts";
import { configObject, optionsSchema, type WireOption, wireValues } from "../wire_options.ts";
import { IMAGE_MODELS, type ImageSpec } from "./catalog.ts";

/** Most images one generate call asks for (that many requests in parallel). */
export const MAX_IMAGES_PER_CALL = 4;

/** `numberOfImages`: the plugin's own key (that many requests), never sent. */
const NUMBER_OF_IMAGES: WireOption = {
  key: "numberOfImages",
  wire: "numberOfImages",
  kind: "int",
  min: 1,
  max: MAX_IMAGES_PER_CALL,
  description:
    `Images to generate, each its own request in parallel (1 to ${MAX_IMAGES_PER_CALL}).`,
};

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

/** Every key some model takes, with its type only (each model's schema has its ranges). */
function everyKey(): WireOption[] {
  const seen = new Map<string, WireOption>();
  for (const spec of IMAGE_MODELS as readonly ImageSpec[]) {
    for (const o of spec.options) {
      if (seen.has(o.key)) continue;
      const { min: _min, max: _max, default: _default, ...typed } = o;
      seen.set(o.key, typed);
    }
  }
  return [...seen.values(), NUMBER_OF_IMAGES];
}

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
export const ImageConfigSchema: ZodSchema = optionsSchema(everyKey());

const schemaCache = new WeakMap<ImageSpec, z.ZodTypeAny>();

/** The config schema shown for one model: only the keys it takes, with its ranges. */
export function imageConfigSchemaFor(spec: ImageSpec): z.ZodTypeAny {
  let schema = schemaCache.get(spec);
  if (!schema) {
    schema = optionsSchema([...spec.options, NUMBER_OF_IMAGES]);
    schemaCache.set(spec, schema);
  }
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

/** The image config keys of the vocabulary (those a model may publish). */
const VOCABULARY = ["width", "height", "steps", "guidance", "seed", "strength", "negativePrompt"];

function takesOnly(spec: ImageSpec): string {
  return `it takes only ${[...spec.options, NUMBER_OF_IMAGES].map((o) => o.key).join(", ")}`;
}

/** Another catalog model that takes `key`, as the alternative to name. */
function alternative(spec: ImageSpec, key: string): string {
  const other = (IMAGE_MODELS as readonly ImageSpec[]).find((m) =>
    m.id !== spec.id && m.options.some((o) => o.key === key)
  );
  return other ? `; ${other.id} takes it` : "";
}

/** Why a model does not take a key of the vocabulary. */
function whyNot(spec: ImageSpec, key: string): string {
  if ((key === "width" || key === "height") && spec.id.endsWith("/flux-1-schnell")) {
    // Observed: flux-1-schnell answers 5006 "Additional or unevaluated properties '/width, /height'".
    return "its published schema has no width or height (Cloudflare refuses them with 5006); " +
      takesOnly(spec) + alternative(spec, key);
  }
  if (key === "steps" && spec.request === "multipart") {
    return "it is a distilled model whose steps are fixed at 4 and cannot be set";
  }
  if (key === "strength" && spec.maxImages === 0) {
    return "it takes no source image, and strength applies to image-to-image only; " +
      takesOnly(spec) + alternative(spec, key);
  }
  return `its published schema has no field for it; ${takesOnly(spec)}${alternative(spec, key)}`;
}

/** The reasons for every key a model does not take that a caller may set. */
function notesFor(spec: ImageSpec): Record<string, string> {
  const notes: Record<string, string> = {};
  for (const key of VOCABULARY) {
    if (!spec.options.some((o) => o.key === key)) notes[key] = whyNot(spec, key);
  }
  for (const [key, instead] of INSTEAD) notes[key] = `use ${instead} instead`;
  for (const key of Object.keys(notes)) {
    // A key that is also an option of this model is taken, not refused.
    if (spec.options.some((o) => o.key === key)) delete notes[key];
  }
  return notes;
}

/**
 * Checks a request's config against the model's option table (Genkit does
 * not validate config) and returns it typed: a key the model does not take,
 * or a value out of its range, is refused with `INVALID_ARGUMENT` naming
 * the model.
 */
export function validateImageConfig(spec: ImageSpec, config: unknown): ImageConfig {
  const { numberOfImages, ...rest } = configObject(spec.id, config);
  wireValues(spec.id, spec.options, rest, notesFor(spec));
  if (numberOfImages !== undefined) {
    wireValues(spec.id, [NUMBER_OF_IMAGES], { numberOfImages });
    const seed = spec.options.find((o) => o.key === "seed");
    const max = seed?.max ?? Number.MAX_SAFE_INTEGER;
    const n = numberOfImages as number;
    if (seed && typeof rest.seed === "number" && rest.seed > max - (n - 1)) {
      throw invalid(
        `config.seed = ${rest.seed} with numberOfImages ${n} is out of range for ${spec.id}: ` +
          `image i is made with seed + i, and seeds go up to ${max}.`,
      );
    }
  }
  return { ...rest, ...(numberOfImages === undefined ? {} : { numberOfImages }) } as ImageConfig;
}
