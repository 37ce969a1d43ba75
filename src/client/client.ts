/**
 * One call to Workers AI, over REST, AI Gateway or the `env.AI` binding:
 * retries with backoff and `Retry-After`, deadlines, the caller's abort, and
 * redaction. Every task family goes through here; none builds URLs or parses
 * error envelopes itself.
 *
 * @module
 */
import { addMeta } from "./extras.ts";
import { GenkitError } from "genkit";
import { envelopeErrors, redact, workersAIError } from "../errors.ts";
import { isWorkersAIModelId } from "../model_ids.ts";
import { cut, isPlainObject, malformed, readOutcome } from "./answer.ts";
import { viaBinding } from "./binding.ts";
import { Deadline, TIMER_PER_REQUEST, Watchdog } from "../timer.ts";
import { notAModelId, RestTarget } from "./rest.ts";
import {
  backoff,
  cancelled,
  mayRetryStreamFailure,
  RetryableFailure,
  retryDelay,
  sleep,
  withAttempts,
} from "./retry.ts";
import { DONE, sseBatches } from "./sse.ts";
import type { CallOptions, ClientConfig, Outcome, StreamItem, WireRequest } from "./types.ts";

/** A successful response whose body is still unread, with the deadline that bounds reading it. */
interface Sent {
  response: Response;
  deadline: Deadline;
  attempts: number;
}

/** Talks to Workers AI over REST, AI Gateway or a binding. */
export class WorkersAIClient {
  readonly #config: ClientConfig;
  readonly #rest: RestTarget;
  readonly #secrets: readonly (string | undefined)[];
  readonly #watchdog: Watchdog | undefined;

  /** Creates a client; the configuration is not validated here (the plugin does that). */
  constructor(config: ClientConfig) {
    this.#config = config;
    this.#rest = new RestTarget(config);
    this.#watchdog = TIMER_PER_REQUEST ? undefined : new Watchdog(config.timeoutMs);
    this.#secrets = [config.apiToken, config.gateway?.authToken];
  }

