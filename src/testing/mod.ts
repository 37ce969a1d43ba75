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
 * form) and image input (content parts or the `image` field).
 *
 * Every `/ai/run` request is judged by its model's input JSON Schema as
 * Cloudflare publishes it (the snapshot in `src/definitions/`), with
 * `@cfworker/json-schema`, before the model answers: field names, types,
 * ranges, enums, lengths and required fields. Raw bytes are judged as the
 * schema's binary string or its `audio` / `image` field (a query string as
 * the other fields), a FLUX.2 form as `{ multipart }` and its fields by their
 * documented table. Unknown top-level fields are refused, as the service
 * does. A violation answers as Workers AI does: HTTP 400,
 * `{ success: false, errors: [{ code: 5006, message: "AiError: Bad input:
 * Error: Value 9 at '/steps' is greater than maximum 8" }] }`, naming the
 * failing path. A model Cloudflare publishes no definition for answers 5007
 * "No such model". The few departures (JSON mode on the models Cloudflare's
 * JSON mode page lists, nemotron speech's input from `@cloudflare/workers-types`)
 * name their source. `startEmulator({ judge: "off" })` turns the judging off.
 *
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
 *
 * // A value past a published range is refused before the model answers.
 * const res = await fetch(
 *   `${emu.url}/accounts/${emu.accountId}/ai/run/@cf/black-forest-labs/flux-1-schnell`,
 *   { method: "POST", headers: { authorization: `Bearer ${emu.apiToken}` }, body: '{"prompt":"x","steps":9}' },
 * );
 * console.log(res.status, (await res.json()).errors[0].code); // 400 5006
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
export type { VectorizeEmulatorOptions, VectorizeIndexConfig } from "./vectorize.ts";
export type { QueueEmulatorOptions } from "./queue.ts";
export {
  type BindingVector,
  type FakeVectorizeBinding,
  type QueryResult,
  vectorizeBinding,
} from "./vectorize_binding.ts";
export {
  type AiSearchEmulatorOptions,
  type AiSearchItem,
  DEFAULT_AI_SEARCH_ITEMS,
} from "./aisearch.ts";
