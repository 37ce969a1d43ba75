/**
 * A local Cloudflare Workers AI emulator for testing offline.
 *
 * It speaks the Workers AI REST wire format: `/ai/run/{model}` for text
 * generation (both response families, with SSE streaming), embeddings,
 * reranking, translation, classification (bare arrays in `result`), object
 * detection, image-to-text, turn detection and image generation (binary PNG
 * and JPEG bodies, base64 JSON, FLUX.2's multipart form; small real images,
 * deterministic, made from their prompt, seed and input images);
 * `/ai/v1/chat/completions` and
 * `/ai/v1/embeddings`; the model search; the AI Gateway URL form; Bearer auth
 * and Cloudflare error envelopes.
 * Text models also do function calling (each model's tool-call shape, streamed
 * or not), JSON mode (`response_format` / `guided_json`, in each model's answer
 * form) and image input (content parts or the `image` field), each validated
 * per model the way the real schemas refuse what a model does not take.
 * Answers are deterministic, every request is recorded (JSON, multipart forms
 * and raw bytes told apart by their content type), and faults (error
 * statuses, delays, hangs, cut streams, malformed bodies, binary answers) can
 * be scripted.
 *
 * @example
 * ```ts
 * import { startEmulator } from "@x/cloudflare-ai/testing";
 *
 * await using emu = await startEmulator();
 * emu.fault({ status: 429, retryAfter: 1 }); // the first model request is rate limited
 * // Point the plugin at emu.url / emu.accountId / emu.apiToken, then inspect emu.requests.
 * ```
 *
 * @module
 */

export { startEmulator } from "./emulator.ts";
export type {
  Emulator,
  EmulatorOptions,
  EmulatorRoute,
  Fault,
  RateLimit,
  RecordedFile,
  RecordedFormField,
  RecordedRequest,
} from "./types.ts";
