/**
 * Image input: `image_url` content parts and the top-level `image` field,
 * decoded and summarised for the answer.
 *
 * @module
 */

import { badInput } from "./errors.ts";
import { isObject, typeName } from "./util.ts";

/** One image of a request. */
export interface ImageInfo {
  /** Media type (from the data URL, or sniffed from the bytes). */
  mime: string;
  /** Decoded size in bytes. */
  bytes: number;
}

const DATA_URL = /^data:(image\/(?:png|jpeg|webp|gif));base64,([A-Za-z0-9+/]+={0,2})$/;

function notDataUrl(at: string) {
  return badInput(
    `String at '${at}' does not match pattern '^data:': image uri with data ` +
      "(e.g. data:image/jpeg;base64,/9j/...). HTTP URL will not be accepted",
  );
}

/** Decodes a `data:image/<png|jpeg|webp|gif>;base64,...` URL, or throws 5006. */
function parseDataUrl(url: unknown, at: string): ImageInfo {
  if (typeof url !== "string") {
    throw badInput(`Type mismatch of '${at}', '${typeName(url)}' not in 'string'`);
  }
  const m = DATA_URL.exec(url);
  if (!m) throw notDataUrl(at);
  let bytes: number;
  try {
    bytes = atob(m[2]).length;
  } catch {
    throw notDataUrl(at);
  }
  return { mime: m[1], bytes };
}

function sniff(bytes: number[]): string {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.slice(8, 12)) === "WEBP") {
    return "image/webp";
  }
  return "application/octet-stream";
}

/** Validates the top-level `image` (a data URL or an array of byte values). */
export function parseImageField(image: unknown): ImageInfo {
  if (typeof image === "string") return parseDataUrl(image, "/image");
  if (!Array.isArray(image)) {
    throw badInput(
      `oneOf at '/image' not met, 0 matches: Type mismatch of '/image', '${
        typeName(image)
      }' not in 'array', Type mismatch of '/image', '${typeName(image)}' not in 'string'`,
    );
  }
  if (image.length === 0) throw badInput("Array at '/image' has fewer items than minItems 1");
  image.forEach((b, i) => {
    if (typeof b !== "number" || !Number.isInteger(b)) {
      throw badInput(
        `Type mismatch of '/image/${i}', '${typeof b === "number" ? "number" : typeName(b)}' ` +
          "not in 'integer'",
      );
    }
    if (b < 0) throw badInput(`Value ${b} at '/image/${i}' is less than minimum 0`);
    if (b > 255) throw badInput(`Value ${b} at '/image/${i}' is greater than maximum 255`);
  });
  return { mime: sniff(image as number[]), bytes: image.length };
}

function isImagePart(part: unknown): part is Record<string, unknown> {
  return isObject(part) && (part.type === "image_url" || part.image_url !== undefined);
}

/**
 * The images in message contents, in order. Whether the model takes image
 * parts at all is its published schema's to say (a string-only `content`).
 */
export function messageImages(messages: Record<string, unknown>[]): ImageInfo[] {
  const images: ImageInfo[] = [];
  messages.forEach((m, i) => {
    const c = m.content;
    const parts = Array.isArray(c) ? c : isObject(c) ? [c] : [];
    parts.forEach((part, j) => {
      if (!isImagePart(part)) return;
      const at = Array.isArray(c) ? `/messages/${i}/content/${j}` : `/messages/${i}/content`;
      if (part.image_url === undefined) {
        throw badInput(`required properties at '${at}' are 'type', 'image_url'`);
      }
      if (!isObject(part.image_url)) {
        throw badInput(
          `Type mismatch of '${at}/image_url', '${typeName(part.image_url)}' not in 'object'`,
        );
      }
      images.push(parseDataUrl(part.image_url.url, `${at}/image_url/url`));
    });
  });
  return images;
}

/** The answer suffix naming the images seen: ` [saw N image(s): image/png 68 bytes, ...]`. */
export function imageSuffix(images: ImageInfo[]): string {
  if (images.length === 0) return "";
  return ` [saw ${images.length} image(s): ${
    images.map((im) => `${im.mime} ${im.bytes} bytes`).join(", ")
  }]`;
}
