/**
 * The `env.AI` binding of a Cloudflare Worker, presented with the same
 * outcome as REST: the call raced against the deadline and the caller's
 * abort, its errors mapped through the one code table, byte streams read as
 * SSE or as bytes by what the request declared.
 *
 * @module
 */
import { GenkitError } from "genkit";
import {
  type CloudflareErrorItem,
  httpStatusForCode,
  isRetryable,
  workersAIError,
} from "../errors.ts";
import { bindingResult } from "./answer.ts";
import { RetryableFailure } from "./retry.ts";
import type { RequestExtras, RequestMeta } from "./extras.ts";
import type { AiBinding, GatewayOptions, WireRequest } from "./types.ts";

/** Runs one request through a binding; resolves to a response or a retryable failure. */
export async function viaBinding(
  binding: AiBinding,
  gateway: GatewayOptions | undefined,
  model: string,
  request: WireRequest,
  stream: boolean,
  signal: AbortSignal,
  secrets: readonly (string | undefined)[],
  call: { extras?: RequestExtras; meta?: RequestMeta } = {},
): Promise<Response | RetryableFailure> {
  const { extras, meta } = call;
  const options: Record<string, unknown> = {
    ...extras?.runOptions,
    ...extras?.bindingOptions,
    signal,
  };
  if (extras?.headers) options.extraHeaders = extras.headers;
  if (gateway || extras?.gateway) {
    // The binding takes the gateway's controls as one object (reference §3.3).
    const { baseUrl: _url, authToken: _token, ...controls } = gateway ?? { id: "" };
    options.gateway = { ...controls, ...extras?.gateway };
    if (!gateway) {
      throw new GenkitError({
        status: "INVALID_ARGUMENT",
        message: `config.gateway for ${model} needs the plugin's gateway option (its id): ` +
          "set cloudflareAI({ gateway: { id } }).",
      });
    }
  }
  const bytes = !stream && request.answer === "bytes";
  // A raw response carries the answer's content type (reference §16).
  if (bytes) options.returnRawResponse = true;
  const inputs = bindingInputs(model, request);
  let out: unknown;
  try {
    out = await untilAborted(binding.run(model, inputs, options), signal);
    // The binding keeps the last call's gateway log id (reference §3.2).
    const logId = (binding as { aiGatewayLogId?: unknown }).aiGatewayLogId;
    if (meta && typeof logId === "string" && logId !== "") meta.gatewayLogId = logId;
  } catch (e) {
    if (signal.aborted) throw e;
    const item = bindingError(e);
    const error = workersAIError({ model, errors: [item], secrets });
    if (!isRetryable(httpStatusForCode(item.code), [item])) throw error;
    return new RetryableFailure(error);
  }
  if (out instanceof Response) {
    // A raw response is read like a REST one, but its body must stop with the signal too.
    if (!out.body) return out;
    return new Response(cancelledWith(out.body, signal), {
      status: out.status,
      headers: out.headers,
    });
  }
  if (out instanceof ReadableStream) {
    // Streams are SSE bytes; binary-output models answer a stream of the file.
    const headers: Record<string, string> = bytes ? {} : { "content-type": "text/event-stream" };
    return new Response(cancelledWith(out, signal), { headers });
  }
  return bindingResult(out);
}

/** What `env.AI.run` takes for a request: the JSON body itself, a form as `multipart`, or the family's own inputs. */
function bindingInputs(model: string, request: WireRequest): unknown {
  const own = request.bindingInputs;
  if (typeof own === "function") return own();
  if (own !== undefined) return own;
  const body = request.body;
  if ("json" in body) return body.json;
  if ("form" in body) {
    const encoded = new Response(body.form);
    return {
      multipart: { body: encoded.body, contentType: encoded.headers.get("content-type") },
    };
  }
  throw new GenkitError({
    status: "INTERNAL",
    message: `${model}: this request has no binding form (raw bytes need the model's own inputs).`,
  });
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
        else if (late instanceof Response) late.body?.cancel().catch(() => {});
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
