// Shared by the tests of the single-answer task families (translation,
// classification, detection, image-to-text, turn detection): sample media,
// a fake Workers AI binding served by the emulator, and a genkit() on it.
import { genkit } from "genkit";
import { type AiBinding, cloudflareAI, type CloudflareAIOptions } from "../mod.ts";
import { base64 } from "../src/base64.ts";
import type { Emulator } from "../src/testing/mod.ts";

/** A 1x1 PNG (70 bytes). */
export const PNG_B64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
export const PNG_URL = `data:image/png;base64,${PNG_B64}`;
export const PNG_BYTES = Uint8Array.from(atob(PNG_B64), (c) => c.charCodeAt(0));

/** The signature and header of a PNG of the given size (what the emulator reads of it). */
export function pngHeader(width: number, height: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(33);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(out.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  out.set([8, 2, 0, 0, 0], 24);
  return out;
}

export const dataUrlOf = (bytes: Uint8Array, type: string) =>
  `data:${type};base64,${base64(bytes)}`;

/**
 * A 16-bit mono PCM WAV of `seconds` at 16 kHz: a 220 Hz tone, silent for the
 * last `silentTail` of it (0 to 1).
 */
export function wav(seconds: number, silentTail: number): Uint8Array<ArrayBuffer> {
  const rate = 16_000;
  const n = Math.round(rate * seconds);
  const out = new Uint8Array(44 + 2 * n);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) =>
    [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  v.setUint32(4, 36 + 2 * n, true);
  ascii(8, "WAVEfmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, 2 * rate, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, "data");
  v.setUint32(40, 2 * n, true);
  const loudUntil = Math.round(n * (1 - silentTail));
  for (let i = 0; i < loudUntil; i++) {
    v.setInt16(44 + 2 * i, Math.round(Math.sin((2 * Math.PI * 220 * i) / rate) * 8000), true);
  }
  return out;
}

/** One call the fake binding received. */
export interface BindingCall {
  model: string;
  inputs: unknown;
  options: Record<string, unknown>;
}

/**
 * A stand-in for `env.AI` that serves from the emulator the way the Workers
 * binding behaves: it takes the inputs `env.AI.run` takes (an audio stream as
 * `{ body, contentType }` is read and sent on as base64, the way the emulator
 * takes it over REST), resolves to the result itself (a bare array for
 * classification and detection), and throws `"<code>: <message>"` errors.
 */
export function fakeBinding(emu: Emulator): { binding: AiBinding; calls: BindingCall[] } {
  const calls: BindingCall[] = [];
  const binding: AiBinding = {
    async run(model, inputs, options = {}) {
      calls.push({ model, inputs, options });
      let body = inputs as Record<string, unknown>;
      const audio = body.audio as { body?: unknown; contentType?: string } | undefined;
      if (audio?.body instanceof ReadableStream) {
        const bytes = new Uint8Array(await new Response(audio.body).arrayBuffer());
        body = { ...body, audio: base64(bytes) };
      }
      const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${model}`, {
        method: "POST",
        headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: options.signal as AbortSignal | undefined,
      });
      const json = await res.json();
      if (!json.success) {
        const [e] = json.errors;
        throw new Error(`InferenceUpstreamError: ${e.code}: ${e.message}`);
      }
      return json.result;
    },
  };
  return { binding, calls };
}

/** A genkit() whose plugin talks to the emulator through a fake binding. */
export function bindingApp(emu: Emulator, options: Partial<CloudflareAIOptions> = {}) {
  const { binding, calls } = fakeBinding(emu);
  const ai = genkit({
    promptDir: null,
    plugins: [cloudflareAI({ binding, retryDelayMs: 1, ...options })],
  });
  return { ai, calls };
}

/** A fetch that serves `https://media.example/<name>` from `files` and passes anything else on. */
export function mediaHost(files: Record<string, [Uint8Array, string]>): {
  fetch: typeof fetch;
  asked: string[];
} {
  const asked: string[] = [];
  const hostFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname !== "media.example") return fetch(input, init);
    asked.push(url.pathname);
    const file = files[url.pathname.slice(1)];
    if (!file) return Promise.resolve(new Response("not found", { status: 404 }));
    const [bytes, type] = file;
    return Promise.resolve(new Response(bytes.slice(), { headers: { "content-type": type } }));
  };
  return { fetch: hostFetch, asked };
}
