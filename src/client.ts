/**
 * One call to Workers AI: URL, auth, AI Gateway headers, retries with backoff
 * and `Retry-After`, timeouts, the caller's abort, and the `env.AI` binding.
 * Every task family's runner goes through here; none builds URLs or parses
 * error envelopes itself.
 *
 * @module
 */
import { GenkitError } from "genkit";
import {
  type CloudflareErrorItem,
  envelopeErrors,
  httpStatusForCode,
  isRetryable,
  redact,
  workersAIError,
} from "./errors.ts";
import { isWorkersAIModelId } from "./model_ids.ts";
import { DONE, sseBatches } from "./sse.ts";

/** Where AI Gateway requests go unless `gateway.baseUrl` says otherwise. */
const DEFAULT_GATEWAY_URL = "https://gateway.ai.cloudflare.com/v1";

/**
 * Routes requests through Cloudflare AI Gateway.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type GatewayOptions } from "@x/cloudflare-ai";
 *
 * const gateway: GatewayOptions = {
 *   id: "my-gateway",
 *   cacheTtl: 3600, // answer repeated requests from the gateway cache for an hour
 *   metadata: { team: "search", user: 42 }, // shown in the gateway's logs
 * };
 * const ai = genkit({ plugins: [cloudflareAI({ gateway })] });
 * ```
 */
export interface GatewayOptions {
  /** The gateway's id (its name in the dashboard). */
  id: string;
  /**
   * The gateway's base URL.
   * @default {"https://gateway.ai.cloudflare.com/v1"}
   */
  baseUrl?: string;
  /** Cache responses for this many seconds (`cf-aig-cache-ttl`). */
  cacheTtl?: number;
  /** Bypass the gateway cache (`cf-aig-skip-cache: true`). */
  skipCache?: boolean;
  /** A custom cache key (`cf-aig-cache-key`). */
  cacheKey?: string;
  /** Custom metadata for the gateway logs (`cf-aig-metadata`, at most 5 entries). */
  metadata?: Record<string, string | number | boolean>;
  /** The token of an authenticated gateway (`cf-aig-authorization: Bearer <token>`). */
  authToken?: string;
}

/**
 * The part of a Workers AI binding (`env.AI` inside a Cloudflare Worker) that
 * this plugin uses.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { type AiBinding, cloudflareAI } from "@x/cloudflare-ai";
 *
 * export default {
 *   async fetch(request: Request, env: { AI: AiBinding }): Promise<Response> {
 *     const ai = genkit({ plugins: [cloudflareAI({ binding: env.AI })] }); // no account or token
 *     const model = cloudflareAI.model("@cf/meta/llama-3.1-8b-instruct-fast");
 *     return new Response((await ai.generate({ model, prompt: await request.text() })).text);
 *   },
 * };
 * ```
 */
export interface AiBinding {
  /** Runs a model; resolves to the result object, or a byte stream for streams and binary outputs. */
  run(model: string, inputs: unknown, options?: Record<string, unknown>): Promise<unknown>;
}

/** Settings of a {@link WorkersAIClient}. */
export interface ClientConfig {
  /** Cloudflare account id (not needed with a binding). */
  accountId?: string;
  /** API token (not needed with a binding). */
  apiToken?: string;
  /** REST API base URL. */
  baseUrl: string;
  /** AI Gateway routing, when set. */
  gateway?: GatewayOptions;
  /** The `fetch` to use. */
  fetch: typeof fetch;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Bound on the wait for headers and on each gap between stream events, in ms; 0 = none. */
  timeoutMs: number;
  /** Base of the exponential backoff, in ms. */
  retryDelayMs: number;
  /** A Workers AI binding; when set, requests go through it instead of `fetch`. */
  binding?: AiBinding;
}

/** Per-call options. */
export interface CallOptions {
  /** The caller's abort signal. */
  signal?: AbortSignal;
  /**
   * Streams: whether an event carries something the caller will see. Events
   * before the first one that does are held back, so that a stream cut after
   * only empty events (padding, empty deltas) is retried like a stream cut
   * before its first event. Default: every event does.
   */
  delivers?: (event: Record<string, unknown>) => boolean;
}

