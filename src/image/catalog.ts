/**
 * The image-generation models this plugin knows by name: how each one takes
 * its request (JSON or a multipart form), how it answers (binary image bytes
 * or base64 in JSON), which input images it takes, and the documented range
 * of every parameter.
 *
 * Sources: Cloudflare's model JSON schemas (flux-1-schnell, SDXL base and
 * lightning, SD 1.5 img2img and inpainting, dreamshaper-8-lcm, lucid-origin,
 * phoenix-1.0) and the FLUX.2 launch notes (2025-11-25, 2026-01-28), which
 * document the multipart fields.
 *
 * @module
 */
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";
import type { ParamRange } from "../text/catalog.ts";

/**
 * The numeric image parameters whose ranges differ per model (camelCase, as
 * in the config).
 *
 * @example
 * ```ts
 * import { IMAGE_MODELS, type ImageParam } from "@x/cloudflare-ai/models";
 *
 * const schnell = IMAGE_MODELS.find((m) => m.id === "@cf/black-forest-labs/flux-1-schnell")!;
 * const wanted: ImageParam[] = ["width", "height", "steps"];
 * const refused = wanted.filter((p) => !(p in schnell.params)); // ["width", "height"]
 * ```
 */
export type ImageParam = "width" | "height" | "steps" | "guidance" | "seed" | "strength";

/**
 * How a model takes its input images: `none`; `image_b64` (one source image,
 * base64 in the JSON body, for image-to-image and inpainting); or
 * `input_image` (FLUX.2: up to four reference images as the form's
 * `input_image_0` … `input_image_3`).
 *
 * @example
 * ```ts
 * import { IMAGE_MODELS, type ImageInput } from "@x/cloudflare-ai/models";
 *
 * const references: ImageInput = "input_image";
 * const ids = IMAGE_MODELS.filter((m) => m.input === references).map((m) => m.id);
 * // ["@cf/black-forest-labs/flux-2-dev", "@cf/black-forest-labs/flux-2-klein-4b", ...]
 * ```
 */
export type ImageInput = "none" | "image_b64" | "input_image";

/**
 * Everything the plugin knows about one image-generation model.
 *
 * @example
 * ```ts
 * import { IMAGE_MODELS, type ImageModelSpec } from "@x/cloudflare-ai/models";
 *
 * function describe(spec: ImageModelSpec): string {
 *   const body = spec.request === "multipart" ? "a multipart form" : "JSON";
 *   const images = spec.maxImages === 0 ? "no input images" : `up to ${spec.maxImages} images`;
 *   return `${spec.label}: ${body}, ${images}${spec.mask ? ", inpainting" : ""}`;
 * }
 * for (const spec of IMAGE_MODELS) console.log(describe(spec));
 * ```
 */
export interface ImageModelSpec {
  /** Workers AI model id, e.g. `@cf/black-forest-labs/flux-1-schnell`. */
  id: string;
  /** Human label shown in the Developer UI. */
  label: string;
  /** The request body the model takes: JSON, or only `multipart/form-data` (FLUX.2). */
  request: "json" | "multipart";
  /**
   * How the model answers: `binary` (the image bytes with their content
   * type), `base64` (JSON `{ image }`), or `either` (a model the catalog does
   * not know: both are read).
   */
  answer: "binary" | "base64" | "either";
  /** Accepted values per numeric parameter; a parameter absent here is not taken. */
  params: Partial<Record<ImageParam, ParamRange>>;
  /** The wire name of the step count: `steps` or `num_steps`. */
  stepsField: "steps" | "num_steps";
  /** Whether the model takes `negative_prompt`. */
  negativePrompt: boolean;
  /** How the model takes input images. */
  input: ImageInput;
  /** Most input images (media parts that are not a mask) one request takes. */
  maxImages: number;
  /** Whether a source image is required (image-to-image and inpainting models). */
  needsImage: boolean;
  /** Whether the model inpaints: it takes a mask (a media part with `metadata.type: "mask"`). */
  mask: boolean;
  /** Longest prompt, in characters, where documented. */
  maxPromptLength?: number;
  /** Whether the model is in beta. */
  beta?: boolean;
}

