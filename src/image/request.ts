/**
 * From a Genkit request to Workers AI image requests: the prompt and its
 * input images checked against what the model takes, and the wire request
 * of each image asked for (a JSON body, or FLUX.2's multipart form).
 *
 * @module
 */
import type { GenerateRequest } from "genkit/model";
import type { WireRequest } from "../client/types.ts";
import { base64 } from "../base64.ts";
import type { DownloadPolicy } from "../downloads/policy.ts";
import { invalidArgument as invalid } from "../errors.ts";
import { mayBeKind, type MediaBytes, mediaBytes, type PromptMedia, singleTurn } from "../media.ts";
import type { ImageModelSpec, ImageSpec } from "./catalog.ts";
import type { ImageConfig } from "./config.ts";

/** The inpainting model, suggested when a mask is sent to a model that does not inpaint. */
const INPAINTING = "@cf/runwayml/stable-diffusion-v1-5-inpainting";

/** A request's prompt: its text and its media, the mask told apart from the images. */
export interface ImagePrompt {
  /** The prompt text, exactly as written. */
  text: string;
  /** The input images, in order (the source image, or FLUX.2's reference images). */
  images: PromptMedia[];
  /** The inpainting mask: the media part with `metadata: { type: "mask" }`. */
  mask?: PromptMedia;
}

/** The input images as bytes. */
export interface ImageInputs {
  /** The input images, in order. */
  images: MediaBytes[];
  /** The mask, if any. */
  mask?: MediaBytes;
}

function isMask(media: PromptMedia): boolean {
  return media.metadata?.type === "mask";
}

/**
 * The prompt of a request, refused with `INVALID_ARGUMENT` (naming the
 * model) when it is not one the model can take: history, tools or a system
 * message; no text, or more than the model takes; more input images than it
 * takes; a mask for a model that does not inpaint; media that is not an image.
 */
export function imagePrompt(
  spec: ImageModelSpec,
  request: GenerateRequest,
  config: ImageConfig,
): ImagePrompt {
  const { text, media } = singleTurn(spec.id, request);
  if (text.trim() === "") {
    throw invalid(`${spec.id} needs a text prompt describing the image; the prompt has none.`);
  }
  const length = [...text].length;
  if (spec.maxPromptLength !== undefined && length > spec.maxPromptLength) {
    throw invalid(
      `The prompt for ${spec.id} is ${length} characters long; the model takes at most ` +
        `${spec.maxPromptLength}. Shorten it.`,
    );
  }
  for (const m of media) {
    if (!mayBeKind(m, "image")) {
      throw invalid(`${spec.id} takes images as media parts; got a part of another type.`);
    }
  }
  const masks = media.filter(isMask);
  const images = media.filter((m) => !isMask(m));
  if (masks.length > 0 && !spec.mask) {
    throw invalid(
      `${spec.id} does not inpaint: it takes no mask (the media part with metadata.type ` +
        `"mask"). Use ${INPAINTING} to inpaint, or remove the mask.`,
    );
  }
  if (masks.length > 1) {
    throw invalid(`${spec.id} takes one mask; the prompt has ${masks.length}.`);
  }
  if (images.length > spec.maxImages) {
    throw invalid(
      spec.maxImages === 0
        ? `${spec.id} takes no input images; the prompt has ${images.length}. Remove them, or ` +
          "use an image-to-image model (Stable Diffusion) or FLUX.2 with reference images."
        : `${spec.id} takes at most ${spec.maxImages} input image${
          spec.maxImages === 1 ? "" : "s"
        }; the prompt has ${images.length}.`,
    );
  }
  if (images.length === 0 && (spec.needsImage || masks.length > 0)) {
    throw invalid(
      `${spec.id} needs the source image as a media part of the prompt` +
        (masks.length > 0 ? ", besides the mask." : "."),
    );
  }
  if (config.strength !== undefined && images.length === 0) {
    throw invalid(
      `config.strength for ${spec.id} applies to image-to-image only: add the source image as ` +
        "a media part of the prompt, or remove strength.",
    );
  }
  return { text, images, ...(masks.length > 0 ? { mask: masks[0] } : {}) };
}

/** The bytes of the prompt's images and mask (data URLs decoded, remote ones downloaded). */
export async function loadInputs(
  spec: ImageModelSpec,
  prompt: ImagePrompt,
  downloads: DownloadPolicy,
  signal: AbortSignal,
): Promise<ImageInputs> {
  const all = prompt.mask ? [...prompt.images, prompt.mask] : prompt.images;
  if (all.length === 0) return { images: [] };
  const bytes = await mediaBytes(spec.id, all, "image", downloads, signal);
  return prompt.mask
    ? { images: bytes.slice(0, -1), mask: bytes[bytes.length - 1] }
    : { images: bytes };
}

/**
 * The parameters of image `index` of a call, under the published names of
 * the model's option table: only what its schema names goes on the wire.
 */
function wireParams(
  spec: ImageSpec,
  config: ImageConfig,
  index: number,
): [string, string | number][] {
  const out: [string, string | number][] = [];
  const values = config as Record<string, unknown>;
  for (const o of spec.options) {
    const value = values[o.key];
    if (value === undefined) continue;
    // Several images of one seed would be the same image: image i gets seed + i.
    out.push([o.wire, o.key === "seed" ? (value as number) + index : value as string | number]);
  }
  return out;
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
};

/**
 * The wire request of image `index` of a call: FLUX.2's multipart form
 * (every field a form field, reference images as `input_image_0` … in
 * order), or a JSON body with the source image as `image_b64` (base64 is a
 * third of the size of the `image` number array) and the mask as `mask`, the
 * mask image's bytes (the only form the schema has for it).
 */
export function wireRequest(
  spec: ImageSpec,
  text: string,
  config: ImageConfig,
  inputs: ImageInputs,
  index: number,
): WireRequest {
  const answer = spec.answer === "base64" ? "json" : "bytes";
  const params = wireParams(spec, config, index);
  if (spec.request === "multipart") {
    // FLUX.2 takes multipart/form-data only, "even if you just have a prompt".
    const form = new FormData();
    form.append("prompt", text);
    inputs.images.forEach((image, i) => {
      const ext = EXTENSIONS[image.contentType] ?? "bin";
      const blob = new Blob([image.bytes], { type: image.contentType });
      form.append(`input_image_${i}`, blob, `input_image_${i}.${ext}`);
    });
    for (const [name, value] of params) form.append(name, String(value));
    return { body: { form }, answer };
  }
  const body: Record<string, unknown> = { prompt: text };
  for (const [name, value] of params) body[name] = value;
  const [source] = inputs.images;
  if (source) body.image_b64 = source.base64 ?? base64(source.bytes);
  if (inputs.mask) body.mask = Array.from(inputs.mask.bytes);
  return { body: { json: body }, answer };
}
