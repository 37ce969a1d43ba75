/**
 * Audio the emulator's text-to-speech models answer: a short deterministic
 * tone that a player opens, in each format the models make (WAV, raw PCM,
 * mu-law and A-law, FLAC, MP3, AAC, Ogg Opus), carrying the text it "says"
 * where the format has room for it (an ID3 `TXXX` frame, a RIFF `LIST/INFO`
 * comment, a Vorbis comment), so that the emulator's transcription of its
 * own speech gives the text back (see `audio_read.ts`).
 *
 * @module
 */

import { concatBytes } from "./util.ts";
import { AAC_TONE, MP3_TONE, OPUS_GRANULES, OPUS_PRE_SKIP, OPUS_TONE } from "./audio_clips.ts";

/** The ID3 `TXXX` description and Vorbis comment key the spoken text is kept under. */
export const TEXT_TAG = "CLOUDFLARE_AI_EMULATOR_TEXT";

const encoder = new TextEncoder();

function decode64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Little-endian (`le`) or big-endian integer bytes. */
function int(value: number, bytes: number, le = true): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) {
    const shift = 8 * (le ? i : bytes - 1 - i);
    out[i] = Math.floor(value / 2 ** shift) & 0xff;
  }
  return out;
}

/** A quarter of a second of a 440 Hz tone at `rate`, 16-bit, fading in and out. */
export function tone(rate: number, seconds = 0.25): Int16Array {
  const n = Math.round(rate * seconds);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const fade = Math.min(1, i / (rate * 0.01), (n - i) / (rate * 0.01));
    out[i] = Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 9000 * fade);
  }
  return out;
}

/** G.711 mu-law of one 16-bit sample. */
function muLaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let s = Math.min(Math.abs(sample), 32635) + 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  s = ~(sign | (exponent << 4) | mantissa);
  return s & 0xff;
}

/** G.711 A-law of one 16-bit sample. */
function aLaw(sample: number): number {
  const sign = sample >= 0 ? 0x80 : 0;
  const s = Math.min(Math.abs(sample), 32767) >> 3;
  let code: number;
  if (s < 32) {
    code = s >> 1;
  } else {
    let exponent = 1;
    while (s >> (exponent + 4) > 1 && exponent < 7) exponent++;
    code = (exponent << 4) | ((s >> exponent) & 0x0f);
  }
  return (sign | code) ^ 0x55;
}

/** The sample encodings of WAV and raw answers. */
export type SampleFormat = "linear16" | "mulaw" | "alaw";

/** Samples as bytes: 16-bit little-endian PCM, or 8-bit mu-law / A-law. */
export function sampleBytes(samples: Int16Array, format: SampleFormat): Uint8Array<ArrayBuffer> {
  if (format === "linear16") {
    const out = new Uint8Array(samples.length * 2);
    const view = new DataView(out.buffer);
    samples.forEach((s, i) => view.setInt16(i * 2, s, true));
    return out;
  }
  const law = format === "mulaw" ? muLaw : aLaw;
  return Uint8Array.from(samples, (s) => law(s));
}

/** One RIFF chunk, padded to an even length. */
function chunk(id: string, body: Uint8Array): Uint8Array {
  const pad = body.length % 2 === 1 ? [new Uint8Array(1)] : [];
  return concatBytes([encoder.encode(id), int(body.length, 4), body, ...pad]);
}

/** A WAV file of `samples` whose `LIST/INFO` comment (`ICMT`) is `text`. */
export function wav(samples: Int16Array, rate: number, format: SampleFormat, text: string) {
  const width = format === "linear16" ? 2 : 1;
  const tag = format === "linear16" ? 1 : format === "alaw" ? 6 : 7;
  const fmt = concatBytes([
    int(tag, 2),
    int(1, 2),
    int(rate, 4),
    int(rate * width, 4),
    int(width, 2),
    int(8 * width, 2),
    // Formats other than PCM carry an (empty) extension size and a `fact` chunk.
    ...(tag === 1 ? [] : [int(0, 2)]),
  ]);
  const info = chunk(
    "LIST",
    concatBytes([encoder.encode("INFO"), chunk("ICMT", encoder.encode(`${text}\0`))]),
  );
  const fact = tag === 1 ? [] : [chunk("fact", int(samples.length, 4))];
  const body = concatBytes([
    encoder.encode("WAVE"),
    chunk("fmt ", fmt),
    ...fact,
    info,
    chunk("data", sampleBytes(samples, format)),
  ]);
  return concatBytes([encoder.encode("RIFF"), int(body.length, 4), body]);
}

