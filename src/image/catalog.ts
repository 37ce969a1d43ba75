/**
 * The image-generation models this plugin knows by name. What each takes
 * comes from its published definition (`publishedModel`): its parameters
 * under their published names, with their published types, ranges and
 * defaults; whether it takes a multipart form or a source image
 * (`image_b64`); its longest prompt; whether it is in beta or deprecated.
 * What a definition cannot say is written here beside it, each departure
 * with its reason and source: how a model answers (binary bytes or base64
 * JSON: the output schemas, which the runtime does not carry), which models
 * need a source image or take a mask, and FLUX.2's form fields (its
 * definition publishes only `multipart`; they come from the FLUX.2 launch
 * notes of 2025-11-25 and 2026-01-28).
 *
 * @module
 */
import { publishedModel } from "../definitions/mod.ts";
import { workersLabel } from "../labels.ts";
import { byId } from "../model_ids.ts";
import type { ParamRange } from "../text/catalog.ts";
import { type OptionName, publishedOptions, type WireOption } from "../wire_options.ts";

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
  /**
   * Accepted values per numeric parameter; a parameter absent here is not
   * taken. An end the published definition leaves open is
   * `±Number.MAX_SAFE_INTEGER` (whole numbers) or `±Number.MAX_VALUE`.
   */
  params: Partial<Record<ImageParam, ParamRange>>;
  /** Its config keys, each with the wire name it is sent under (its published name). */
  options: readonly {
    /** The camelCase config key. */
    key: string;
    /** The name Workers AI takes it under. */
    wire: string;
    /** What it does. */
    description: string;
  }[];
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
  /** Whether its published definition marks it deprecated. */
  deprecated?: boolean;
}

/**
 * A spec with the full option descriptors (types, published ranges) the
 * family validates with.
 *
 * @example
 * ```ts
 * import { type ImageSpec, knownImageModel } from "./catalog.ts";
 *
 * const sdxl: ImageSpec = knownImageModel("@cf/stabilityai/stable-diffusion-xl-base-1.0")!;
 * const steps = sdxl.options.find((o) => o.key === "steps"); // wire "num_steps", max 20
 * ```
 */
export type ImageSpec = Omit<ImageModelSpec, "options"> & { options: readonly WireOption[] };

/**
 * The image config vocabulary: each key with the published name it is sent
 * under. A model takes the keys whose names its published input schema has;
 * `steps` goes out as `steps` or `num_steps`, whichever the model publishes
 * (lucid-origin publishes both: `steps` is sent).
 */
const IMAGE_NAMES: readonly OptionName[] = [
  { key: "width", wire: "width", description: "Width of the image in pixels." },
  { key: "height", wire: "height", description: "Height of the image in pixels." },
  {
    key: "steps",
    wire: "steps",
    description: "Diffusion steps: more can improve quality but take longer.",
  },
  {
    key: "steps",
    wire: "num_steps",
    description: "Diffusion steps: more can improve quality but take longer.",
  },
  {
    key: "guidance",
    wire: "guidance",
    description: "How closely the image follows the prompt: higher follows it more closely.",
  },
  {
    key: "seed",
    wire: "seed",
    description:
      "Random seed for reproducible images (with numberOfImages, image i gets seed + i).",
  },
  {
    key: "strength",
    wire: "strength",
    description: "Image-to-image: how far the result may move from the source image.",
  },
  {
    key: "negativePrompt",
    wire: "negative_prompt",
    description: "What the image should not contain (negative_prompt).",
  },
];

/**
 * Deliberate departures from the published ranges, each narrower than
 * published (so every value sent is still one the schema accepts):
 * - `steps` at least 1: the Stable Diffusion schemas and flux-1-schnell's
 *   publish only a maximum (20, 8), and a diffusion of zero or fewer steps
 *   makes no image (diffusers' pipelines refuse it);
 * - `strength` from 0 to 1: the Stable Diffusion schemas publish only its
 *   default (1); it is the fraction of the diffusion applied to the source
 *   image, and diffusers' img2img and inpainting pipelines refuse values
 *   outside [0, 1].
 */
function narrowed(o: WireOption): WireOption {
  if (o.key === "steps" && o.min === undefined) return { ...o, min: 1 };
  if (o.key === "strength" && o.min === undefined && o.max === undefined) {
    return { ...o, min: 0, max: 1 };
  }
  return o;
}

/**
 * FLUX.2's form fields. Its published definition says only that it takes a
 * `multipart` body, so these are written by hand from Cloudflare's changelog
 * entries announcing the models (workers-ai 2025-11-25 FLUX.2 [dev],
 * 2026-01-28 FLUX.2 [klein] 9B): `width` and `height` from 256 to 1920,
 * `guidance`, `seed`, and `steps` on dev only (klein is distilled: its steps
 * are fixed at 4). They publish no range for `guidance` or `seed`, and for
 * `steps` none past at least 1, so none is assumed.
 */
function flux2Options(steps: boolean): WireOption[] {
  const name = (key: string) => IMAGE_NAMES.find((n) => n.key === key)!;
  const size = { kind: "int", min: 256, max: 1920 } as const;
  return [
    { ...name("width"), ...size },
    { ...name("height"), ...size },
    ...(steps ? [{ ...name("steps"), kind: "int", min: 1 } as const] : []),
    { ...name("guidance"), kind: "number" },
    { ...name("seed"), kind: "int" },
  ];
}

