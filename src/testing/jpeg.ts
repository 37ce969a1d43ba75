/**
 * A tiny baseline JPEG encoder for the emulator's JPEG answers: each 8×8
 * block is one flat colour, so only the DC coefficient of each block is
 * coded (every AC coefficient is zero, one end-of-block code). The files are
 * valid baseline JFIF images any viewer opens, with a `COM` segment carrying
 * a comment (what the answer was made from).
 *
 * @module
 */

/** JPEG's standard luminance DC Huffman table (ITU T.81, Annex K.3): code lengths of categories 0-11. */
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
/** A one-code AC table: the only AC symbol a flat block needs is end-of-block (0x00), coded "0". */
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/** Canonical Huffman codes `[code, length]` of symbols 0…n-1 from the count of codes per length. */
function canonicalCodes(bits: readonly number[]): [number, number][] {
  const codes: [number, number][] = [];
  let code = 0;
  bits.forEach((count, i) => {
    for (let k = 0; k < count; k++) codes.push([code++, i + 1]);
    code <<= 1;
  });
  return codes;
}

const DC_CODES = canonicalCodes(DC_BITS);

/** Writes bits most significant first, stuffing a zero byte after every 0xFF. */
class BitWriter {
  readonly bytes: number[] = [];
  #acc = 0;
  #count = 0;

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.#acc = (this.#acc << 1) | ((value >>> i) & 1);
      if (++this.#count === 8) this.#flush();
    }
  }

  #flush(): void {
    this.bytes.push(this.#acc);
    if (this.#acc === 0xff) this.bytes.push(0x00);
    this.#acc = 0;
    this.#count = 0;
  }

  /** Pads the last byte with 1 bits, as the standard asks. */
  finish(): number[] {
    while (this.#count !== 0) this.write(1, 1);
    return this.bytes;
  }
}

/** The magnitude category of a DC difference (the number of bits of its absolute value). */
function category(value: number): number {
  let v = Math.abs(value);
  let n = 0;
  while (v > 0) {
    n++;
    v >>= 1;
  }
  return n;
}

/** What {@link encodeJpeg} draws. */
export interface JpegImage {
  /** Width in pixels (1-65535). */
  width: number;
  /** Height in pixels (1-65535). */
  height: number;
  /** The RGB colour of the 8×8 block at column `bx`, row `by`. */
  block(bx: number, by: number): readonly [number, number, number];
  /** An ASCII comment, stored in a `COM` segment. */
  comment?: string;
}

function segment(marker: number, data: readonly number[]): number[] {
  const length = data.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...data];
}

/** A baseline JPEG (JFIF) file of an image made of flat 8×8 blocks. */
export function encodeJpeg(image: JpegImage): Uint8Array<ArrayBuffer> {
  const { width, height } = image;
  const cols = Math.ceil(width / 8);
  const rows = Math.ceil(height / 8);
  const bits = new BitWriter();
  const previous = [0, 0, 0];
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      const [r, g, b] = image.block(bx, by);
      const ycc = [
        0.299 * r + 0.587 * g + 0.114 * b,
        128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
        128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
      ];
      for (let c = 0; c < 3; c++) {
        // A flat block of level-shifted value s has the DC coefficient 8s (quantiser 1).
        const dc = Math.round(8 * (Math.min(255, Math.max(0, ycc[c])) - 128));
        const diff = dc - previous[c];
        previous[c] = dc;
        const cat = category(diff);
        const [code, length] = DC_CODES[cat];
        bits.write(code, length);
        if (cat > 0) bits.write(diff > 0 ? diff : diff + (1 << cat) - 1, cat);
        bits.write(0, 1); // end of block
      }
    }
  }
  const comment = image.comment === undefined
    ? []
    : segment(0xfe, Array.from(image.comment, (ch) => ch.charCodeAt(0) & 0xff));
  const out = [
    0xff,
    0xd8, // start of image
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // JFIF 1.1
    ...comment,
    ...segment(0xdb, [0, ...new Array(64).fill(1)]), // quantisation table 0: all ones
    ...segment(0xc0, [
      8,
      height >> 8,
      height & 0xff,
      width >> 8,
      width & 0xff,
      3,
      1,
      0x11,
      0,
      2,
      0x11,
      0,
      3,
      0x11,
      0, // Y, Cb, Cr: no subsampling, table 0
    ]),
    ...segment(0xc4, [
      0x00,
      ...DC_BITS,
      ...DC_CODES.map((_, i) => i), // DC table 0
      0x10,
      ...AC_BITS,
      0x00, // AC table 0
    ]),
    ...segment(0xda, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]),
    ...bits.finish(),
    0xff,
    0xd9, // end of image
  ];
  return Uint8Array.from(out);
}
