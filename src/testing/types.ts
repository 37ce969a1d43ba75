/**
 * Public types of the Workers AI emulator.
 *
 * @module
 */

import type { AiSearchEmulatorOptions } from "./aisearch.ts";
import type { QueueEmulatorOptions } from "./queue.ts";
import type { VectorizeEmulatorOptions } from "./vectorize.ts";

/**
 * Options of {@linkcode startEmulator}.
 *
 * @example
 * ```ts
 * import { type EmulatorOptions, startEmulator } from "@x/cloudflare-ai/testing";
 *
 * const options: EmulatorOptions = {
 *   serviceTimeMs: (req) => (req.model?.includes("70b") ? 400 : 50), // big models answer slower
 *   streamEventDelayMs: 20,
 *   requireLicenseAgreement: true, // llama-3.2-11b-vision refuses (5016) until agreed to
 * };
 * await using emu = await startEmulator(options);
 * ```
 */
export interface EmulatorOptions {
  /** Account id expected in request paths. Default `"emulator-account"`. */
  accountId?: string;
  /** Bearer token every request must carry. Default `"emulator-token"`. */
  apiToken?: string;
  /** Interface to listen on. Default `"127.0.0.1"`. */
  hostname?: string;
  /** Port to listen on. Default `0`, a free port. */
  port?: number;
  /**
   * Milliseconds added before every model answer (`/ai/run`, the gateway and
   * `/ai/v1/*`), or a function of the recorded request giving them. Default `0`.
   */
  serviceTimeMs?: number | ((req: RecordedRequest) => number);
  /** Milliseconds between two server-sent events of a stream. Default `0`. */
  streamEventDelayMs?: number;
  /**
   * Milliseconds from a stream's headers to its first event, as a model's
   * time to first token (the events after it are {@linkcode streamEventDelayMs}
   * apart). Default `0`.
   */
  streamFirstEventDelayMs?: number;
  /**
   * Whether `@cf/meta/llama-3.2-11b-vision-instruct` refuses requests (403,
   * code 5016) until a `{"prompt": "agree"}` request to it has been received,
   * as for an account that has not yet agreed to the Llama 3.2 license.
   * Default `false`.
   */
  requireLicenseAgreement?: boolean;
  /**
   * Rate limits by Workers AI task name (`"Text Embeddings"`, `"Text
   * Generation"`, …), as Cloudflare enforces them per task type: at most
   * `requests` model requests per fixed window of `windowMs`; the others are
   * answered HTTP 429 with code 3040 and a `Retry-After` (whole seconds) until
   * the window ends, and counted in {@linkcode Emulator.rateLimited}. Scale
   * the window down for tests (Cloudflare's is a minute). Default: none.
   */
  rateLimits?: Readonly<Record<string, RateLimit>>;
  /** The Vectorize v2 service: indexes to start with, and the delay before writes apply. */
  vectorize?: VectorizeEmulatorOptions;
  /** The AI Search service: instances and their corpus. Default: one instance, `docs`. */
  aiSearch?: AiSearchEmulatorOptions;
  /**
   * The async batch queue (`?queueRequest=true`): how long a batch takes,
   * how long its results are kept, and which items fail.
   */
  queue?: QueueEmulatorOptions;
  /**
   * How `/ai/run` requests are judged. `"published"` (the default): each is
   * validated against its model's input JSON Schema as Cloudflare publishes
   * it, a violation answered HTTP 400 with code 5006 naming the failing path,
   * and a model without a published definition answered 5007. `"off"`: only
   * the tasks' own checks of what they need to answer.
   */
  judge?: "published" | "off";
  /**
   * The account's LoRA fine-tunes, as `GET /ai/finetunes` lists them
   * (`{ id, name, model, description?, created_at?, modified_at? }`). Default: none.
   */
  finetunes?: readonly Record<string, unknown>[];
}

/**
 * A request budget per window, for {@linkcode EmulatorOptions.rateLimits}.
 *
 * @example
 * ```ts
 * import { type RateLimit, startEmulator } from "@x/cloudflare-ai/testing";
 *
 * // Text Embeddings allows 3,000 requests a minute: the same, scaled to a second.
 * const embeddings: RateLimit = { requests: 50, windowMs: 1000 };
 * await using emu = await startEmulator({ rateLimits: { "Text Embeddings": embeddings } });
 * // ...embed a corpus, then:
 * console.log(emu.rateLimited); // requests answered 429 for being over budget
 * ```
 */
export interface RateLimit {
  /** Requests allowed per window. */
  requests: number;
  /** The window, in milliseconds. */
  windowMs: number;
}

