/**
 * The embedding task family: Genkit documents to Workers AI embedding
 * requests, split into batches of the model's limit and sent with bounded
 * concurrency, and their vectors back in input order.
 *
 * @module
 */
import { GenkitError } from "genkit";
import type { EmbedderAction } from "genkit/embedder";
import { embedder, embedderActionMetadata } from "genkit/plugin";
import type { WorkersAIClient } from "../client/client.ts";
import { Pacer } from "../client/pacer.ts";
import { documentText } from "../documents.ts";
import { embedViaQueue, splitQueueOption } from "../batch/kinds.ts";
import type { TaskFamily } from "../task_family.ts";
import { retrievalRef } from "../refs.ts";
import { type EmbedderSpec, embedderSpec, EMBEDDING_MODELS, knownEmbedder } from "./catalog.ts";
import {
  type EmbedConfig,
  embedConfigSchemaFor,
  embedderInfo,
  embedWireFields,
  validateEmbedConfig,
} from "./config.ts";

/** The request body embedding `texts` (at most the model's batch limit). */
function toEmbedBody(
  spec: EmbedderSpec,
  config: EmbedConfig,
  texts: string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (spec.fields === "queries-documents") {
    body[config.inputType === "query" ? "queries" : "documents"] = texts;
  } else if (spec.fields === "contexts") {
    // Without a query, a `contexts` model answers each context's vector.
    body.contexts = texts.map((text) => ({ text }));
  } else {
    body.text = texts;
  }
  return { ...body, ...embedWireFields(spec, config) };
}

/**
 * The vectors of one answer (`data`, or `response` for a `contexts` model),
 * checked against the batch size and the model's dimensions.
 */
function readVectors(spec: EmbedderSpec, result: unknown, count: number): number[][] {
  const r = result as { data?: unknown; response?: unknown } | null;
  const field = spec.fields === "contexts" ? "response" : "data";
  const data = r?.[field];
  const bad = (why: string) =>
    new GenkitError({
      status: "INTERNAL",
      message: `Workers AI answered ${spec.id} with ${why}; expected ${count} vectors` +
        (spec.dimensions ? ` of ${spec.dimensions} numbers` : "") + ` in ${field}.`,
      detail: { model: spec.id },
    });
  if (!Array.isArray(data)) throw bad(`no ${field} array`);
  if (data.length !== count) throw bad(`${data.length} vectors`);
  for (const v of data) {
    if (!Array.isArray(v) || (spec.dimensions !== undefined && v.length !== spec.dimensions)) {
      throw bad(`a vector of ${Array.isArray(v) ? `${v.length} numbers` : typeof v}`);
    }
  }
  return data as number[][];
}

/**
 * Embeds `texts` in batches of the model's limit, at most `concurrency` in
 * flight, and returns the vectors in input order. The first batch that still
 * fails after the client's retries stops the others and fails the whole call.
 */
