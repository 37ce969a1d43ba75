/**
 * The emulator's async batch queue (`?queueRequest=true`, reference
 * cloudflare-platform.md §1): a submission `{ requests: [...] }` is answered
 * `{ status: "queued", request_id, model }`; a poll `{ request_id }` answers
 * `queued`, then `running`, then the results, over a configurable delay.
 * Each item is answered by the task serving the model, as the same request
 * sent alone would be; an item that fails (its task refuses it, or
 * {@linkcode QueueEmulatorOptions.failItem} says so) fails alone. Results
 * expire after a configurable period; an unknown or expired id is answered
 * 404. A submission and a poll are one request each for the rate limit,
 * however many items they carry.
 *
 * Shapes (reference §1.2): embedding items put the model's output directly
 * in `result`; text items nest it once more (`result.result.response`), as
 * Cloudflare's text example does. A failed item is `{ id, success: false,
 * result: null, errors: [{ code, message }], external_reference }` (its
 * shape is undocumented).
 *
 * @module
 */

import { publishedModel } from "../definitions/mod.ts";
import { ApiError, badInput, noSuchModel } from "./errors.ts";
import type { EmulatorState } from "./state.ts";
import { taskFor } from "./tasks.ts";
import { isObject } from "./util.ts";

/**
 * Options of the emulated async batch queue.
 *
 * @example
 * ```ts
 * import { startEmulator } from "@x/cloudflare-ai/testing";
 *
 * await using emu = await startEmulator({
 *   queue: {
 *     delayMs: 2_000, // queued for the first half, running for the second, then done
 *     expireMs: 60_000, // results polled after this are gone (404)
 *     failItem: (item) => JSON.stringify(item).includes("poison")
 *       ? { code: 3030, message: "AiError: Internal error" }
 *       : undefined,
 *   },
 * });
 * ```
 */
export interface QueueEmulatorOptions {
  /**
   * Milliseconds from a submission to its results: `queued` for the first
   * half, `running` for the second. Default `0` (done at the first poll).
   */
  delayMs?: number;
  /** Milliseconds the results of a finished batch stay retrievable. Default one day. */
  expireMs?: number;
  /** Makes items fail on their own: the error of an item, or `undefined` to answer it. */
  failItem?: (
    item: unknown,
    index: number,
    model: string,
  ) => { code: number; message?: string } | undefined;
}