/** The range view of the numeric options (open ends as the largest numbers). */
function rangesOf(options: readonly WireOption[]): Partial<Record<ImageParam, ParamRange>> {
  const out: Partial<Record<ImageParam, ParamRange>> = {};
  for (const o of options) {
    if (o.kind !== "int" && o.kind !== "number") continue;
    const int = o.kind === "int";
    const far = int ? Number.MAX_SAFE_INTEGER : Number.MAX_VALUE;
    out[o.key as ImageParam] = { min: o.min ?? -far, max: o.max ?? far, ...(int ? { int } : {}) };
  }
  return out;
}

/** What the catalog writes by hand beside a published definition. */
interface HandWritten {
  /** How it answers: its published output schema's form (binary image, or `{ image }` JSON). */
  answer: ImageModelSpec["answer"];
  /** Source image required: the published schemas require only `prompt`. */
  needsImage?: boolean;
  /** It inpaints: the only one sent a mask. */
  mask?: boolean;
  /** FLUX.2 only: whether its steps can be set (klein's are fixed at 4). */
  steps?: boolean;
}

/** An image model: its published definition, with what it cannot say written beside it. */
function imageModel(id: string, label: string, hand: HandWritten): ImageSpec {
  const published = publishedModel(id);
  const fields = published?.inputFields ?? [];
  const multipart = fields.includes("multipart");
  // A model never publishes two wire names for one key to this plugin: the first wins.
  const options = multipart
    ? flux2Options(hand.steps ?? false)
    : publishedOptions(id, IMAGE_NAMES).filter((o, i, all) =>
      all.findIndex((x) => x.key === o.key) === i
    ).map(narrowed);
  const steps = options.find((o) => o.key === "steps");
  const maxPromptLength = published?.params.prompt?.maxLength;
  // FLUX.2: "up to 4 image inputs" (Cloudflare's FLUX.2 docs), as input_image_0 … 3.
  const input: ImageInput = multipart
    ? "input_image"
    : fields.includes("image_b64")
    ? "image_b64"
    : "none";
  return {
    id,
    label,
    request: multipart ? "multipart" : "json",
    answer: hand.answer,
    params: rangesOf(options),
    options,
    stepsField: steps?.wire === "num_steps" ? "num_steps" : "steps",
    negativePrompt: options.some((o) => o.key === "negativePrompt"),
    input,
    maxImages: input === "input_image" ? 4 : input === "image_b64" ? 1 : 0,
    needsImage: hand.needsImage ?? false,
    mask: hand.mask ?? false,
    ...(maxPromptLength === undefined ? {} : { maxPromptLength }),
    ...(published?.beta ? { beta: true } : {}),
    ...(published?.deprecated ? { deprecated: true } : {}),
  };
}

/**
 * Every Workers AI text-to-image model, with its published parameters.
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
  // Published output: `{ image }` JSON (base64 JPEG). Its schema takes only
  // prompt and steps: width and height are refused server-side with 5006.
  imageModel("@cf/black-forest-labs/flux-1-schnell", "FLUX.1 [schnell]", { answer: "base64" }),
  // FLUX.2: published output `{ image }` JSON (base64 PNG).
  imageModel("@cf/black-forest-labs/flux-2-dev", "FLUX.2 [dev]", { answer: "base64", steps: true }),
  imageModel("@cf/black-forest-labs/flux-2-klein-4b", "FLUX.2 [klein] 4B", { answer: "base64" }),
  imageModel("@cf/black-forest-labs/flux-2-klein-9b", "FLUX.2 [klein] 9B", { answer: "base64" }),
  // The Stable Diffusion models share one published schema (binary PNG out).
  // It lists image_b64 and mask on every one; only img2img and inpainting need
  // a source image, and only the inpainting model is sent a mask (the others'
  // pipelines do not inpaint).
  imageModel("@cf/stabilityai/stable-diffusion-xl-base-1.0", "Stable Diffusion XL Base 1.0", {
    answer: "binary",
  }),
  imageModel("@cf/bytedance/stable-diffusion-xl-lightning", "Stable Diffusion XL Lightning", {
    answer: "binary",
  }),
  imageModel("@cf/runwayml/stable-diffusion-v1-5-img2img", "Stable Diffusion 1.5 Img2Img", {
    answer: "binary",
    needsImage: true,
  }),
  imageModel("@cf/runwayml/stable-diffusion-v1-5-inpainting", "Stable Diffusion 1.5 Inpainting", {
    answer: "binary",
    needsImage: true,
    mask: true,
  }),
  imageModel("@cf/lykon/dreamshaper-8-lcm", "DreamShaper 8 LCM", { answer: "binary" }),
  // Published output: `{ image }` JSON (base64 JPEG).
  imageModel("@cf/leonardo/lucid-origin", "Lucid Origin", { answer: "base64" }),
  // Published output: binary image/jpeg.
  imageModel("@cf/leonardo/phoenix-1.0", "Phoenix 1.0", { answer: "binary" }),
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

const IMAGE_BY_ID = byId(IMAGE_MODELS as readonly ImageSpec[]);

/** The catalog entry of a known image model, or `undefined`. */
export function knownImageModel(id: string): ImageSpec | undefined {
  return IMAGE_BY_ID.get(id);
}

/**
 * The image spec for any id: the catalog entry when known; else, for an id
 * with a published definition, what it publishes, either answer form read;
 * else a conservative one: a JSON `{ prompt }` request with no parameters
 * and no input images, either answer form read.
 */
export function imageModelSpec(id: string): ImageSpec {
  return IMAGE_BY_ID.get(id) ?? imageModel(id, workersLabel(id), { answer: "either" });
}
