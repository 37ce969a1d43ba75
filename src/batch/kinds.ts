/**
 * The two kinds of queued batch: text generations (each request one queued
 * item, built as the synchronous model builds its body) and embeddings (up
 * to the model's batch size of texts per item), and `ai.embedMany`'s
 * `queue: true`.
 *
 * @module
 */
import { GenkitError } from "genkit";
import type { GenerateRequest, GenerateResponseData, MessageData } from "genkit/model";
import type { WorkersAIClient } from "../client/client.ts";
import { embedderSpec } from "../embed/catalog.ts";
import { type EmbedConfig, embedWireFields, validateEmbedConfig } from "../embed/config.ts";
import { invalidArgument } from "../errors.ts";
import type { FamilyContext } from "../task_family.ts";
import { textModelSpec } from "../text/catalog.ts";
import { type Item, type Plan, run } from "./batch.ts";
import { checkQueued } from "./queue.ts";
import { textItem, textOutput, type TextReading } from "./text_items.ts";
import type { BatchEmbedRequest, BatchGenerateRequest, BatchPrompt, BatchResult } from "./types.ts";

/** A batch prompt as the Genkit request the synchronous model would get. */
function requestOf(prompt: BatchPrompt, config: unknown, index: number): GenerateRequest {
  const p = typeof prompt === "string" ? { prompt } : prompt;
  if (typeof p !== "object" || p === null) {
    throw invalidArgument(`requests[${index}] must be a string or { prompt, system, messages }.`);
  }
  const messages: MessageData[] = [];
  if (p.system !== undefined) messages.push({ role: "system", content: [{ text: p.system }] });
  messages.push(...(p.messages ?? []));
  if (p.prompt !== undefined) {
    const content = typeof p.prompt === "string" ? [{ text: p.prompt }] : p.prompt;
    messages.push({ role: "user", content });
  }
  if (messages.length === 0) throw invalidArgument(`requests[${index}] has no prompt.`);
  const merged = p.config === undefined ? config : { ...(config as object), ...p.config };
  return { messages, config: merged };
}

/** Runs a batch of text generations through the queue. */
export async function generateBatch(
  context: FamilyContext,
  request: BatchGenerateRequest,
): Promise<BatchResult<GenerateResponseData>> {
  const { model } = request;
  checkQueued(model, "generate");
  const spec = textModelSpec(model);
  if (!Array.isArray(request.requests)) throw invalidArgument("requests must be an array.");
  const items: Item<GenerateResponseData>[] = [];
  // Every request is checked and built before the first submission.
  for (let i = 0; i < request.requests.length; i++) {
    const genkit = requestOf(request.requests[i], request.config, i);
    let built: { item: Record<string, unknown>; reading: TextReading };
    try {
      built = await textItem(spec, genkit, context, request.signal);
    } catch (e) {
      if (!(e instanceof GenkitError)) throw e;
      throw new GenkitError({
        status: e.status,
        message: `requests[${i}] of the batch for ${model}: ${e.originalMessage}`,
        detail: e.detail,
      });
    }
    const reading = built.reading;
    items.push({
      first: i,
      count: 1,
      body: { ...built.item, external_reference: String(i) },
      read: (result, usage) => [textOutput(spec, reading, result, usage)],
    });
  }
  return await run(
    context.client,
    { kind: "generate", model, total: items.length, items },
    request,
  );
}

/** The vectors of one queued embedding item, checked. */
function vectorsOf(model: string, dims: number | undefined, result: unknown, count: number) {
  const data = (result as { data?: unknown } | null)?.data;
  const ok = Array.isArray(data) && data.length === count &&
    data.every((v) => Array.isArray(v) && (dims === undefined || v.length === dims));
  if (!ok) {
    throw new GenkitError({
      status: "INTERNAL",
      message: `Workers AI answered a queued item for ${model} without ${count} vectors` +
        (dims ? ` of ${dims} numbers` : "") + " in data.",
      detail: { model },
    });
  }
  return data as number[][];
}

/** The plan of an embedding batch: items of up to the model's batch size of texts. */
function embedPlan(model: string, texts: readonly string[], options: unknown): Plan<number[]> {
  checkQueued(model, "embed");
  const spec = embedderSpec(model);
  const config: EmbedConfig = validateEmbedConfig(spec, options);
  const fields = embedWireFields(spec, config);
  if (!Array.isArray(texts)) throw invalidArgument("texts must be an array of strings.");
  texts.forEach((t, i) => {
    if (typeof t !== "string" || t === "") {
      throw invalidArgument(`texts[${i}] for ${model} must be a non-empty string.`);
    }
  });
  const items: Item<number[]>[] = [];
  for (let first = 0; first < texts.length; first += spec.batchLimit) {
    const slice = texts.slice(first, first + spec.batchLimit);
    items.push({
      first,
      count: slice.length,
      body: { text: slice, ...fields, external_reference: String(first) },
      read: (result) => vectorsOf(model, spec.dimensions, result, slice.length),
    });
  }
  return { kind: "embed", model, total: texts.length, items };
}

/** Runs a batch of embeddings through the queue. */
export function embedBatch(
  client: WorkersAIClient,
  request: BatchEmbedRequest,
): Promise<BatchResult<number[]>> {
  return run(client, embedPlan(request.model, request.texts, request.config), request);
}

/**
 * Embeds `texts` through the queue for `ai.embedMany` (options
 * `{ queue: true }`): every vector, in order, or the first failure.
 */
export async function embedViaQueue(
  client: WorkersAIClient,
  model: string,
  texts: readonly string[],
  config: EmbedConfig,
  signal: AbortSignal,
): Promise<number[][]> {
  const { items } = await embedBatch(client, { model, texts, config, signal });
  const failure = items.find((i) => !i.ok);
  if (failure && !failure.ok) throw failure.error;
  return items.map((i) => (i.ok ? i.output : []));
}

/**
 * Takes the plugin's own `queue` option out of an embed call's options: with
 * `queue: true`, `ai.embedMany` goes through the async batch queue (checked
 * here, before any request: a boolean, for a model that takes the queue).
 */
export function splitQueueOption(
  model: string,
  options: unknown,
): { queue: boolean; options: unknown } {
  if (typeof options !== "object" || options === null || !("queue" in options)) {
    return { queue: false, options };
  }
  const { queue, ...rest } = options as Record<string, unknown>;
  if (queue !== undefined && typeof queue !== "boolean") {
    throw invalidArgument(`options.queue for ${model} must be true or false.`);
  }
  if (queue) checkQueued(model, "embed");
  return { queue: queue === true, options: rest };
}
