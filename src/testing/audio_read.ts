/**
 * What the emulator's transcription "hears": the text that the emulator's
 * own speech carries (see `audio.ts`), and for any other audio a
 * deterministic sentence chosen by a hash of its bytes.
 *
 * @module
 */

import { TEXT_TAG } from "./audio.ts";

const decoder = new TextDecoder();

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

function le32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/** The `TXXX` {@link TEXT_TAG} value of an ID3v2.3/2.4 tag at the start. */
function fromId3(bytes: Uint8Array): string | undefined {
  if (ascii(bytes, 0, 3) !== "ID3") return undefined;
  const syncsafe = (at: number) =>
    (bytes[at] << 21) | (bytes[at + 1] << 14) | (bytes[at + 2] << 7) | bytes[at + 3];
  const end = Math.min(bytes.length, 10 + syncsafe(6));
  for (let at = 10; at + 10 <= end;) {
    const id = ascii(bytes, at, 4);
    const size = bytes[3] === 4
      ? syncsafe(at + 4)
      : (bytes[at + 4] << 24 | bytes[at + 5] << 16 | bytes[at + 6] << 8 | bytes[at + 7]) >>> 0;
    if (size === 0 || !/^[A-Z0-9]{4}$/.test(id)) return undefined;
    if (id === "TXXX") {
      const body = bytes.subarray(at + 11, at + 10 + size); // past the encoding byte
      const zero = body.indexOf(0);
      if (zero >= 0 && decoder.decode(body.subarray(0, zero)) === TEXT_TAG) {
        return decoder.decode(body.subarray(zero + 1));
      }
    }
    at += 10 + size;
  }
  return undefined;
}

/** The `LIST/INFO` comment (`ICMT`) of a RIFF/WAVE file. */
function fromWav(bytes: Uint8Array): string | undefined {
  if (ascii(bytes, 0, 4) !== "RIFF" || ascii(bytes, 8, 4) !== "WAVE") return undefined;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = ascii(bytes, at, 4);
    const size = le32(bytes, at + 4);
    if (id === "LIST" && ascii(bytes, at + 8, 4) === "INFO") {
      for (let sub = at + 12; sub + 8 <= at + 8 + size;) {
        const subSize = le32(bytes, sub + 4);
        if (ascii(bytes, sub, 4) === "ICMT") {
          return decoder.decode(bytes.subarray(sub + 8, sub + 8 + subSize)).replace(/\0+$/, "");
        }
        sub += 8 + subSize + (subSize % 2);
      }
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}

/** The {@link TEXT_TAG} comment of a Vorbis comment body found in the first few KB. */
function fromVorbisComment(bytes: Uint8Array): string | undefined {
  const head = ascii(bytes, 0, Math.min(bytes.length, 8192));
  const at = head.indexOf(`${TEXT_TAG}=`);
  if (at < 4) return undefined;
  const length = le32(bytes, at - 4);
  return decoder.decode(bytes.subarray(at + TEXT_TAG.length + 1, at + length));
}

/** The text carried by audio the emulator's speech models made, if the audio is such. */
export function spokenText(bytes: Uint8Array): string | undefined {
  const opens = ascii(bytes, 0, 4);
  if (opens.startsWith("ID3")) return fromId3(bytes);
  if (opens === "RIFF") return fromWav(bytes);
  if (opens === "fLaC" || opens === "OggS") return fromVorbisComment(bytes);
  return undefined;
}

const WORDS = [
  "the",
  "meeting",
  "starts",
  "at",
  "nine",
  "please",
  "bring",
  "your",
  "notes",
  "and",
  "a",
  "coffee",
  "we",
  "will",
  "review",
  "last",
  "week",
  "numbers",
  "together",
  "today",
];

/** A deterministic sentence for audio that carries no text, chosen by a hash of its bytes. */
export function heardText(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  // Every byte of a small file; an even sample of a large one (a 10 MB file stays fast).
  const step = Math.max(1, Math.floor(bytes.length / 65536));
  for (let i = 0; i < bytes.length; i += step) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  h = Math.imul(h ^ bytes.length, 0x01000193) >>> 0;
  const count = 5 + (h % 6);
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
    words.push(WORDS[h % WORDS.length]);
  }
  const sentence = words.join(" ");
  return `${sentence[0].toUpperCase()}${sentence.slice(1)}.`;
}
