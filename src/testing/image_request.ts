/**
 * Image-generation requests: what a request asks for, as one
 * {@link ImageAsk}. Fields, types and ranges are judged before, by the
 * model's published input schema (and FLUX.2's form table, see `judge.ts`);
 * here the body is read, its input images decoded (an undecodable image is
 * 5006, bad base64 5004), and FLUX.2's multipart form required (a JSON body
 * is 5006 "required properties at '/' are 'multipart'").
 *
 * @module
 */

import type { ImageModelSpec } from "../image/catalog.ts";
import { sniffImageType } from "../media.ts";
import { ApiError, badInput } from "./errors.ts";
import type { TaskBody } from "./task_contract.ts";
import { isObject, typeName } from "./util.ts";

/** An input the answer depends on: its field and what identifies its bytes. */
export interface AskedInput {
  /** The field it came in (`image_b64`, `image`, `mask`, `input_image_0`, …). */
  field: string;
  /** What identifies it: a hash of its bytes, or of a form file's name, type and size. */
  id: string;
  /** Its size in pixels, when its header could be read (PNG, baseline or progressive JPEG). */
  size?: [width: number, height: number];
}

/** What one image request asks for. */
export interface ImageAsk {
  prompt: string;
  width?: number;
  height?: number;
  seed?: number;
  steps?: number;
  negativePrompt?: string;
  inputs: AskedInput[];
}

/** 32-bit FNV-1a of bytes, as 8 hex digits. */
export function hashBytes(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/** The prompt the answer is made from (its length and the rest are the schema's to judge). */
function checkPrompt(value: unknown): string {
  if (value === undefined) throw badInput("required properties at '/' are 'prompt'");
  if (typeof value !== "string") {
    throw badInput(`Type mismatch of '/prompt', '${typeName(value)}' not in 'string'`);
  }
  return value;
}

/** The bytes of `image` or `mask`: an array of numbers 0-255. */
function byteArray(path: string, value: unknown): Uint8Array {
  if (!Array.isArray(value)) {
    throw badInput(`Type mismatch of '${path}', '${typeName(value)}' not in 'array'`);
  }
  value.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 255) {
      throw badInput(`Value at '${path}/${i}' is not an 8-bit unsigned integer`);
    }
  });
  return Uint8Array.from(value as number[]);
}

/** The width and height in a PNG's IHDR or a JPEG's SOF0-SOF2 segment. */
function pixelSize(bytes: Uint8Array): [number, number] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (sniffImageType(bytes) === "image/png" && bytes.length >= 24) {
    return [view.getUint32(16), view.getUint32(20)];
  }
  for (let at = 2; at + 9 < bytes.length && bytes[at] === 0xff;) {
    const marker = bytes[at + 1];
    if (marker >= 0xc0 && marker <= 0xc2) return [view.getUint16(at + 7), view.getUint16(at + 5)];
    at += 2 + view.getUint16(at + 2);
  }
  return undefined;
}

function imageBytes(path: string, bytes: Uint8Array): AskedInput {
  if (!sniffImageType(bytes)) {
    throw new ApiError(
      400,
      5006,
      `AiError: Bad input: the image at '${path}' could not be decoded`,
    );
  }
  const size = pixelSize(bytes);
  return { field: path.slice(1), id: hashBytes(bytes), ...(size ? { size } : {}) };
}

function jsonAsk(spec: ImageModelSpec, body: unknown): ImageAsk {
  if (!isObject(body)) throw badInput(`Type mismatch of '/', '${typeName(body)}' not in 'object'`);
  const ask: ImageAsk = { prompt: checkPrompt(body.prompt), inputs: [] };
  if (typeof body.negative_prompt === "string") ask.negativePrompt = body.negative_prompt;
  if (body.image_b64 !== undefined) {
    if (typeof body.image_b64 !== "string") {
      throw badInput(
        `Type mismatch of '/image_b64', '${typeName(body.image_b64)}' not in 'string'`,
      );
    }
    let bytes: Uint8Array;
    try {
      bytes = Uint8Array.from(atob(body.image_b64), (c) => c.charCodeAt(0));
    } catch {
      throw new ApiError(400, 5004, "AiError: Invalid data type for base64 input: image_b64");
    }
    ask.inputs.push(imageBytes("/image_b64", bytes));
  }
  if (body.image !== undefined) {
    ask.inputs.push(imageBytes("/image", byteArray("/image", body.image)));
  }
  if (body.mask !== undefined) ask.inputs.push(imageBytes("/mask", byteArray("/mask", body.mask)));
  ask.width = body.width as number | undefined;
  ask.height = body.height as number | undefined;
  ask.seed = body.seed as number | undefined;
  ask.steps = (body[spec.stepsField] ?? body.num_steps) as number | undefined;
  return ask;
}

/** A number form field's value (its type and range were judged before), if it reads as one. */
function formNumber(text: string): number | undefined {
  const n = Number(text.trim());
  return text.trim() !== "" && Number.isFinite(n) ? n : undefined;
}

/** FLUX.2's form fields: prompt, up to four input images, and its numeric parameters. */
function formAsk(form: FormData): ImageAsk {
  const numeric = ["width", "height", "guidance", "seed", "steps"];
  const images = Array.from({ length: 4 }, (_, i) => `input_image_${i}`);
  const single = (name: string) => {
    const values = form.getAll(name);
    if (values.length > 1) throw badInput(`Field '/${name}' was sent ${values.length} times`);
    return values[0];
  };
  const prompt = single("prompt");
  if (prompt !== undefined && typeof prompt !== "string") {
    throw badInput("Type mismatch of '/prompt', 'binary' not in 'string'");
  }
  const ask: ImageAsk = { prompt: checkPrompt(prompt), inputs: [] };
  const values: Record<string, number | undefined> = {};
  for (const name of numeric) {
    const value = single(name);
    if (value === undefined) continue;
    if (typeof value !== "string") {
      throw badInput(`Type mismatch of '/${name}', 'binary' not in 'string'`);
    }
    values[name] = formNumber(value);
  }
  for (const name of images) {
    const value = single(name);
    if (value === undefined) continue;
    if (typeof value === "string" || value.size === 0) {
      throw badInput(`Field '/${name}' must be a binary image file`);
    }
    // A form's files cannot be read synchronously: they are told apart by name, type and size.
    ask.inputs.push({ field: name, id: `${value.name}:${value.type}:${value.size}` });
  }
  return {
    ...ask,
    width: values.width,
    height: values.height,
    seed: values.seed,
    steps: values.steps,
  };
}

/** What an image request asks for, or the 5006 the service would answer. */
export function parseImageRequest(spec: ImageModelSpec, body: TaskBody): ImageAsk {
  if (spec.request === "multipart") {
    // FLUX.2 takes multipart/form-data only, "even if you just have a prompt".
    if (body.kind !== "form") throw badInput("required properties at '/' are 'multipart'");
    return formAsk(body.form);
  }
  if (body.kind !== "json") throw badInput("Type mismatch of '/', 'string' not in 'object'");
  return jsonAsk(spec, body.value);
}