/** The integer range of a seed where a schema says only "integer" (or `minimum: 0`). */
const SEED: ParamRange = { min: 0, max: Number.MAX_SAFE_INTEGER, int: true };
/** SDXL, SD 1.5 and dreamshaper share one schema: sizes 256-2048, num_steps at most 20. */
const SD_SIZE: ParamRange = { min: 256, max: 2048, int: true };
/** FLUX.2's documented width and height range. */
const FLUX2_SIZE: ParamRange = { min: 256, max: 1920, int: true };

/** The shared Stable Diffusion schema (`AiTextToImageInput`): JSON in, binary PNG out. */
function stableDiffusion(
  id: string,
  label: string,
  extra: Partial<ImageModelSpec> = {},
): ImageModelSpec {
  return {
    id,
    label,
    request: "json",
    answer: "binary",
    params: {
      width: SD_SIZE,
      height: SD_SIZE,
      // The schema documents only "maximum: 20"; a step count below 1 means nothing.
      steps: { min: 1, max: 20, int: true },
      // The schema gives only the default (7.5); 0-30 covers every usual classifier-free scale.
      guidance: { min: 0, max: 30 },
      seed: SEED,
      strength: { min: 0, max: 1 },
    },
    stepsField: "num_steps",
    negativePrompt: true,
    input: "image_b64",
    maxImages: 1,
    needsImage: false,
    mask: false,
    beta: true,
    ...extra,
  };
}

/** A JSON model that takes a prompt only (no input images, no mask). */
function promptOnly(
  id: string,
  label: string,
  answer: ImageModelSpec["answer"],
  params: ImageModelSpec["params"],
  extra: Partial<ImageModelSpec> = {},
): ImageModelSpec {
  return {
    id,
    label,
    request: "json",
    answer,
    params,
    stepsField: "steps",
    negativePrompt: false,
    input: "none",
    maxImages: 0,
    needsImage: false,
    mask: false,
    ...extra,
  };
}

/** FLUX.2: multipart only, up to four reference images, base64 PNG in JSON out. */
function flux2(id: string, label: string, steps: boolean): ImageModelSpec {
  return {
    id,
    label,
    request: "multipart",
    answer: "base64",
    params: {
      width: FLUX2_SIZE,
      height: FLUX2_SIZE,
      // The FLUX.2 launch notes give no range for steps or guidance: these bounds
      // are assumed, wide enough for every value the notes' examples use (25 steps).
      ...(steps ? { steps: { min: 1, max: 50, int: true } } : {}),
      guidance: { min: 0, max: 20 },
      seed: SEED,
    },
    stepsField: "steps",
    negativePrompt: false,
    input: "input_image",
    maxImages: 4,
    needsImage: false,
    mask: false,
  };
}

/**
 * Every Workers AI text-to-image model, with its documented ranges.
 *
 * @example
 * ```ts
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { IMAGE_MODELS } from "@x/cloudflare-ai/models";
 *
 * // The models that edit an image given as a media part of the prompt.
 * const editors = IMAGE_MODELS.filter((m) => m.maxImages > 0).map((m) => m.id);
 * const inpainting = IMAGE_MODELS.filter((m) => m.mask).map((m) => m.id);
 * const model = cloudflareAI.model(inpainting[0]); // @cf/runwayml/stable-diffusion-v1-5-inpainting
 * ```
 */
