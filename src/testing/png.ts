/**
 * A tiny PNG encoder for the emulator's image answers: 8-bit RGB, one IDAT
 * chunk of stored (uncompressed) deflate blocks, and a `tEXt` comment. The
 * files are valid PNGs any viewer opens, and their size follows the image's
 * (about 3 bytes a pixel), so a test can ask for an answer of a given size.
 *
 * @module
 */
import { concatBytes } from "./util.ts";

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG chunks use it) of `bytes`. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Adler-32 (the zlib checksum) of `bytes`. */
function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5552 is the most bytes that can be summed before the sums must be reduced.
  for (let i = 0; i < bytes.length; i += 5552) {
    const end = Math.min(bytes.length, i + 5552);
    for (let j = i; j < end; j++) {
      a += bytes[j];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A zlib stream of `data` in stored deflate blocks (no compression). */
function zlibStored(data: Uint8Array): Uint8Array {
  const MAX = 65535;
  const blocks = Math.max(1, Math.ceil(data.length / MAX));
  const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
  const view = new DataView(out.buffer);
  out[0] = 0x78; // deflate, 32 KiB window
  out[1] = 0x01; // no preset dictionary, fastest; (0x78 << 8 | 0x01) % 31 === 0
  let at = 2;
  for (let b = 0; b < blocks; b++) {
    const chunk = data.subarray(b * MAX, (b + 1) * MAX);
    out[at] = b === blocks - 1 ? 1 : 0; // BFINAL, BTYPE 00 (stored)
    view.setUint16(at + 1, chunk.length, true);
    view.setUint16(at + 3, ~chunk.length & 0xffff, true);
    out.set(chunk, at + 5);
    at += 5 + chunk.length;
  }
  view.setUint32(at, adler32(data));
  return out;
}

/** One PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** Latin-1 bytes of an ASCII text (what `tEXt` holds). */
function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

/** What {@link encodePng} draws. */
export interface PngImage {
  /** Width in pixels (at least 1). */
  width: number;
  /** Height in pixels (at least 1). */
  height: number;
  /** Fills row `y` with `width` RGB triples. */
  row(y: number, rgb: Uint8Array): void;
  /** An ASCII comment, stored as the `tEXt` chunk `Comment`. */
  comment?: string;
}

/** A PNG file of an 8-bit RGB image. */
export function encodePng(image: PngImage): Uint8Array<ArrayBuffer> {
  const { width, height } = image;
  const stride = 1 + 3 * width;
  const raw = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    // Each row opens with its filter type: 0, none.
    image.row(y, raw.subarray(y * stride + 1, (y + 1) * stride));
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, adaptive filtering, no interlace
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    ...(image.comment === undefined ? [] : [chunk("tEXt", latin1(`Comment\0${image.comment}`))]),
    chunk("IDAT", zlibStored(raw)),
    chunk("IEND", new Uint8Array()),
  ];
  return concatBytes(parts);
}
