/**
 * Bytes as base64 and as `data:` URLs, and back: the one place the module
 * encodes and decodes them (media in prompts, media in answers, base64
 * request fields).
 *
 * @module
 */

/** base64 of bytes: the native encoder where there is one, else in chunks. */
export function base64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (typeof native === "function") return native.call(bytes);
  // Chunks of a multiple of 3 bytes encode to base64 that concatenates without padding.
  const CHUNK = 3 * 0x2000;
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const chunk = bytes.subarray(i, i + CHUNK);
    parts.push(btoa(String.fromCharCode(...chunk)));
  }
  return parts.join("");
}

/** The length of the base64 text of `bytes` bytes. */
export function base64Size(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/**
 * The bytes of a base64 string (a `data:` URL's, an answer's `image` or
 * `audio` field); ASCII whitespace is skipped. Decoded once, with no copy of
 * the text: the native decoder where there is one (V8 13.x: Deno, Workers),
 * `atob` otherwise (Node 20), which skips ASCII whitespace itself.
 */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const native = (Uint8Array as { fromBase64?: (s: string) => Uint8Array<ArrayBuffer> })
    .fromBase64;
  if (typeof native === "function") return native.call(Uint8Array, text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A `data:` URL of bytes. */
export function dataUrl(bytes: Uint8Array, contentType: string): string {
  return `data:${contentType};base64,${base64(bytes)}`;
}