/** An ID3v2.4 tag whose `TXXX` frame {@link TEXT_TAG} holds `text`. */
export function id3(text: string): Uint8Array<ArrayBuffer> {
  const value = concatBytes([
    new Uint8Array([3]),
    encoder.encode(TEXT_TAG),
    new Uint8Array([0]),
    encoder.encode(text),
  ]);
  const syncsafe = (n: number) =>
    new Uint8Array([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
  const frame = concatBytes([
    encoder.encode("TXXX"),
    syncsafe(value.length),
    new Uint8Array(2),
    value,
  ]);
  return concatBytes([
    encoder.encode("ID3"),
    new Uint8Array([4, 0, 0]),
    syncsafe(frame.length),
    frame,
  ]);
}

/** An MP3 file: the ID3 tag holding `text`, then the fixed tone's frames. */
export function mp3(text: string): Uint8Array<ArrayBuffer> {
  return concatBytes([id3(text), decode64(MP3_TONE)]);
}

/** An AAC (ADTS) file: the ID3 tag holding `text`, then the fixed tone's frames. */
export function aac(text: string): Uint8Array<ArrayBuffer> {
  return concatBytes([id3(text), decode64(AAC_TONE)]);
}

/** A Vorbis comment block body (FLAC's, and OpusTags' after its magic) holding `text`. */
function vorbisComment(text: string): Uint8Array {
  const vendor = encoder.encode("Workers AI emulator");
  const comment = encoder.encode(`${TEXT_TAG}=${text}`);
  return concatBytes([int(vendor.length, 4), vendor, int(1, 4), int(comment.length, 4), comment]);
}

/** CRC of `bytes`, MSB first, with polynomial `poly` of `width` (8, 16 or 32) bits, no reflection. */
function crc(bytes: Uint8Array, poly: number, width: 8 | 16 | 32): number {
  const top = 1 << (width - 1);
  const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
  let c = 0;
  for (const b of bytes) {
    c ^= b << (width - 8);
    for (let i = 0; i < 8; i++) c = (c & top) !== 0 ? (c << 1) ^ poly : c << 1;
    c &= mask;
  }
  return c >>> 0;
}

/** 16-bit big-endian samples (FLAC's verbatim subframes). */
function pcm16be(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  samples.forEach((s, i) => view.setInt16(i * 2, s, false));
  return out;
}

/** A FLAC file of `samples` (16-bit, mono, verbatim subframes) with a Vorbis comment holding `text`. */
export function flac(samples: Int16Array, rate: number, text: string): Uint8Array<ArrayBuffer> {
  const block = 4096;
  const info = new Uint8Array(34);
  info.set(int(block, 2, false), 0);
  info.set(int(block, 2, false), 2);
  // Sample rate (20 bits), channels - 1 (3 bits), bits per sample - 1 (5 bits), total samples (36 bits).
  info[10] = (rate >> 12) & 0xff;
  info[11] = (rate >> 4) & 0xff;
  info[12] = ((rate & 0x0f) << 4) | (0 << 1) | (15 >> 4);
  info[13] = ((15 & 0x0f) << 4) | (Math.floor(samples.length / 2 ** 32) & 0x0f);
  info.set(int(samples.length >>> 0, 4, false), 14);
  const comment = vorbisComment(text);
  const head = (last: boolean, type: number, length: number) =>
    concatBytes([new Uint8Array([(last ? 0x80 : 0) | type]), int(length, 3, false)]);
  const frames: Uint8Array[] = [];
  for (let n = 0, at = 0; at < samples.length; n++, at += block) {
    const part = samples.subarray(at, at + block);
    // Fixed block size, block size in 16 bits at the end, rates and sizes from STREAMINFO (0),
    // mono, 16 bits; frame number n < 128 in one UTF-8 byte.
    const header = concatBytes([
      new Uint8Array([0xff, 0xf8, 0x70, 0x08, n]),
      int(part.length - 1, 2, false),
    ]);
    const withCrc8 = concatBytes([header, new Uint8Array([crc(header, 0x07, 8)])]);
    const frame = concatBytes([withCrc8, new Uint8Array([0x02]), pcm16be(part)]);
    frames.push(concatBytes([frame, int(crc(frame, 0x8005, 16), 2, false)]));
  }
  return concatBytes([
    encoder.encode("fLaC"),
    head(false, 0, info.length),
    info,
    head(true, 4, comment.length),
    comment,
    ...frames,
  ]);
}

/** One Ogg page holding `packets` whole. */
function oggPage(
  packets: readonly Uint8Array[],
  flags: number,
  granule: number,
  sequence: number,
): Uint8Array {
  const lacing: number[] = [];
  for (const p of packets) {
    for (let left = p.length;; left -= 255) {
      lacing.push(Math.min(left, 255));
      if (left < 255) break;
    }
  }
  const page = concatBytes([
    encoder.encode("OggS"),
    new Uint8Array([0, flags]),
    int(granule, 8),
    int(0x454d5531, 4), // stream serial number
    int(sequence, 4),
    new Uint8Array(4), // CRC, filled in below
    new Uint8Array([lacing.length, ...lacing]),
    ...packets,
  ]);
  page.set(int(crc(page, 0x04c11db7, 32), 4), 22);
  return page;
}

/** An Ogg Opus file of the fixed tone whose `OpusTags` comment holds `text`. */
export function oggOpus(text: string): Uint8Array<ArrayBuffer> {
  const head = concatBytes([
    encoder.encode("OpusHead"),
    new Uint8Array([1, 1]),
    int(OPUS_PRE_SKIP, 2),
    int(48000, 4),
    new Uint8Array(3),
  ]);
  const tags = concatBytes([encoder.encode("OpusTags"), vorbisComment(text)]);
  const all = decode64(OPUS_TONE);
  const packets: Uint8Array[] = [];
  for (let at = 0; at < all.length; at += 1 + all[at]) {
    packets.push(all.subarray(at + 1, at + 1 + all[at]));
  }
  return concatBytes([
    oggPage([head], 0x02, 0, 0),
    oggPage([tags], 0, 0, 1),
    oggPage(packets, 0x04, OPUS_GRANULES, 2),
  ]);
}