/**
 * The route a request was sent to.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { type EmulatorRoute, startEmulator } from "@x/cloudflare-ai/testing";
 *
 * await using emu = await startEmulator();
 * const { accountId, apiToken } = emu;
 * const gateway = { id: "my-gateway", baseUrl: emu.gatewayUrl };
 * const ai = genkit({ plugins: [cloudflareAI({ accountId, apiToken, gateway })] });
 * await ai.generate({ model: cloudflareAI.model("@cf/qwen/qwq-32b"), prompt: "Hi" });
 * const routes: EmulatorRoute[] = emu.requests.map((r) => r.route); // ["gateway"]
 * ```
 */
export type EmulatorRoute =
  | "run"
  | "gateway"
  | "chat-completions"
  | "embeddings"
  | "models-search"
  | "vectorize"
  | "ai-search"
  | "tomarkdown"
  | "finetunes"
  | "other";

/**
 * One request the emulator received, recorded before faults and auth were applied.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { type RecordedRequest, startEmulator } from "@x/cloudflare-ai/testing";
 *
 * await using emu = await startEmulator();
 * const { url: baseUrl, accountId, apiToken } = emu;
 * const ai = genkit({ plugins: [cloudflareAI({ baseUrl, accountId, apiToken })] });
 * const model = cloudflareAI.model("@cf/meta/llama-3.1-8b-instruct-fast");
 * await ai.generate({ model, prompt: "Hi", config: { temperature: 0.1 } });
 * const { route, body }: RecordedRequest = emu.requests[0]; // "run", { messages, temperature }
 * ```
 */
export interface RecordedRequest {
  /** HTTP method. */
  method: string;
  /** Decoded URL pathname. */
  path: string;
  /** URL search string (with its leading `?`, or empty). */
  search: string;
  /** The route the request was sent to. */
  route: EmulatorRoute;
  /** The model id from the path (or from the body for `/ai/v1/*`). */
  model?: string;
  /** Request headers, with lower-case names. */
  headers: Record<string, string>;
  /**
   * The body's media type from `content-type`, lower case and without
   * parameters (`application/json`, `multipart/form-data`, `audio/mpeg`...);
   * absent when the request named none.
   *
   * The body is read as JSON when the type is absent, `application/json`
   * (or any `+json`), `text/plain` (what `fetch` sends for a string body) or
   * `application/x-www-form-urlencoded` (what `curl -d` sends); as a form for
   * `multipart/form-data`; as raw bytes for any other type.
   */
  contentType?: string;
  /** The parsed JSON body, or `undefined` when there was none or it was not JSON. */
  body: unknown;
  /** For a body not read as JSON (a form or raw bytes): its length in bytes. */
  bytes?: number;
  /**
   * For a `multipart/form-data` body: its fields by name, each a string or a
   * {@linkcode RecordedFile}; a name sent more than once has the array of its
   * values, in order.
   */
  form?: Record<string, RecordedFormField | RecordedFormField[]>;
  /** The HTTP status it was answered with, once answered. */
  status?: number;
  /**
   * Whether the answer was left incomplete because the client closed the
   * connection (while the emulator was waiting or mid-stream) or the emulator
   * was closed.
   */
  aborted: boolean;
}

/**
 * A file field of a recorded `multipart/form-data` body: what it was, not its bytes.
 *
 * @example
 * ```ts
 * import { type RecordedFile, startEmulator } from "@x/cloudflare-ai/testing";
 *
 * await using emu = await startEmulator();
 * const form = new FormData();
 * form.append("prompt", "a lighthouse at dusk");
 * form.append("input_image_0", new File([new Uint8Array(68)], "ref.png", { type: "image/png" }));
 * const model = "@cf/black-forest-labs/flux-2-klein-9b";
 * const url = `${emu.url}/accounts/${emu.accountId}/ai/run/${model}`;
 * const headers = { authorization: `Bearer ${emu.apiToken}` };
 * await (await fetch(url, { method: "POST", headers, body: form })).body?.cancel();
 * const image = emu.requests[0].form?.input_image_0 as RecordedFile;
 * // { type: "image/png", size: 68, name: "ref.png" }
 * ```
 */
export interface RecordedFile {
  /** The part's media type (empty when it named none). */
  type: string;
  /** Its size in bytes. */
  size: number;
  /** Its file name, when the part gave one. */
  name?: string;
}

/**
 * One field of a recorded `multipart/form-data` body: a string field's
 * value, or what a file field was.
 *
 * @example
 * ```ts
 * import type { RecordedFormField, RecordedRequest } from "@x/cloudflare-ai/testing";
 *
 * // The prompt a multipart image request sent, if it sent one as text.
 * function promptOf(req: RecordedRequest): string | undefined {
 *   const field: RecordedFormField | RecordedFormField[] | undefined = req.form?.prompt;
 *   return typeof field === "string" ? field : undefined;
 * }
 * ```
 */
export type RecordedFormField = string | RecordedFile;

