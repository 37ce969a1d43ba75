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
  isRetryable,
  redact,
  workersAIError,
} from "./errors.ts";
import { DONE, sseBatches } from "./sse.ts";

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
}

/** One item of a streamed answer. */
export type StreamItem =
  /** The parsed server-sent events that arrived in one network read. */
  | { type: "events"; data: Record<string, unknown>[] }
  /** The whole answer, when the server replied with JSON to a streaming request. */
  | { type: "result"; data: unknown };

/** The longest `Retry-After` the client waits out itself before giving up. */
const MAX_RETRY_AFTER_MS = 60_000;
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
 * tenth of the timeout (at most every second), stops when no deadline is
 * left, and never keeps the process alive by itself.
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
      this.#timer = setInterval(() => this.#sweep(), this.#tickMs);
      (this.#timer as { unref?: () => void }).unref?.();
    }
  }
  forget(deadline: Deadline): void {
    this.#live.delete(deadline);
  }
  #sweep(): void {
    const now = Date.now();
    for (const d of this.#live) {
      if (now >= d.due) {
        this.#live.delete(d);
        d.expire();
      }
    }
    if (this.#live.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
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
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const left = this.due - Date.now();
      if (left > 0) this.#sleep(left);
      else this.expire();
    }, ms);
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

  /** The URL a model request goes to. */
  runUrl(model: string): string {
    const { gateway, accountId, baseUrl } = this.#config;
    if (gateway) {
      const base = gateway.baseUrl ?? "https://gateway.ai.cloudflare.com/v1";
      return `${base}/${accountId}/${gateway.id}/workers-ai/${model}`;
    }
    return `${baseUrl}/accounts/${accountId}/ai/run/${model}`;
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
          const events: Record<string, unknown>[] = [];
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
                  redact(value.slice(0, 120), this.#secrets)
                }`,
                detail: { model },
              });
              break;
            }
            const errors = envelopeErrors(data);
            if (errors) {
              // An error can arrive mid-stream as an event after partial content.
              failure = workersAIError({ model, httpStatus: 200, errors, secrets: this.#secrets });
              break;
            }
            events.push(data);
          }
          if (events.length > 0) {
            delivered = true;
            yield { type: "events", data: events };
          }
          if (failure) throw failure;
          if (finished) return;
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
    const response = this.#config.binding && !url
      ? await this.#viaBinding(model, body, signal)
      : await this.#config.fetch(url ?? this.runUrl(model), {
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

  /** Runs through `env.AI` and presents the outcome as an HTTP response. */
  async #viaBinding(model: string, body: unknown, signal: AbortSignal): Promise<Response> {
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
    try {
      const out = await this.#config.binding!.run(model, body, options);
      if (out instanceof ReadableStream) {
        return new Response(out, { headers: { "content-type": "text/event-stream" } });
      }
      return new BindingResult(out);
    } catch (e) {
      if (signal.aborted) throw e;
      // Binding errors are thrown as "<code>: <message>", sometimes prefixed
      // ("InferenceUpstreamError: 3040: ...").
      const message = e instanceof Error ? e.message : String(e);
      const match = /(\d{4,5}):\s*(.*)$/s.exec(message);
      const code = match ? Number(match[1]) : 0;
      const errors = [{ code, message: match ? match[2] : message }];
      return Response.json({ result: null, success: false, errors, messages: [] }, {
        status: bindingHttpStatus(code),
      });
    }
  }

  async #readResult(model: string, response: Response): Promise<unknown> {
    if (response instanceof BindingResult) return response.result;
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw workersAIError({
        model,
        httpStatus: response.status,
        bodyText: `HTTP ${response.status} with a body that is not valid JSON: ${
          text.slice(0, 200)
        }`,
        secrets: this.#secrets,
      });
    }
    const errors = envelopeErrors(parsed);
    if (errors) {
      // HTTP 200 with `success: false` is a failure too.
      throw workersAIError({ model, httpStatus: response.status, errors, secrets: this.#secrets });
    }
    const envelope = parsed as Record<string, unknown>;
    return "result" in envelope && "success" in envelope ? envelope.result : parsed;
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
    let ms: number;
    if (failure?.retryAfterMs !== undefined) {
      if (failure.retryAfterMs > MAX_RETRY_AFTER_MS) throw withAttempts(failure.error, attempt);
      ms = failure.retryAfterMs;
    } else {
      const cap = Math.min(MAX_BACKOFF_MS, this.#config.retryDelayMs * 2 ** (attempt - 1));
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

function bindingHttpStatus(code: number): number {
  if (code === 3040 || code === 3036 || code === 4006) return 429;
  if (code >= 5000 && code < 5100) {
    return code === 5016 || code === 5018 || code === 5035 ? 403 : 400;
  }
  return 500;
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
