// Shared by the image-generation tests: model ids, small PNGs, data URLs,
// and the comment the emulator writes into the images it makes.
import assert from "node:assert/strict";
import type { Part } from "genkit";
import type { ImageModelSpec } from "../src/models.ts";
import { encodePng } from "../src/testing/png.ts";

export const SCHNELL = "@cf/black-forest-labs/flux-1-schnell";
export const FLUX2 = "@cf/black-forest-labs/flux-2-dev";
export const SDXL = "@cf/stabilityai/stable-diffusion-xl-base-1.0";
export const IMG2IMG = "@cf/runwayml/stable-diffusion-v1-5-img2img";
export const INPAINT = "@cf/runwayml/stable-diffusion-v1-5-inpainting";
export const PHOENIX = "@cf/leonardo/phoenix-1.0";
export const LUCID = "@cf/leonardo/lucid-origin";

/** The type each model's answer has: JPEG from schnell, lucid-origin and phoenix, PNG from the rest. */
export function expectedType(id: string): string {
  return [SCHNELL, LUCID, PHOENIX].includes(id) ? "image/jpeg" : "image/png";
}

/** A small PNG of one colour. */
export function png(r: number, g: number, b: number, side = 4): Uint8Array<ArrayBuffer> {
  return encodePng({ width: side, height: side, row: (_, rgb) => rgb.set([r, g, b], 0) });
}

export const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
export const dataUrlOf = (bytes: Uint8Array) => `data:image/png;base64,${toBase64(bytes)}`;

/** A source image for the models that need one. */
export const SOURCE = png(90, 120, 200);

/** A prompt each model takes: its text, and a source image for the image-to-image ones. */
export function prompt(spec: ImageModelSpec, text = "a cyberpunk lizard"): Part[] {
  return spec.needsImage ? [{ text }, { media: { url: dataUrlOf(SOURCE) } }] : [{ text }];
}

/** The bytes of a data URL, with its type. */
export function decode(url: string): { type: string; bytes: Uint8Array } {
  const m = /^data:([^;]+);base64,(.*)$/s.exec(url);
  assert.ok(m, `a base64 data URL: ${url.slice(0, 40)}`);
  return { type: m[1], bytes: Uint8Array.from(atob(m[2]), (c) => c.charCodeAt(0)) };
}

/** The comment the emulator writes into its images: what each was made from. */
export function madeFrom(bytes: Uint8Array): string {
  const text = new TextDecoder("latin1").decode(bytes);
  return /emulator model=[^\0\xff]*/.exec(text)?.[0] ?? "";
}