export const IMAGE_MODELS: readonly ImageModelSpec[] = [
  // Its schema takes only prompt and steps (additionalProperties: false):
  // width and height are refused server-side with 5006.
  promptOnly("@cf/black-forest-labs/flux-1-schnell", "FLUX.1 [schnell]", "base64", {
    steps: { min: 1, max: 8, int: true },
  }, { maxPromptLength: 2048 }),
  flux2("@cf/black-forest-labs/flux-2-dev", "FLUX.2 [dev]", true),
  // klein is distilled: its steps are fixed at 4 and cannot be sent.
  flux2("@cf/black-forest-labs/flux-2-klein-4b", "FLUX.2 [klein] 4B", false),
  flux2("@cf/black-forest-labs/flux-2-klein-9b", "FLUX.2 [klein] 9B", false),
  stableDiffusion("@cf/stabilityai/stable-diffusion-xl-base-1.0", "Stable Diffusion XL Base 1.0"),
  stableDiffusion("@cf/bytedance/stable-diffusion-xl-lightning", "Stable Diffusion XL Lightning"),
  stableDiffusion("@cf/runwayml/stable-diffusion-v1-5-img2img", "Stable Diffusion 1.5 Img2Img", {
    needsImage: true,
  }),
  // The shared schema lists `mask` on every Stable Diffusion model; only this
  // one is an inpainting model, so only this one is sent a mask.
  stableDiffusion(
    "@cf/runwayml/stable-diffusion-v1-5-inpainting",
    "Stable Diffusion 1.5 Inpainting",
    { needsImage: true, mask: true },
  ),
  stableDiffusion("@cf/lykon/dreamshaper-8-lcm", "DreamShaper 8 LCM"),
  // lucid-origin documents both steps and num_steps (1-40); one is sent.
  promptOnly("@cf/leonardo/lucid-origin", "Lucid Origin", "base64", {
    width: { min: 0, max: 2500, int: true },
    height: { min: 0, max: 2500, int: true },
    steps: { min: 1, max: 40, int: true },
    guidance: { min: 0, max: 10 },
    seed: SEED,
  }),
  promptOnly("@cf/leonardo/phoenix-1.0", "Phoenix 1.0", "binary", {
    width: { min: 0, max: 2048, int: true },
    height: { min: 0, max: 2048, int: true },
    steps: { min: 1, max: 50, int: true },
    guidance: { min: 2, max: 10 },
    seed: SEED,
  }, { stepsField: "num_steps", negativePrompt: true }),
];

/**
 * The id of an image-generation model of the built-in catalog. A reference
 * made with one of these ids is typed with the image config.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type ImageModelId } from "@x/cloudflare-ai";
 *
 * const id: ImageModelId = "@cf/stabilityai/stable-diffusion-xl-base-1.0";
 * const model = cloudflareAI.model(id, { width: 1024, height: 768 }); // config typed as ImageConfig
 * ```
 */
export type ImageModelId =
  | "@cf/black-forest-labs/flux-1-schnell"
  | "@cf/black-forest-labs/flux-2-dev"
  | "@cf/black-forest-labs/flux-2-klein-4b"
  | "@cf/black-forest-labs/flux-2-klein-9b"
  | "@cf/stabilityai/stable-diffusion-xl-base-1.0"
  | "@cf/bytedance/stable-diffusion-xl-lightning"
  | "@cf/runwayml/stable-diffusion-v1-5-img2img"
  | "@cf/runwayml/stable-diffusion-v1-5-inpainting"
  | "@cf/lykon/dreamshaper-8-lcm"
  | "@cf/leonardo/lucid-origin"
  | "@cf/leonardo/phoenix-1.0";

const IMAGE_BY_ID = byId(IMAGE_MODELS);

/** The catalog entry of a known image model, or `undefined`. */
export function knownImageModel(id: string): ImageModelSpec | undefined {
  return IMAGE_BY_ID.get(id);
}

/**
 * The image spec for any id: the catalog entry when known, otherwise a
 * conservative one: a JSON `{ prompt }` request with no parameters and no
 * input images, and either answer form read.
 */
export function imageModelSpec(id: string): ImageModelSpec {
  return IMAGE_BY_ID.get(id) ?? {
    id,
    label: workersLabel(id),
    request: "json",
    answer: "either",
    params: {},
    stepsField: "steps",
    negativePrompt: false,
    input: "none",
    maxImages: 0,
    needsImage: false,
    mask: false,
  };
}
