/**
 * The image-generation task: every model of the plugin's image catalog on
 * `/ai/run`, each with its request schema (JSON, or FLUX.2's multipart form)
 * and its answer form: a binary PNG (Stable Diffusion, dreamshaper) or JPEG
 * (phoenix-1.0) body, or JSON with a base64 JPEG (flux-1-schnell,
 * lucid-origin) or PNG (FLUX.2).
 *
 * The images are small real images (a mosaic of colours), the same for the
 * same model, prompt, size, seed and input images, and different when any of
 * them differs. They are `width` × `height` when the request gives a size,
 * else the size of the source image (image-to-image), else 64 × 64; a PNG is
 * stored uncompressed, about 3 bytes a pixel.
 * Each carries a comment (PNG `tEXt`, JPEG `COM`) of what it was made from:
 * `emulator model=… prompt=<hash> seed=… size=WxH inputs=field:<hash>,…`.
 * A prompt with the word "nsfw" in it is refused as the content filter
 * refuses one: HTTP 400, code 3030, "Input prompt contains NSFW content".
 *
 * @module
 */

import { IMAGE_MODELS, type ImageModelSpec, knownImageModel } from "../image/catalog.ts";
import { ApiError, noSuchModel } from "./errors.ts";
import { encodeJpeg } from "./jpeg.ts";
import { type ImageAsk, parseImageRequest } from "./image_request.ts";
import { modelObject, type SearchTask } from "./model_object.ts";
import { encodePng } from "./png.ts";
import type { EmulatorTask, TaskAnswer, TaskContext } from "./task_contract.ts";
import { hash32, hex8, prng } from "./util.ts";

const SEARCH_TASK: SearchTask = {
  name: "Text-to-Image",
  description: "Generates images from input text. These models can be used to generate and " +
    "modify images based on text prompts.",
};

/** Emulator-only facts of the models (the catalog has what the plugin needs). */
const FACTS: Readonly<Record<string, { format: "png" | "jpeg"; partner?: true; about: string }>> = {
  "@cf/black-forest-labs/flux-1-schnell": { format: "jpeg", about: "fast text-to-image" },
  "@cf/black-forest-labs/flux-2-dev": {
    format: "png",
    partner: true,
    about: "text-to-image with up to four reference images",
  },
  "@cf/black-forest-labs/flux-2-klein-4b": {
    format: "png",
    partner: true,
    about: "distilled, four-step text-to-image with reference images",
  },
  "@cf/black-forest-labs/flux-2-klein-9b": {
    format: "png",
    partner: true,
    about: "distilled, four-step text-to-image with reference images",
  },
  "@cf/stabilityai/stable-diffusion-xl-base-1.0": {
    format: "png",
    about: "diffusion text-to-image",
  },
  "@cf/bytedance/stable-diffusion-xl-lightning": { format: "png", about: "few-step SDXL" },
  "@cf/runwayml/stable-diffusion-v1-5-img2img": { format: "png", about: "image-to-image" },
  "@cf/runwayml/stable-diffusion-v1-5-inpainting": { format: "png", about: "inpainting" },
  "@cf/lykon/dreamshaper-8-lcm": { format: "png", about: "photorealistic Stable Diffusion" },
  "@cf/leonardo/lucid-origin": { format: "jpeg", partner: true, about: "prompt-faithful images" },
  "@cf/leonardo/phoenix-1.0": { format: "jpeg", partner: true, about: "images with coherent text" },
};

/** The side of an image whose request names no size. */
const DEFAULT_SIDE = 64;

/** The comment an image carries: what it was made from. */
function describe(spec: ImageModelSpec, ask: ImageAsk, width: number, height: number): string {
  const inputs = ask.inputs.map((i) => `${i.field}:${i.id}`).join(",") || "none";
  return `emulator model=${spec.id} prompt=${hex8(ask.prompt)} seed=${ask.seed ?? "none"} ` +
    `size=${width}x${height} inputs=${inputs}`;
}

/** The mosaic colours: a palette drawn from a hash of everything the image is made from. */
function palette(made: string): (cell: number) => readonly [number, number, number] {
  const random = prng(hash32(made));
  const colours = Array.from({ length: 16 }, () =>
    [
      Math.floor(random() * 256),
      Math.floor(random() * 256),
      Math.floor(random() * 256),
    ] as const);
  const pick = prng(hash32(`${made}#cells`));
  const cells = Array.from({ length: 64 }, () => colours[Math.floor(pick() * 16)]);
  return (cell) => cells[cell % cells.length];
}

/** Recently made images: a benchmark asks for the same large one many times. */
const made = new Map<string, Uint8Array>();
const MADE_MAX = 8;

function picture(spec: ImageModelSpec, ask: ImageAsk, format: "png" | "jpeg"): Uint8Array {
  // Image-to-image keeps the source's size unless the request names one.
  const source = ask.inputs.find((i) => i.field === "image_b64" || i.field === "image")?.size;
  // Sizes of 0 pass lucid-origin's and phoenix's schemas (minimum 0); a file needs one pixel.
  const width = Math.max(1, ask.width ?? source?.[0] ?? DEFAULT_SIDE);
  const height = Math.max(1, ask.height ?? source?.[1] ?? DEFAULT_SIDE);
  const comment = describe(spec, ask, width, height);
  const key = JSON.stringify([format, spec.id, width, height, ask]);
  const hit = made.get(key);
  if (hit) return hit;
  const colour = palette(key);
  // An 8 × 8 grid of cells over the image.
  const cellW = Math.max(8, Math.ceil(width / 8));
  const cellH = Math.max(8, Math.ceil(height / 8));
  const image = format === "png"
    ? encodePng({
      width,
      height,
      comment,
      row(y, rgb) {
        const row = Math.floor(y / cellH) * 8;
        for (let x = 0; x < width; x++) rgb.set(colour(row + Math.floor(x / cellW)), 3 * x);
      },
    })
    : encodeJpeg({
      width,
      height,
      comment,
      block: (bx, by) => colour(Math.floor((by * 8) / cellH) * 8 + Math.floor((bx * 8) / cellW)),
    });
  made.set(key, image);
  if (made.size > MADE_MAX) made.delete(made.keys().next().value!);
  return image;
}

function base64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/** The image-generation task. */
export const imageTask: EmulatorTask = {
  name: "image",
  handles: (model, op) => op === "run" && knownImageModel(model) !== undefined,
  answer(ctx: TaskContext): TaskAnswer {
    const spec = knownImageModel(ctx.model);
    if (!spec) throw noSuchModel(ctx.model);
    const ask = parseImageRequest(spec, ctx.body);
    // Observed on flux-1-schnell: a filtered prompt is refused with 3030.
    if (/\bnsfw\b/i.test(ask.prompt)) {
      throw new ApiError(400, 3030, "AiError: Input prompt contains NSFW content.");
    }
    const format = FACTS[spec.id]?.format ?? "png";
    const image = picture(spec, ask, format);
    if (spec.answer === "binary") {
      return { bytes: image, contentType: format === "png" ? "image/png" : "image/jpeg" };
    }
    return { result: { image: base64(image) } };
  },
  models: () =>
    IMAGE_MODELS.map((spec) => {
      const facts = FACTS[spec.id];
      const properties: [string, string][] = [];
      if (spec.beta) properties.push(["beta", "true"]);
      if (facts?.partner) properties.push(["partner", "true"]);
      const description = `${spec.label}: ${
        facts?.about ?? "text-to-image"
      }, served by Workers AI.`;
      return modelObject(spec.id, SEARCH_TASK, description, properties);
    }),
};