/**
 * A scripted fault. Faults apply, in the order queued, to the next requests for
 * a model that match {@linkcode Fault.model}; each applies {@linkcode Fault.times}
 * times. A fault made only of stream modifiers (`cutAfterEvents`,
 * `errorAfterEvents`, `jsonForStream`, `crlf`) applies only to `stream: true`
 * requests.
 *
 * @example
 * ```ts
 * import { type Fault, startEmulator } from "@x/cloudflare-ai/testing";
 *
 * await using emu = await startEmulator();
 * // Out of capacity twice, then answered: the plugin's two default retries absorb it.
 * const capacity: Fault = { status: 429, code: 3040, retryAfter: 1, times: 2 };
 * emu.fault(capacity);
 * // Then a stream of this model cut after two events, without [DONE].
 * emu.fault({ model: "@cf/openai/gpt-oss-120b", cutAfterEvents: 2 });
 * // A binary answer: these bytes, with this content type.
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
 * const sdxl = "@cf/stabilityai/stable-diffusion-xl-base-1.0";
 * emu.fault({ model: sdxl, body: png, contentType: "image/png" });
 * ```
 */
export interface Fault {
  /** How many of the next matching requests it applies to. Default `1`. */
  times?: number;
  /** Only requests for this model id. Default: any model request. */
  model?: string;
  /** Answer with this HTTP status and a Cloudflare error envelope. */
  status?: number;
  /** Cloudflare error code in the envelope (default derived from the status). */
  code?: number;
  /** Envelope message (default: a realistic `AiError: ...` text for the code). */
  message?: string;
  /** Seconds, sent as a `Retry-After` header. */
  retryAfter?: number;
  /**
   * A raw body instead of an envelope: text (e.g. an HTML 502 page), or bytes
   * (e.g. a PNG image or an MP3 for a model answering binary media).
   */
  body?: string | Uint8Array;
  /**
   * Content type of {@linkcode Fault.body}. Default `text/html` for a string,
   * `application/octet-stream` for bytes.
   */
  contentType?: string;
  /** Wait this long before sending headers, then answer (normally, or per the other fields). */
  delayMs?: number;
  /** Never answer, until the client goes away or the emulator closes. */
  hang?: boolean;
  /** Streaming: send this many data events, then close the body without `[DONE]`. */
  cutAfterEvents?: number;
  /** Streaming: after this many data events send an in-stream error event, then end. */
  errorAfterEvents?: number;
  /** HTTP 200 with `content-type: application/json` and a body that is not valid JSON. */
  malformed?: boolean;
  /** A `stream: true` request gets the ordinary JSON answer instead of SSE. */
  jsonForStream?: boolean;
  /** Server-sent event lines end with `\r\n`. */
  crlf?: boolean;
  /** Write the body in network writes of at most this many bytes. */
  chunkBytes?: number;
  /**
   * The error message (of the envelope, or of the in-stream error event)
   * carries the request's headers, as a misbehaving upstream that echoes
   * them would: a check that no token leaks from an error.
   */
  echoHeaders?: boolean;
  /**
   * What the fault applies to: model requests, or the model search
   * (`/ai/models/search`). Default `"model"`.
   */
  target?: "model" | "models-search";
}

/**
 * A running emulator. Dispose of it (or call {@linkcode Emulator.close}) to stop it.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI } from "@x/cloudflare-ai";
 * import { type Emulator, startEmulator } from "@x/cloudflare-ai/testing";
 *
 * await using emu: Emulator = await startEmulator();
 * const { url: baseUrl, accountId, apiToken } = emu;
 * const ai = genkit({ plugins: [cloudflareAI({ baseUrl, accountId, apiToken })] });
 * const model = cloudflareAI.model("@cf/meta/llama-3.1-8b-instruct-fast");
 * const { text } = await ai.generate({ model, prompt: "Hi" }); // "Hello from ...! You said: Hi"
 * console.log(emu.requests.length, emu.maxInFlight); // 1 1
 * ```
 */
export interface Emulator extends AsyncDisposable {
  /** REST base URL, e.g. `http://127.0.0.1:PORT/client/v4`. */
  readonly url: string;
  /** AI Gateway base URL, e.g. `http://127.0.0.1:PORT/gateway/v1`. */
  readonly gatewayUrl: string;
  /** The account id it expects. */
  readonly accountId: string;
  /** The API token it expects. */
  readonly apiToken: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Model requests being answered now. */
  readonly inFlight: number;
  /** The most model requests ever in flight at once (since start or the last reset). */
  readonly maxInFlight: number;
  /** Model requests answered 429 by {@linkcode EmulatorOptions.rateLimits} (since start or the last reset). */
  readonly rateLimited: number;
  /** Queue a scripted fault. */
  fault(fault: Fault): void;
  /** Forget recorded requests, queued faults and `maxInFlight`. */
  reset(): void;
  /** Ends hung and streaming answers, closes every connection; resolves when the port is free. */
  close(): Promise<void>;
}