/** One submitted batch. */
interface Batch {
  model: string;
  items: unknown[];
  submittedAt: number;
  /** Filled when first polled after it is done. */
  responses?: unknown[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

interface Queue {
  options: QueueEmulatorOptions;
  batches: Map<string, Batch>;
}

const queues = new WeakMap<EmulatorState, Queue>();

const DAY_MS = 24 * 60 * 60 * 1000;

/** Sets an emulator's queue options (at start). */
export function initQueue(state: EmulatorState, options: QueueEmulatorOptions = {}): void {
  for (const key of ["delayMs", "expireMs"] as const) {
    const v = options[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw new RangeError(`queue.${key} must be a number of milliseconds of at least 0`);
    }
  }
  queues.set(state, { options, batches: new Map() });
}

function queueOf(state: EmulatorState): Queue {
  let q = queues.get(state);
  if (!q) {
    q = { options: {}, batches: new Map() };
    queues.set(state, q);
  }
  return q;
}

/** Whether a `/ai/run` request is for the queue: flagged, or a poll by id alone. */
export function isQueueRequest(query: URLSearchParams, body: unknown): boolean {
  if (query.get("queueRequest") === "true") return true;
  return isObject(body) && typeof body.request_id === "string" && Object.keys(body).length === 1;
}

/** Whether a model's published definition takes queued requests. */
function takesQueue(model: string): boolean {
  const m = publishedModel(model);
  return m !== undefined &&
    (m.asyncQueue || m.variants.some((v) => v.fields.includes("requests")));
}

/**
 * Answers a queue request (a submission or a poll): the `result` of the
 * envelope. Refusals are thrown as `ApiError`s.
 */
export function queueAnswer(state: EmulatorState, model: string, body: unknown): unknown {
  const queue = queueOf(state);
  if (!taskFor(model, "run")) throw noSuchModel(model);
  if (isObject(body) && typeof body.request_id === "string") {
    return pollAnswer(state, queue, model, body.request_id);
  }
  if (!takesQueue(model)) {
    throw badInput(`${model} does not support queued requests (queueRequest)`);
  }
  if (!isObject(body) || !Array.isArray(body.requests)) {
    throw badInput("required properties at '/' are 'requests'");
  }
  if (body.requests.length === 0) throw badInput("'/requests' must have at least 1 item");
  const extra = Object.keys(body).filter((k) => k !== "requests");
  if (extra.length > 0) {
    throw badInput(
      `Additional or unevaluated properties '/${extra.join(", /")}' at '/' not allowed`,
    );
  }
  const requestId = crypto.randomUUID();
  queue.batches.set(requestId, {
    model,
    items: body.requests,
    submittedAt: Date.now(),
  });
  return { status: "queued", request_id: requestId, model };
}

function pollAnswer(state: EmulatorState, queue: Queue, model: string, id: string): unknown {
  const batch = queue.batches.get(id);
  const delay = queue.options.delayMs ?? 0;
  const expire = queue.options.expireMs ?? DAY_MS;
  const age = batch ? Date.now() - batch.submittedAt : 0;
  if (!batch || batch.model !== model || age >= delay + expire) {
    if (batch && age >= delay + expire) queue.batches.delete(id);
    throw new ApiError(
      404,
      7000,
      `AiError: No queued request ${id} for ${model} (unknown or expired)`,
    );
  }
  if (age < delay / 2) return { status: "queued", request_id: id, model };
  if (age < delay) return { status: "running", request_id: id, model };
  if (!batch.responses) run(state, queue, batch);
  return { responses: batch.responses, usage: batch.usage };
}

/** Answers every item of a batch, each as the same request alone. */
function run(state: EmulatorState, queue: Queue, batch: Batch): void {
  const { model } = batch;
  const task = taskFor(model, "run")!;
  const embeddings = publishedModel(model)?.task === "Text Embeddings";
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const responses = batch.items.map((item, id) => {
    const ref = isObject(item) && typeof item.external_reference === "string"
      ? item.external_reference
      : null;
    const failed = (code: number, message: string) => ({
      id,
      success: false,
      result: null,
      errors: [{ code, message }],
      external_reference: ref,
    });
    const fault = queue.options.failItem?.(item, id, model);
    if (fault) return failed(fault.code, fault.message ?? "AiError: Internal error");
    if (!isObject(item)) return failed(5006, "AiError: Bad input: Error: Type mismatch of '/'");
    const { external_reference: _ref, ...input } = item;
    try {
      const answer = task.answer({
        model,
        op: "run",
        body: { kind: "json", value: "stream" in input ? { ...input, stream: false } : input },
        query: new URLSearchParams(),
        state,
        jsonForStream: true,
      });
      if (!("result" in answer)) return failed(5006, "AiError: Bad input: not a JSON answer");
      const result = answer.result as Record<string, unknown>;
      const u = isObject(result?.usage) ? result.usage : undefined;
      for (const k of ["prompt_tokens", "completion_tokens", "total_tokens"] as const) {
        if (typeof u?.[k] === "number") usage[k] += u[k] as number;
      }
      return {
        id,
        result: embeddings ? result : { result },
        success: true,
        external_reference: ref,
      };
    } catch (e) {
      if (e instanceof ApiError) return failed(e.code, e.message);
      throw e;
    }
  });
  // Cloudflare does not keep the submitted order (its example answers ids 2, 0, 1): the
  // emulator answers the last item first, so that a client must read `id`.
  batch.responses = responses.reverse();
  batch.usage = usage;
}