  /** Removes both tokens (API and gateway) from a text that is about to leave the plugin. */
  redact(text: string): string {
    return redact(text, this.#secrets);
  }

  /** Runs a model with a JSON body and returns its JSON result. */
  async run(model: string, body: unknown, options: CallOptions = {}): Promise<unknown> {
    // A JSON call reads its answer as JSON only (readOutcome), so this is a JSON outcome.
    const outcome = await this.call(model, { body: { json: body } }, options);
    return (outcome as { result: unknown }).result;
  }

  /**
   * Runs a model with any body (JSON, raw bytes, a multipart form; query
   * options) and returns its JSON result or its bytes. A failure while the
   * answer's bytes are read is retried like a failed request.
   */
  call(model: string, request: WireRequest, options: CallOptions = {}): Promise<Outcome> {
    return this.#call(model, request, options);
  }

  /**
   * Sends a request to a Cloudflare API path under the account (Vectorize,
   * AI Search, Markdown conversion), always over REST, with the same
   * retries, deadlines and errors as a model call; `what` names the service
   * in errors. The caller builds `path` from checked names only.
   */
  account(
    what: string,
    path: string,
    request: WireRequest | undefined,
    options: CallOptions = {},
  ): Promise<Outcome> {
    return this.#call(what, request, options, path);
  }

  /** Whether REST requests can be made: an account id and a token were configured. */
  get hasAccount(): boolean {
    return this.#config.accountId !== undefined && this.#config.apiToken !== undefined;
  }

  async #call(
    model: string,
    request: WireRequest | undefined,
    options: CallOptions,
    path?: string,
  ): Promise<Outcome> {
    for (let attempt = 1;; attempt++) {
      const { response, deadline, attempts } = await this.#send(
        model,
        request,
        options,
        attempt,
        false,
        path,
      );
      attempt = attempts;
      let retry: RetryableFailure;
      try {
        return await readOutcome(model, response, request?.answer ?? "json", this.#secrets);
      } catch (e) {
        const failure = this.#failure(model, e, options.signal, deadline);
        const final = e instanceof GenkitError || options.signal?.aborted || deadline.expired ||
          attempt > this.#config.maxRetries;
        if (final) throw failure;
        retry = new RetryableFailure(failure);
      } finally {
        deadline.clear();
      }
      await backoff(this.#config, attempt, retry, options.signal, model);
    }
  }

  /**
   * Runs a model with `stream: true` in its JSON body and yields its events.
   * A stream that ends before `[DONE]` raises `UNAVAILABLE`; a failure before
   * the first event that carries something for the caller (see
   * {@link CallOptions.delivers}) is retried like any request.
   */
  async *stream(
    model: string,
    body: unknown,
    options: CallOptions = {},
  ): AsyncGenerator<StreamItem, void, undefined> {
    const request: WireRequest = { body: { json: body } };
    const delivers = options.delivers ?? (() => true);
    for (let attempt = 1;; attempt++) {
      const { response, deadline, attempts } = await this.#send(
        model,
        request,
        options,
        attempt,
        true,
      );
      attempt = attempts;
      const type = response.headers.get("content-type") ?? "";
      if (!type.includes("text/event-stream")) {
        // Some models (gpt-oss on /ai/run) answer a streaming request with a
        // plain JSON result: pass it on whole rather than failing.
        try {
          const outcome = await readOutcome(model, response, "json", this.#secrets);
          yield { type: "result", data: (outcome as { result: unknown }).result };
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
            const data = this.#event(model, value);
            if (data instanceof GenkitError) {
              failure = data;
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
      await backoff(this.#config, attempt, retry, options.signal, model);
    }
  }

  /** One server-sent event's data: the parsed object, or the error it is or reports. */
  #event(model: string, value: string): Record<string, unknown> | GenkitError {
    let data: unknown;
    try {
      data = JSON.parse(value);
    } catch {
      return new GenkitError({
        status: "INTERNAL",
        message: `Workers AI stream for ${model} sent an event that is not JSON: ${
          cut(this.redact(value), 120)
        }`,
        detail: { model },
      });
    }
    if (!isPlainObject(data)) return malformed(model, "a stream event that is not a JSON object");
    const errors = envelopeErrors(data);
    // An error can arrive mid-stream as an event after partial content.
    if (errors) return workersAIError({ model, httpStatus: 200, errors, secrets: this.#secrets });
    return data;
  }

  /** GETs a Cloudflare API path under the account (e.g. `ai/models/search?page=1`) and returns the parsed envelope. */
  async get(
    path: string,
    options: CallOptions = {},
    what = "model catalog",
  ): Promise<Record<string, unknown>> {
    const { response, deadline } = await this.#send(what, undefined, options, 1, false, path);
    try {
      return (await response.json()) as Record<string, unknown>;
    } catch (e) {
      throw this.#failure(what, e, options.signal, deadline);
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
    request: WireRequest | undefined,
    options: CallOptions,
    firstAttempt: number,
    stream = false,
    path?: string,
  ): Promise<Sent> {
    const { signal, pace } = options;
    for (let attempt = firstAttempt;; attempt++) {
      if (signal?.aborted) throw cancelled(model);
      if (pace) await pace.ready(signal).catch(() => Promise.reject(cancelled(model)));
      const deadline = new Deadline(this.#config.timeoutMs, this.#watchdog, signal);
      let outcome: Response | RetryableFailure;
      try {
        outcome = await this.#attempt(model, request, deadline, stream, options, path);
      } catch (e) {
        deadline.clear();
        const failure = this.#failure(model, e, signal, deadline);
        if (e instanceof GenkitError || signal?.aborted || deadline.expired) throw failure;
        outcome = new RetryableFailure(failure);
      }
      if (outcome instanceof Response) {
        pace?.succeeded();
        return { response: outcome, deadline, attempts: attempt };
      }
      deadline.clear();
      if (attempt > this.#config.maxRetries) throw withAttempts(outcome.error, attempt);
      const waitMs = retryDelay(this.#config, attempt, outcome);
      if (pace && outcome.error.status === "RESOURCE_EXHAUSTED") {
        // The call's pacer decides when it resumes, this attempt with the others.
        pace.throttled(waitMs, outcome.retryAfterMs !== undefined);
      } else {
        await sleep(waitMs, signal, model);
      }
    }
  }

  /** One HTTP (or binding) request; resolves to an OK response or a retryable failure. */
  async #attempt(
    model: string,
    request: WireRequest | undefined,
    deadline: Deadline,
    stream: boolean,
    options: CallOptions,
    path?: string,
  ): Promise<Response | RetryableFailure> {
    const signal = deadline.controller.signal;
    deadline.arm();
    const { binding, gateway } = this.#config;
    if (binding && request && path === undefined) {
      if (!isWorkersAIModelId(model)) throw notAModelId(model);
      return await viaBinding(binding, gateway, model, request, stream, signal, this.#secrets, {
        extras: options.extras,
        meta: options.meta,
      });
    }
    const url = path === undefined
      ? this.#rest.runUrl(model, request?.query)
      : this.#rest.accountUrl(path);
    const response = await this.#config.fetch(
      url,
      this.#rest.init(request, signal, path === undefined ? options.extras : undefined),
    );
    if (options.meta) addMeta(response.headers, options.meta);
    if (response.ok) return response;
    deadline.stopTimer();
    return await this.#rest.failure(model, response, this.#secrets);
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
      message: `Could not reach Workers AI for ${model}: ${this.redact(message)}. ` +
        "Check the network, baseUrl and gateway settings.",
      detail: { model },
    });
  }
}
