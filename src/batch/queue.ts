/**
 * Workers AI's async batch queue on the wire: which models take it, one
 * submission (`?queueRequest=true`, body `{ requests: [...] }`, or the
 * binding's `{ queueRequest: true }` option) and one poll (`{ request_id }`),
 * with the answer's shapes read leniently where Cloudflare's own examples
 * disagree (reference: cloudflare-platform.md §1).
 *
 * @module
 */
import { GenkitError } from "genkit";
import type { WorkersAIClient } from "../client/client.ts";
import { PUBLISHED_MODEL_IDS, publishedModel } from "../definitions/mod.ts";
import { type CloudflareErrorItem, httpStatusForCode, invalidArgument } from "../errors.ts";
import type { WireUsage } from "../text/response.ts";

/**
 * Whether a model takes queued (async batch) requests, by its published
 * definition: the `async_queue` property, or a `requests` input variant.
 * Both are read because the definitions disagree: kimi-k2.6 and the GLM 5
 * models publish the `requests` input without the property, while
 * nova-3 and the Aura voices publish the property without the input.
 */
export function takesQueue(id: string): boolean {
  const m = publishedModel(id);
  return m !== undefined &&
    (m.asyncQueue || m.variants.some((v) => v.fields.includes("requests")));
}

/** Every model whose published definition takes queued requests, sorted. */
export const QUEUE_MODEL_IDS: readonly string[] = Object.freeze(
  PUBLISHED_MODEL_IDS.filter(takesQueue),
);

/** The Workers AI tasks whose models the plugin queues. */
const QUEUED_TASKS = new Set(["Text Generation", "Image-Text-to-Text", "Text Embeddings"]);

/**
 * Models whose published batch item is not their ordinary input: gpt-oss's
 * `…Responses_Async` variant takes `{ input, reasoning }` (the Responses API)
 * instead of the chat body the plugin builds for it
 * (definitions/published/gpt-oss-120b.json, gpt-oss-20b.json).
 */
const RESPONSES_ITEMS = new Set(["@cf/openai/gpt-oss-120b", "@cf/openai/gpt-oss-20b"]);

/**
 * Refuses, before any request, a model the queue cannot be used with here:
 * one whose definition takes no queued requests, one of a task the plugin
 * does not queue, or one whose batch item it does not build.
 */
export function checkQueued(id: string, task: "generate" | "embed"): void {
  const m = publishedModel(id);
  const generate = QUEUE_MODEL_IDS.filter((x) => publishedModel(x)?.task !== "Text Embeddings");
  const embed = QUEUE_MODEL_IDS.filter((x) => publishedModel(x)?.task === "Text Embeddings");
  const others = task === "embed" ? embed : generate.filter((x) => !RESPONSES_ITEMS.has(x));
  if (!m || !takesQueue(id)) {
    throw invalidArgument(
      `${id} does not take queued requests: its published definition has neither ` +
        `async_queue nor a requests input. Queue with ${others.join(", ")}, or call it directly.`,
      { model: id },
    );
  }
  if (!QUEUED_TASKS.has(m.task)) {
    throw new GenkitError({
      status: "UNIMPLEMENTED",
      message: `${id} is a ${m.task} model: the plugin queues text generation and embeddings ` +
        "only. Call it directly.",
      detail: { model: id },
    });
  }
  if ((m.task === "Text Embeddings") !== (task === "embed")) {
    throw invalidArgument(
      task === "embed"
        ? `${id} is not an embedding model. Queue embeddings with ${embed.join(", ")}.`
        : `${id} is an embedding model: queue it with embedBatch() or ai.embedMany() ` +
          "and options { queue: true }.",
      { model: id },
    );
  }
  if (RESPONSES_ITEMS.has(id)) {
    throw new GenkitError({
      status: "UNIMPLEMENTED",
      message: `${id} takes queued requests only as Responses API items ({ input, reasoning }), ` +
        `which the plugin does not build. Queue with ${others.join(", ")}, or call ${id} directly.`,
      detail: { model: id },
    });
  }
}

/**
 * The largest body of one submission, in bytes. Cloudflare's limit is "under
 * 10 MB" (reference §1.4); the plugin stays a little below it.
 */
export const MAX_SUBMISSION_BYTES = 9_500_000;

/** The answer of one poll. */
export type PollAnswer =
  /** Still waiting (`queued`) or being run (`running`). */
  | { done: false; status: string }
  /** Done: one outcome per submitted item (in submission order), and the batch's usage. */
  | { done: true; items: QueuedOutcome[]; usage?: WireUsage };

