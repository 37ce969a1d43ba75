/**
 * Public types of the Workers AI emulator.
 *
 * @module
 */

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
   * Whether `@cf/meta/llama-3.2-11b-vision-instruct` refuses requests (403,
   * code 5016) until a `{"prompt": "agree"}` request to it has been received,
   * as for an account that has not yet agreed to the Llama 3.2 license.
   * Default `false`.
   */
  requireLicenseAgreement?: boolean;
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
  /** The parsed JSON body, or `undefined` when there was none or it was not JSON. */
  body: unknown;
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
  /** A raw body instead of an envelope (e.g. an HTML 502 page). */
  body?: string;
  /** Content type of {@linkcode Fault.body}. Default `text/html`. */
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
  /** Queue a scripted fault. */
  fault(fault: Fault): void;
  /** Forget recorded requests, queued faults and `maxInFlight`. */
  reset(): void;
  /** Ends hung and streaming answers, closes every connection; resolves when the port is free. */
  close(): Promise<void>;
}
