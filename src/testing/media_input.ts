/**
 * Media inputs of the emulated classification, detection, image-to-text and
 * turn-detection models: an image as the raw body or as `image: number[]`,
 * base64 audio, validated the way their schemas refuse what they do not
 * take, and a few facts told from the bytes (type, size in pixels, how the
 * audio ends) that make answers depend on the input.
 *
 * @module
 */

import { badInput } from "./errors.ts";
import type { TaskBody } from "./task_contract.ts";
import { hash32, isObject, typeName } from "./util.ts";
import { refuseExtraKeys } from "./validate.ts";

/** An array of byte values (`number[]`, each 0-255), as the image schemas take. */
export function byteArray(value: unknown, path: string): Uint8Array {
  if (!Array.isArray(value)) {
    throw badInput(`Type mismatch of '${path}', '${typeName(value)}' not in 'array'`);
  }
  const out = new Uint8Array(value.length);
  value.forEach((b, i) => {
    if (typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 255) {
      throw badInput(`Value ${JSON.stringify(b)} at '${path}/${i}' is not an unsigned 8-bit value`);
    }
    out[i] = b;
  });
  return out;
}

/**
 * The image of a request to a model taking the raw image as its body or
 * `{ image: number[] }` (ResNet-50, DETR): nothing else is allowed.
 */
export function rawOrArrayImage(body: TaskBody): Uint8Array {
  if (body.kind === "bytes") return body.bytes;
  if (body.kind === "form" || !isObject(body.value)) {
    throw badInput(
      "oneOf at '/' not met, 0 matches: Type mismatch of '/', not in 'binary', " +
        "Type mismatch of '/', not in 'object'",
    );
  }
  refuseExtraKeys(body.value, ["image"]);
  if (body.value.image === undefined) throw badInput("required properties at '/' are 'image'");
  return byteArray(body.value.image, "/image");
}

/** What the emulator tells of an image from its bytes. */
export interface ImageFacts {
  /** `png`, `jpeg`, `gif` or `webp`. */
  kind: string;
  /** Width in pixels (640 when the header does not say). */
  width: number;
  /** Height in pixels (480 when the header does not say). */
  height: number;
  /** A stable number of the bytes, for answers that depend on the image. */
  hash: number;
}

const u16be = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u16le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32be = (b: Uint8Array, i: number) =>
  ((b[i] << 24) | (b[i + 1] << 16) | u16be(b, i + 2)) >>> 0;

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  return sig.every((v, i) => b[at + i] === v);
}

/** The JPEG frame size, from its first start-of-frame marker. */
function jpegSize(b: Uint8Array): [number, number] | undefined {
  let i = 2;
  while (i + 9 < b.length && b[i] === 0xff) {
    const marker = b[i + 1];
    const length = u16be(b, i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return [u16be(b, i + 7), u16be(b, i + 5)];
    }
    i += 2 + length;
  }
  return undefined;
}

/**
 * The type and size of an image, refused with 5006 when the bytes are no
 * image (Workers AI's image models cannot decode them either).
 */
export function imageFacts(bytes: Uint8Array): ImageFacts {
  let kind: string;
  let size: [number, number] | undefined;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) {
    kind = "png";
    if (bytes.length >= 24) size = [u32be(bytes, 16), u32be(bytes, 20)];
  } else if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    kind = "jpeg";
    size = jpegSize(bytes);
  } else if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) {
    kind = "gif";
    if (bytes.length >= 10) size = [u16le(bytes, 6), u16le(bytes, 8)];
  } else if (
    startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)
  ) {
    kind = "webp";
  } else {
    throw badInput("the input could not be decoded as an image (PNG, JPEG, GIF or WebP)");
  }
  const [width, height] = size && size[0] > 0 && size[1] > 0 ? size : [640, 480];
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return { kind, width, height, hash: hash32(String(h)) };
}

/** Decodes a base64 string, or refuses it with 5006 naming `path`. */
export function base64Bytes(text: string, path: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text.replace(/\s+/g, ""));
  } catch {
    throw badInput(`String at '${path}' is not valid base64`);
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * The amplitudes of audio, for answers that depend on how it sounds: the
 * 16-bit samples of a PCM WAV file, otherwise every byte as an unsigned
 * 8-bit sample (raw PCM, or any other format).
 */
export function amplitudes(bytes: Uint8Array): number[] {
  const isWav = startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) &&
    startsWith(bytes, [0x57, 0x41, 0x56, 0x45], 8);
  if (isWav) {
    // Walk the chunks to "data"; 16-bit little-endian samples follow.
    let i = 12;
    while (i + 8 <= bytes.length) {
      const id = String.fromCharCode(...bytes.subarray(i, i + 4));
      const size = bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24);
      if (id === "data") {
        const end = Math.min(bytes.length, i + 8 + size);
        const out: number[] = [];
        for (let j = i + 8; j + 1 < end; j += 2) {
          out.push(Math.abs(((bytes[j] | (bytes[j + 1] << 8)) << 16) >> 16) / 32768);
        }
        return out;
      }
      i += 8 + size + (size % 2);
    }
    return [];
  }
  return Array.from(bytes, (b) => Math.abs(b - 128) / 128);
}