/** One item of a streamed answer. */
export type StreamItem =
  /** The parsed server-sent events that arrived in one network read. */
  | { type: "events"; data: Record<string, unknown>[] }
  /** The whole answer, when the server replied with JSON to a streaming request. */
  | { type: "result"; data: unknown };

/** The longest `Retry-After` the client waits out itself before giving up. */
const MAX_RETRY_AFTER_MS = 60_000;
/** The longest delay `setTimeout` honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_BACKOFF_MS = 8_000;

/** Marks an attempt that failed in a way that may succeed when tried again. */
class RetryableFailure {
  constructor(readonly error: GenkitError, readonly retryAfterMs?: number) {}
}

/**
 * In Cloudflare Workers a timer belongs to the request that created it and
 * stops with it: a timer shared by the requests of one Genkit instance would
 * stop timing out every later request. There, each deadline has its own
 * timer; elsewhere one interval per client watches every deadline, which
 * saves a timer per request (about 10 µs each, and 10 % of throughput at 64
 * requests in flight, measured by the benchmark suite).
 */
const TIMER_PER_REQUEST =
  (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ===
    "Cloudflare-Workers";

/**
 * One interval per client watches every deadline in flight. It checks every
 * tenth of the timeout (at most every second) and stops as soon as no
 * deadline is left.
 */
class Watchdog {
  readonly #live = new Set<Deadline>();
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #tickMs: number;
  constructor(timeoutMs: number) {
    this.#tickMs = Math.min(1000, Math.max(1, Math.floor(timeoutMs / 10)));
  }
  watch(deadline: Deadline): void {
    this.#live.add(deadline);
    if (this.#timer === undefined) {
      // Not unref'd: a live deadline belongs to a call someone awaits, and
      // the process must stay up to end it (a binding that never settles
      // holds no socket that would). The interval stops with the last deadline.
      this.#timer = setInterval(() => this.#sweep(), this.#tickMs);
    }
  }
  forget(deadline: Deadline): void {
    this.#live.delete(deadline);
    // Stop with the last deadline, so that no timer outlives the calls.
    if (this.#live.size === 0) this.#stop();
  }
  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
  #sweep(): void {
    const now = Date.now();
    for (const d of this.#live) {
      if (now >= d.due) {
        this.#live.delete(d);
        d.expire();
      }
    }
    if (this.#live.size === 0) this.#stop();
  }
}

/**
 * Aborts a request when no progress is made for `ms` milliseconds, or as soon
 * as the caller's signal aborts. `arm()` only moves the due time forward, so
 * a stream does not churn a timer per event.
 */
class Deadline {
  readonly controller: AbortController = new AbortController();
  expired = false;
  due = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #caller: AbortSignal | undefined;
  readonly #onAbort: (() => void) | undefined;
  constructor(readonly ms: number, readonly watchdog: Watchdog | undefined, caller?: AbortSignal) {
    if (caller) {
      this.#caller = caller;
      this.#onAbort = () => this.controller.abort(caller.reason);
      if (caller.aborted) this.controller.abort(caller.reason);
      else caller.addEventListener("abort", this.#onAbort, { once: true });
    }
  }
  arm(): void {
    if (this.ms <= 0) return;
    this.due = Date.now() + this.ms;
    if (this.watchdog) this.watchdog.watch(this);
    else if (this.#timer === undefined) this.#sleep(this.ms);
  }
  /** Own timer (Workers): when it fires early, it sleeps again for what is left. */
  #sleep(ms: number): void {
    // setTimeout fires at once for delays above 2^31-1 ms: sleep in steps.
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const left = this.due - Date.now();
      if (left > 0) this.#sleep(left);
      else this.expire();
    }, Math.min(ms, MAX_TIMER_MS));
  }
  expire(): void {
    this.expired = true;
    this.controller.abort(new DOMException("Workers AI did not answer in time", "TimeoutError"));
  }
  /** Stops the timer; the caller's signal still aborts the request. */
  stopTimer(): void {
    this.watchdog?.forget(this);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
  /** Stops the timer and lets go of the caller's signal. */
  clear(): void {
    this.stopTimer();
    if (this.#onAbort) this.#caller!.removeEventListener("abort", this.#onAbort);
  }
}

/**
 * A binding's result object, passed on as a successful response without a
 * JSON round trip (a batch of embeddings is megabytes of numbers).
 */
class BindingResult extends Response {
  constructor(readonly result: unknown) {
    super(null, { headers: { "content-type": "application/json" } });
  }
}

/** Talks to Workers AI over REST, AI Gateway or a binding. */
export class WorkersAIClient {
  readonly #config: ClientConfig;
  readonly #headers: Record<string, string>;
  readonly #secrets: readonly (string | undefined)[];
  readonly #watchdog: Watchdog | undefined;

  /** Creates a client; the configuration is not validated here (the plugin does that). */
  constructor(config: ClientConfig) {
    this.#config = config;
    this.#watchdog = TIMER_PER_REQUEST ? undefined : new Watchdog(config.timeoutMs);
    this.#secrets = [config.apiToken, config.gateway?.authToken];
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (config.apiToken) headers.authorization = `Bearer ${config.apiToken}`;
    const gw = config.gateway;
    if (gw) {
      if (gw.cacheTtl !== undefined) headers["cf-aig-cache-ttl"] = String(gw.cacheTtl);
      if (gw.skipCache) headers["cf-aig-skip-cache"] = "true";
      if (gw.cacheKey !== undefined) headers["cf-aig-cache-key"] = gw.cacheKey;
      if (gw.metadata !== undefined) headers["cf-aig-metadata"] = JSON.stringify(gw.metadata);
      if (gw.authToken !== undefined) headers["cf-aig-authorization"] = `Bearer ${gw.authToken}`;
    }
    this.#headers = headers;
  }

  /**
   * The URL a model request goes to. The account id, gateway id and base
   * URLs were checked when the plugin was made and the model id by its
   * grammar; the URL is parsed once more here, so that nothing can have
   * changed the path or added a query whatever reached this point.
   */
  runUrl(model: string): string {
    const { gateway, accountId, baseUrl } = this.#config;
    const base = gateway
      ? `${gateway.baseUrl ?? DEFAULT_GATEWAY_URL}/${accountId}/${gateway.id}/workers-ai`
      : `${baseUrl}/accounts/${accountId}/ai/run`;
    const text = `${base}/${model}`;
    const url = new URL(text);
    if (
      !isWorkersAIModelId(model) || url.search !== "" || url.hash !== "" ||
      url.href !== text || !url.pathname.endsWith(`/${model}`)
    ) {
      throw notAModelId(model);
    }
    return text;
  }

  /** Removes both tokens (API and gateway) from a text that is about to leave the plugin. */
  redact(text: string): string {
    return redact(text, this.#secrets);
  }

  /** Runs a model and returns the envelope's `result`. */
  async run(model: string, body: unknown, options: CallOptions = {}): Promise<unknown> {
    const { response, deadline } = await this.#send(model, body, options);
    try {
      return await this.#readResult(model, response);
    } catch (e) {
      throw this.#failure(model, e, options.signal, deadline);
    } finally {
      deadline.clear();
    }
  }

  /**
   * Runs a model with `stream: true` in `body` and yields its events. A stream
   * that ends before `[DONE]` raises `UNAVAILABLE`; a failure before the first
   * event is retried like any request.
   */
  async *stream(
    model: string,
    body: unknown,
    options: CallOptions = {},
  ): AsyncGenerator<StreamItem, void, undefined> {
    const delivers = options.delivers ?? (() => true);
    for (let attempt = 1;; attempt++) {
      const { response, deadline, attempts } = await this.#send(model, body, options, attempt);
      attempt = attempts;
      const type = response.headers.get("content-type") ?? "";
      if (!type.includes("text/event-stream")) {
        // Some models (gpt-oss on /ai/run) answer a streaming request with a
        // plain JSON result: pass it on whole rather than failing.
        try {
          yield { type: "result", data: await this.#readResult(model, response) };
          return;
        } catch (e) {
          throw this.#failure(model, e, options.signal, deadline);
        } finally {
          deadline.clear();
        }
      }
      const batches = sseBatches(response.body!);
      // Events are held back until one carries something for the caller.
      let held: Record<string, unknown>[] = [];
      let delivered = false;
      let retry: RetryableFailure | undefined;
      try {
        for (;;) {
          deadline.arm();
          const { value: batch, done } = await batches.next();
          if (done) {
            throw new GenkitError({
              status: "UNAVAILABLE",
              message:
                `Workers AI stream for ${model} ended before [DONE]: the answer is incomplete. ` +
                "The connection was cut; try again.",
              detail: { model },
            });
          }
          let failure: GenkitError | undefined;
          let finished = false;
          for (const value of batch) {
            if (value === DONE) {
              finished = true;
              break;
            }
            let data: Record<string, unknown>;
            try {
              data = JSON.parse(value);
            } catch {
              failure = new GenkitError({
                status: "INTERNAL",
                message: `Workers AI stream for ${model} sent an event that is not JSON: ${
                  cut(this.redact(value), 120)
                }`,
                detail: { model },
              });
              break;
            }
            if (!isPlainObject(data)) {
              failure = malformed(model, "a stream event that is not a JSON object");
              break;
            }
            const errors = envelopeErrors(data);
            if (errors) {
              // An error can arrive mid-stream as an event after partial content.
              failure = workersAIError({ model, httpStatus: 200, errors, secrets: this.#secrets });
              break;
            }
            held.push(data);
            if (!delivered && delivers(data)) delivered = true;
          }
          if (delivered && held.length > 0) {
            const events = held;
            held = [];
            yield { type: "events", data: events };
          }
          if (failure) throw failure;
          if (finished) {
            // A complete stream of only empty events is still the answer.
            if (held.length > 0) yield { type: "events", data: held };
            return;
          }
        }
      } catch (e) {
        const failure = this.#failure(model, e, options.signal, deadline);
        if (
          !delivered && attempt <= this.#config.maxRetries && mayRetryStreamFailure(e) &&
          !options.signal?.aborted && !deadline.expired
        ) {
          retry = new RetryableFailure(failure);
        } else {
          throw failure;
        }
      } finally {
        deadline.clear();
        batches.return(undefined).catch(() => {});
      }
      await this.#backoff(attempt, retry, options.signal, model);
    }
  }

  /** GETs a Cloudflare API path under the account (e.g. `ai/models/search?page=1`) and returns the parsed envelope. */
  async get(path: string, options: CallOptions = {}): Promise<Record<string, unknown>> {
    const url = `${this.#config.baseUrl}/accounts/${this.#config.accountId}/${path}`;
    const { response, deadline } = await this.#send("model catalog", undefined, options, 1, url);
    try {
      return (await response.json()) as Record<string, unknown>;
    } catch (e) {
      throw this.#failure("model catalog", e, options.signal, deadline);
    } finally {
      deadline.clear();
    }
  }

  /**
   * Sends a request, retrying what is retryable, and returns the first
   * successful response with its body unread.
   */
  async #send(
    model: string,
    body: unknown,
    options: CallOptions,
    firstAttempt = 1,
    url?: string,
  ): Promise<{ response: Response; deadline: Deadline; attempts: number }> {
    const { signal } = options;
    for (let attempt = firstAttempt;; attempt++) {
      if (signal?.aborted) throw cancelled(model);
      const deadline = new Deadline(this.#config.timeoutMs, this.#watchdog, signal);
      let outcome: Response | RetryableFailure;
      try {
        outcome = await this.#attempt(model, body, deadline, url);
      } catch (e) {
        deadline.clear();
        const failure = this.#failure(model, e, signal, deadline);
        if (e instanceof GenkitError || signal?.aborted || deadline.expired) throw failure;
        outcome = new RetryableFailure(failure);
      }
      if (outcome instanceof Response) return { response: outcome, deadline, attempts: attempt };
      deadline.clear();
      if (attempt > this.#config.maxRetries) throw withAttempts(outcome.error, attempt);
      await this.#backoff(attempt, outcome, signal, model);
    }
  }

  /** One HTTP (or binding) request; resolves to an OK response or a retryable failure. */
  async #attempt(
    model: string,
    body: unknown,
    deadline: Deadline,
    url?: string,
  ): Promise<Response | RetryableFailure> {
    const signal = deadline.controller.signal;
    deadline.arm();
    if (this.#config.binding && !url) {
      if (!isWorkersAIModelId(model)) throw notAModelId(model);
      return await this.#viaBinding(model, body, signal);
    }
    const response = await this.#config.fetch(url ?? this.runUrl(model), {
      method: body === undefined ? "GET" : "POST",
      headers: this.#headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    if (response.ok) return response;
    deadline.stopTimer();
    const text = await response.text().catch(() => "");
    const errors = parseErrors(text);
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    const error = workersAIError({
      model,
      httpStatus: response.status,
      errors,
      bodyText: errors ? undefined : text,
      retryAfterMs,
      secrets: this.#secrets,
    });
    if (!isRetryable(response.status, errors)) throw error;
    return new RetryableFailure(error, retryAfterMs);
  }

  /**
   * Runs through `env.AI` and presents the outcome as a response. The call is
   * raced against the deadline and the caller's abort (a binding may ignore
   * the signal it is given), and a stream it returns is cancelled when they fire.
   */
  async #viaBinding(
    model: string,
    body: unknown,
    signal: AbortSignal,
  ): Promise<Response | RetryableFailure> {
    const gw = this.#config.gateway;
    const options: Record<string, unknown> = { signal };
    if (gw) {
      options.gateway = {
        id: gw.id,
        skipCache: gw.skipCache,
        cacheTtl: gw.cacheTtl,
        cacheKey: gw.cacheKey,
        metadata: gw.metadata,
      };
    }
    let out: unknown;
    try {
      out = await untilAborted(this.#config.binding!.run(model, body, options), signal);
    } catch (e) {
      if (signal.aborted) throw e;
      const item = bindingError(e);
      const error = workersAIError({ model, errors: [item], secrets: this.#secrets });
      if (!isRetryable(httpStatusForCode(item.code), [item])) throw error;
      return new RetryableFailure(error);
    }
    if (out instanceof ReadableStream) {
      return new Response(cancelledWith(out, signal), {
        headers: { "content-type": "text/event-stream" },
      });
    }
    return new BindingResult(out);
  }

  async #readResult(model: string, response: Response): Promise<unknown> {
    let parsed: unknown;
    if (response instanceof BindingResult) {
      parsed = response.result;
    } else {
      const text = await response.text();
      try {
        parsed = JSON.parse(text);
      } catch {
        throw workersAIError({
          model,
          httpStatus: response.status,
          bodyText: `HTTP ${response.status} with a body that is not valid JSON: ${
            cut(this.redact(text), 200)
          }`,
          secrets: this.#secrets,
        });
      }
    }
    if (!isPlainObject(parsed)) {
      throw malformed(model, `${describe(parsed)} instead of a JSON object`);
    }
    const errors = envelopeErrors(parsed);
    if (errors) {
      // HTTP 200 with `success: false` is a failure too.
      const httpStatus = response instanceof BindingResult ? undefined : response.status;
      throw workersAIError({ model, httpStatus, errors, secrets: this.#secrets });
    }
    if (!("result" in parsed && "success" in parsed)) return parsed;
    const result = parsed.result;
    if (result === null || typeof result !== "object") {
      throw malformed(model, `an envelope whose result is ${describe(result)}`);
    }
    return result;
  }

  /** Turns any thrown value into the GenkitError the caller should see. */
  #failure(
    model: string,
    e: unknown,
    signal: AbortSignal | undefined,
    deadline: Deadline,
  ): GenkitError {
    if (signal?.aborted) return cancelled(model);
    if (deadline.expired) {
      return new GenkitError({
        status: "DEADLINE_EXCEEDED",
        message: `Workers AI did not answer for ${model} within timeoutMs (${deadline.ms} ms); ` +
          "the request was aborted. Raise timeoutMs for long answers, or stream them.",
        detail: { model, timeoutMs: deadline.ms },
      });
    }
    if (e instanceof GenkitError) return e;
    const message = e instanceof Error ? e.message : String(e);
    return new GenkitError({
      status: "UNAVAILABLE",
      message: `Could not reach Workers AI for ${model}: ${redact(message, this.#secrets)}. ` +
        "Check the network, baseUrl and gateway settings.",
      detail: { model },
    });
  }

  /** Waits before the next attempt: `Retry-After` when given, else full-jitter exponential backoff. */
  async #backoff(
    attempt: number,
    failure: RetryableFailure | undefined,
    signal: AbortSignal | undefined,
    model: string,
  ): Promise<void> {
    // timeoutMs bounds every single wait of a call, this one included: a
    // Retry-After longer than that is not waited out but reported at once.
    const { timeoutMs } = this.#config;
    const longest = Math.min(MAX_RETRY_AFTER_MS, timeoutMs > 0 ? timeoutMs : Infinity);
    let ms: number;
    if (failure?.retryAfterMs !== undefined) {
      if (failure.retryAfterMs > longest) throw withAttempts(failure.error, attempt);
      ms = failure.retryAfterMs;
    } else {
      const cap = Math.min(
        MAX_BACKOFF_MS,
        longest,
        this.#config.retryDelayMs * 2 ** (attempt - 1),
      );
      ms = Math.random() * cap;
    }
    await sleep(ms, signal, model);
  }
}

function cancelled(model: string): GenkitError {
  return new GenkitError({
    status: "CANCELLED",
    message: `The request to Workers AI for ${model} was cancelled by the caller.`,
    detail: { model },
  });
}

function notAModelId(model: string): GenkitError {
  return new GenkitError({
    status: "INVALID_ARGUMENT",
    message: `${JSON.stringify(model)} cannot be sent: it is not a Workers AI model id.`,
  });
}

function withAttempts(error: GenkitError, attempts: number): GenkitError {
  if (attempts <= 1) return error;
  const detail = { ...(error.detail as Record<string, unknown>), attempts };
  return new GenkitError({
    status: error.status,
    message: `${error.originalMessage} (gave up after ${attempts} attempts)`,
    detail,
    responseMetadata: error.responseMetadata,
  });
}

/**
 * Before its first event, a stream that broke off, failed on the network, or
 * reported a capacity error in-stream may be tried again.
 */
function mayRetryStreamFailure(e: unknown): boolean {
  if (!(e instanceof GenkitError)) return true;
  if (e.status === "UNAVAILABLE") return true;
  const errors = (e.detail as { errors?: CloudflareErrorItem[] } | undefined)?.errors ?? [];
  return isRetryable(e.status === "RESOURCE_EXHAUSTED" ? 429 : 0, errors);
}

function parseErrors(text: string): CloudflareErrorItem[] | undefined {
  if (!text.trimStart().startsWith("{")) return undefined;
  try {
    return envelopeErrors(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * The Cloudflare error a binding threw. Binding errors are `Error`s whose
 * message is `"<code>: <message>"`, sometimes after an error name
 * (`"InferenceUpstreamError: 3040: ..."`, reference §16); a code must open
 * the message, so "... after 30000: retry later" has none. A thrown object
 * with a numeric `code` keeps it.
 */
function bindingError(e: unknown): CloudflareErrorItem {
  const o = (e ?? {}) as { code?: unknown; message?: unknown };
  const message = typeof o.message === "string" ? o.message : String(e);
  const own = typeof o.code === "number" ? o.code : Number.NaN;
  if (Number.isInteger(own) && own > 0) return { code: own, message };
  const match = /^(?:[A-Za-z]*Error:\s*)*(\d{4,5}):\s*([\s\S]*)$/.exec(message);
  return match ? { code: Number(match[1]), message: match[2] } : { code: 0, message };
}

/** Resolves as `promise` does, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      // A result that arrives after the abort is let go of.
      promise.then((late) => {
        if (late instanceof ReadableStream) late.cancel().catch(() => {});
      }, () => {});
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** `source`, ended with the signal's reason (and cancelled) as soon as the signal aborts. */
function cancelledWith(
  source: ReadableStream<Uint8Array>,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let onAbort: (() => void) | undefined;
  const release = () => {
    if (onAbort) signal.removeEventListener("abort", onAbort);
    onAbort = undefined;
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      onAbort = () => {
        release();
        controller.error(signal.reason);
        reader.cancel(signal.reason).catch(() => {});
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    },
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (signal.aborted) return;
        if (done) {
          release();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (e) {
        release();
        if (!signal.aborted) controller.error(e);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** An answer of the wrong shape: INTERNAL, naming the model. */
function malformed(model: string, what: string): GenkitError {
  return new GenkitError({
    status: "INTERNAL",
    message: `Workers AI answered ${model} with ${what}: the answer is malformed. ` +
      "Try again; if it persists, the model's output format may have changed.",
    detail: { model },
  });
}

/** The first `max` characters of an already-redacted text. */
function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function sleep(ms: number, signal: AbortSignal | undefined, model: string): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled(model));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Internals for unit tests only; not part of the module's API. */
export const TEST_ONLY = { Deadline };