/** What became of one queued item. */
export type QueuedOutcome =
  | { ok: true; result: unknown; externalReference?: string }
  | { ok: false; error: CloudflareErrorItem; externalReference?: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Submits queued items; resolves to Cloudflare's `request_id`. */
export async function submit(
  client: WorkersAIClient,
  model: string,
  items: readonly unknown[],
  signal?: AbortSignal,
): Promise<string> {
  const outcome = await client.call(
    model,
    { body: { json: { requests: items } }, query: { queueRequest: true } },
    { signal, extras: { bindingOptions: { queueRequest: true } } },
  );
  const result = (outcome as { result?: unknown }).result;
  const id = isObject(result) ? result.request_id : undefined;
  if (typeof id !== "string" || id === "") {
    throw malformedAnswer(model, "a queued submission answered without a request_id");
  }
  return id;
}

/**
 * Polls a queued request once. An unknown or expired id is a `NOT_FOUND`
 * naming it; a failure of the poll itself is the client's error.
 */
export async function poll(
  client: WorkersAIClient,
  model: string,
  requestId: string,
  signal?: AbortSignal,
): Promise<PollAnswer> {
  let outcome;
  try {
    // The newest REST page keeps ?queueRequest=true on the poll, the older one
    // does not: it is sent (reference §1.2). The binding polls with the id alone.
    outcome = await client.call(
      model,
      { body: { json: { request_id: requestId } }, query: { queueRequest: true } },
      { signal },
    );
  } catch (e) {
    if (e instanceof GenkitError && e.status === "NOT_FOUND") throw expired(model, requestId, e);
    throw e;
  }
  return readPoll(model, (outcome as { result?: unknown }).result);
}

/** The NOT_FOUND of an id Workers AI no longer (or never) knew. */
function expired(model: string, requestId: string, cause: GenkitError): GenkitError {
  const d = (cause.detail ?? {}) as Record<string, unknown>;
  return new GenkitError({
    status: "NOT_FOUND",
    message: `Workers AI knows no queued request ${requestId} for ${model}: the id is wrong, ` +
      "belongs to another model or account, or its results have expired. Submit the request " +
      `again. (${cause.originalMessage})`,
    detail: { ...d, model, requestId },
  });
}

function malformedAnswer(model: string, what: string): GenkitError {
  return new GenkitError({
    status: "INTERNAL",
    message: `Workers AI answered ${model} with ${what}; the async batch queue's answer ` +
      "could not be read.",
    detail: { model },
  });
}

/** A poll's answer (REST `result`, or the binding's object) read into {@link PollAnswer}. */
export function readPoll(model: string, result: unknown): PollAnswer {
  if (!isObject(result)) throw malformedAnswer(model, "a poll answer that is not an object");
  if (Array.isArray(result.responses)) {
    const items: QueuedOutcome[] = [];
    const unordered = result.responses as unknown[];
    for (let i = 0; i < unordered.length; i++) {
      const r = unordered[i];
      if (!isObject(r)) throw malformedAnswer(model, `responses[${i}] that is not an object`);
      // `id` is the index in the submitted array; Cloudflare does not keep the order.
      const at = typeof r.id === "number" && Number.isInteger(r.id) ? r.id : i;
      if (at < 0 || at >= unordered.length || items[at] !== undefined) {
        throw malformedAnswer(model, `responses[${i}] with the id ${String(r.id)}`);
      }
      items[at] = outcomeOf(r);
    }
    const usage = isObject(result.usage) ? result.usage as WireUsage : undefined;
    return { done: true, items, usage };
  }
  const status = result.status;
  if (typeof status === "string" && status !== "") return { done: false, status };
  throw malformedAnswer(model, "a poll answer with neither a status nor responses");
}

/** One item of `responses`: its result (`result.X` or `result.result.X`) or its error. */
function outcomeOf(r: Record<string, unknown>): QueuedOutcome {
  const ref = typeof r.external_reference === "string" ? r.external_reference : undefined;
  const base = ref === undefined ? {} : { externalReference: ref };
  if (r.success === false) return { ok: false, error: itemError(r), ...base };
  const result = r.result;
  // Cloudflare's text example nests the output once more (reference §1.2).
  const own = ["response", "data", "choices", "output", "shape"];
  if (isObject(result) && isObject(result.result) && !own.some((k) => k in result)) {
    return { ok: true, result: result.result, ...base };
  }
  return { ok: true, result, ...base };
}

/** The error of a failed item, whatever shape it came in (undocumented, reference §1.2). */
function itemError(r: Record<string, unknown>): CloudflareErrorItem {
  const first = Array.isArray(r.errors) ? r.errors[0] : r.error ?? r.errors;
  if (isObject(first)) {
    const code = typeof first.code === "number" ? first.code : 0;
    const message = typeof first.message === "string" ? first.message : JSON.stringify(first);
    return { code, message };
  }
  if (typeof first === "string") return { code: 0, message: first };
  return { code: 0, message: "the queued item failed without an error message" };
}

/** The Genkit status of a failed item's Cloudflare code. */
export function statusOfItemError(error: CloudflareErrorItem): GenkitError["status"] {
  const http = error.code ? httpStatusForCode(error.code) : 500;
  if (http === 400 || http === 413) return "INVALID_ARGUMENT";
  if (http === 403) return "PERMISSION_DENIED";
  if (http === 404) return "NOT_FOUND";
  if (http === 429) return "RESOURCE_EXHAUSTED";
  return "INTERNAL";
}

/** The size in bytes of a JSON value as it will be sent. */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}