async function embedInBatches(
  spec: EmbedderSpec,
  client: WorkersAIClient,
  config: EmbedConfig,
  texts: string[],
  concurrency: number,
  caller: AbortSignal,
): Promise<number[][]> {
  const size = spec.batchLimit;
  const count = Math.ceil(texts.length / size);
  const results: number[][][] = new Array(count);
  const stop = new AbortController();
  const signal = AbortSignal.any([caller, stop.signal]);
  let failure: { batch: number; error: unknown } | undefined;
  let next = 0;
  let done = 0;

  // The batches share back-pressure: a rate-limited batch pauses them all,
  // and the call's concurrency halves, then grows back (see Pacer).
  const pacer = new Pacer(concurrency);
  const worker = async () => {
    while (next < count && !signal.aborted) {
      try {
        await pacer.acquire(signal);
      } catch {
        return; // aborted while waiting for a slot
      }
      if (next >= count || signal.aborted) {
        pacer.release();
        return;
      }
      const batch = next++;
      const slice = texts.slice(batch * size, (batch + 1) * size);
      try {
        const body = toEmbedBody(spec, config, slice);
        const result = await client.run(spec.id, body, { signal, pace: pacer });
        results[batch] = readVectors(spec, result, slice.length);
        done++;
      } catch (error) {
        if (!failure && !caller.aborted) {
          failure = { batch, error };
          stop.abort(); // the call fails anyway: spend no more requests on it
        }
        return;
      } finally {
        pacer.release();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));

  if (caller.aborted) {
    throw new GenkitError({
      status: "CANCELLED",
      message: `Embedding ${texts.length} documents with ${spec.id} was cancelled by the caller ` +
        `with ${done} of ${count} batches done; no embeddings are returned.`,
      detail: { model: spec.id, batches: count, completedBatches: done },
    });
  }
  if (failure) throw batchError(spec, failure.batch, count, texts.length, failure.error);
  return results.flat();
}

function batchError(
  spec: EmbedderSpec,
  batch: number,
  count: number,
  total: number,
  error: unknown,
): GenkitError {
  const e = error instanceof GenkitError ? error : new GenkitError({
    status: "INTERNAL",
    message: error instanceof Error ? error.message : String(error),
  });
  if (count === 1) return e;
  const first = batch * spec.batchLimit;
  const last = Math.min(total, first + spec.batchLimit) - 1;
  return new GenkitError({
    status: e.status,
    message: `Embedding ${total} documents with ${spec.id} failed at batch ${batch + 1} of ` +
      `${count} (documents ${first}-${last}); no embeddings are returned. ${e.originalMessage}`,
    detail: {
      ...(e.detail as Record<string, unknown> | undefined),
      model: spec.id,
      batch: batch + 1,
      batches: count,
      firstDocument: first,
      lastDocument: last,
    },
    responseMetadata: e.responseMetadata,
  });
}

/** Above this many numbers, an embedder's trace records a summary instead of the vectors. */
const TRACE_SUMMARY_THRESHOLD = 100_000;

/**
 * Genkit serialises every action's whole output into its trace with
 * `JSON.stringify`; for 10,000 768-dimensional vectors that is a string of
 * about 100 MB and a third of a second of CPU on every call, for a trace no
 * one can read. Above {@link TRACE_SUMMARY_THRESHOLD} numbers, the response
 * serialises as a summary (count, dimensions, the first vector's first
 * values); the vectors themselves reach the caller untouched.
 */
function traceSummarized<T extends { embeddings: { embedding: number[] }[] }>(
  response: T,
): T {
  const count = response.embeddings.length;
  const dimensions = response.embeddings[0]?.embedding.length ?? 0;
  if (count * dimensions <= TRACE_SUMMARY_THRESHOLD) return response;
  Object.defineProperty(response, "toJSON", {
    enumerable: false,
    value: () => ({
      embeddings: `${count} embeddings of ${dimensions} dimensions (summarised for the trace)`,
      first: response.embeddings[0].embedding.slice(0, 8),
    }),
  });
  return response;
}

/** Defines the Genkit embedder action `cloudflare-ai/<id>` for one embedding model. */
function defineEmbedder(
  spec: EmbedderSpec,
  client: WorkersAIClient,
  actionName: string,
  concurrency: number,
): EmbedderAction {
  return embedder(
    { name: actionName, info: embedderInfo(spec), configSchema: embedConfigSchemaFor(spec) },
    async (request, { abortSignal }) => {
      // `queue: true` sends the texts through the async batch queue (src/batch).
      const { queue, options } = splitQueueOption(spec.id, request.options);
      const config = validateEmbedConfig(spec, options);
      const texts = request.input.map((doc, i) =>
        documentText(spec.id, doc, `documents[${i}]`, "embed")
      );
      if (texts.length === 0) return { embeddings: [] };
      const vectors = queue
        ? await embedViaQueue(client, spec.id, texts, config, abortSignal)
        : await embedInBatches(spec, client, config, texts, concurrency, abortSignal);
      return traceSummarized({ embeddings: vectors.map((embedding) => ({ embedding })) });
    },
  );
}

/** The embedding family: every `Text Embeddings` model, and any id asked for as an embedder. */
export const embedFamily: TaskFamily<EmbedderSpec> = {
  name: "embed",
  actionType: "embedder",
  noun: "an embedding model",
  suggestion: `Use one such as @cf/baai/bge-base-en-v1.5 (the catalog has ${
    EMBEDDING_MODELS.map((m) => m.id).join(", ")
  }).`,
  tasks: ["Text Embeddings"],
  catalog: EMBEDDING_MODELS,
  known: knownEmbedder,
  spec: (id) => embedderSpec(id),
  define: (spec, name, context) => defineEmbedder(spec, context.client, name, context.concurrency),
  metadata: (spec, name) =>
    embedderActionMetadata({
      name,
      info: embedderInfo(spec),
      configSchema: embedConfigSchemaFor(spec),
    }),
  ref: (spec, name, config) =>
    retrievalRef(
      name,
      embedderInfo(spec),
      embedConfigSchemaFor(spec),
      config,
      (c) => validateEmbedConfig(spec, c),
    ),
};

/** Internals for unit tests only; not part of the module's API. */
export const TEST_ONLY = { traceSummarized };
