/**
 * Embedding models: Genkit documents to Workers AI embedding requests, split
 * into batches of the model's limit and sent with bounded concurrency, and
 * their vectors back in input order. Translation only: sending is `client.ts`.
 *
 * @module
 */
import { type Document, GenkitError, z } from "genkit";
import type { EmbedderAction } from "genkit/embedder";
import { embedder } from "genkit/plugin";
import type { EmbedderSpec } from "./embed/catalog.ts";
import type { WorkersAIClient } from "./client/client.ts";
import type { EmbedderInfo, ZodSchema } from "./refs.ts";
import { invalidArgument as invalid } from "./errors.ts";

const embedConfigSchema = z.object({
  pooling: z.enum(["mean", "cls"])
    .describe(
      "bge-*-en-v1.5 only: mean (default) or cls pooling. cls vectors are not comparable " +
        "with mean vectors.",
    )
    .optional(),
  inputType: z.enum(["query", "document"])
    .describe("qwen3-embedding only: embed the texts as queries or as documents (default).")
    .optional(),
  instruction: z.string().min(1)
    .describe("qwen3-embedding only, with inputType query: the task the queries serve.")
    .optional(),
  truncateInputs: z.boolean()
    .describe("bge-m3 only: truncate texts longer than the model's context instead of failing.")
    .optional(),
});

/**
 * Config of Workers AI embedders. Each option applies to the models named in
 * its description; any other model refuses it with `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type EmbedConfig } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const embedder = cloudflareAI.embedder("@cf/qwen/qwen3-embedding-0.6b");
 * const options: EmbedConfig = { inputType: "query", instruction: "Find the biography asked for" };
 * const [{ embedding }] = await ai.embed({ embedder, content: "Who was Ada?", options });
 * const docs = await ai.embedMany({ embedder, content: ["Ada Lovelace was...", "Grace..."] });
 * ```
 */
export interface EmbedConfig {
  /**
   * bge-small/base/large-en-v1.5 only: `mean` (the model's default) or `cls`.
   * `cls` embeds long inputs more accurately, but its vectors cannot be
   * compared with `mean` vectors: use one pooling for an index and its queries.
   */
  pooling?: "mean" | "cls";
  /**
   * qwen3-embedding only: whether the texts are search queries (sent as
   * `queries`, prefixed with the instruction) or documents to be found (sent
   * as `documents`).
   * @default {"document"}
   */
  inputType?: "query" | "document";
  /**
   * qwen3-embedding only, with `inputType: "query"`: the task the queries
   * serve. The model's default is "Given a web search query, retrieve relevant
   * passages that answer the query".
   */
  instruction?: string;
  /** bge-m3 only: truncate texts longer than the model's context instead of failing. */
  truncateInputs?: boolean;
  /** Unused by Workers AI (Genkit passes a reference's version along). */
  version?: string;
}

/**
 * Config schema of Workers AI embedders; each model's own schema keeps only
 * the options it takes.
 *
 * @example
 * ```ts
 * import { EmbedConfigSchema } from "@x/cloudflare-ai";
 * EmbedConfigSchema.parse({ pooling: "cls" });
 * ```
 */
export const EmbedConfigSchema: ZodSchema = embedConfigSchema;

type EmbedOption = Exclude<keyof EmbedConfig, "version">;

/** The options a model takes. */
function optionsOf(spec: EmbedderSpec): EmbedOption[] {
  const out: EmbedOption[] = [];
  if (spec.pooling) out.push("pooling");
  if (spec.fields === "queries-documents") out.push("inputType", "instruction");
  if (spec.truncateInputs) out.push("truncateInputs");
  return out;
}

const schemaCache = new WeakMap<EmbedderSpec, z.ZodTypeAny>();

/** The config schema shown for one model: only the options it takes. */
export function embedConfigSchemaFor(spec: EmbedderSpec): z.ZodTypeAny {
  let schema = schemaCache.get(spec);
  if (!schema) {
    const keep = Object.fromEntries(optionsOf(spec).map((k) => [k, true])) as Partial<
      Record<EmbedOption, true>
    >;
    schema = embedConfigSchema.pick(keep).strict();
    schemaCache.set(spec, schema);
  }
  return schema;
}

/** What Genkit's Developer UI and retrievers should know about an embedder. */
export function embedderInfo(spec: EmbedderSpec): EmbedderInfo {
  const info: EmbedderInfo = {
    label: `Cloudflare Workers AI - ${spec.label}`,
    supports: { input: ["text"] },
  };
  if (spec.multilingual !== undefined) info.supports!.multilingual = spec.multilingual;
  if (spec.dimensions !== undefined) info.dimensions = spec.dimensions;
  return info;
}

function takesNone(spec: EmbedderSpec): string {
  const options = optionsOf(spec);
  return options.length === 0
    ? "it takes no config options"
    : `it takes only ${options.join(", ")}`;
}

/**
 * Checks an embed call's options against what the model takes (Genkit does
 * not validate them) and returns them typed.
 */
export function validateEmbedConfig(spec: EmbedderSpec, options: unknown): EmbedConfig {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw invalid(`The embed options for ${spec.id} must be an object.`);
  }
  const c = options as Record<string, unknown>;
  const taken = new Set<string>(optionsOf(spec));
  for (const [key, value] of Object.entries(c)) {
    // ai.embed() always passes `version` (usually undefined) from the reference.
    if (value === undefined || key === "version") continue;
    if (!taken.has(key)) {
      throw invalid(
        `config.${key} is not supported by ${spec.id}: ${takesNone(spec)}. Remove it` +
          (key === "pooling" ? ", or use a bge-*-en-v1.5 model, which takes pooling." : "."),
      );
    }
  }
  if (c.pooling !== undefined && c.pooling !== "mean" && c.pooling !== "cls") {
    throw invalid(
      `config.pooling for ${spec.id} must be "mean" or "cls", got ${JSON.stringify(c.pooling)}.`,
    );
  }
  if (c.inputType !== undefined && c.inputType !== "query" && c.inputType !== "document") {
    throw invalid(
      `config.inputType for ${spec.id} must be "query" or "document", got ${
        JSON.stringify(c.inputType)
      }.`,
    );
  }
  if (c.instruction !== undefined) {
    if (typeof c.instruction !== "string" || c.instruction === "") {
      throw invalid(`config.instruction for ${spec.id} must be a non-empty string.`);
    }
    // Qwen3-Embedding puts the instruction before queries only; documents are
    // embedded without one, so an instruction there would be silently unused.
    if (c.inputType !== "query") {
      throw invalid(
        `config.instruction for ${spec.id} applies to queries only: set inputType: "query" ` +
          "to embed the texts as queries, or remove the instruction.",
      );
    }
  }
  if (c.truncateInputs !== undefined && typeof c.truncateInputs !== "boolean") {
    throw invalid(`config.truncateInputs for ${spec.id} must be true or false.`);
  }
  return c as EmbedConfig;
}

/**
 * The text of a document, which must be made of text parts only and not be
 * empty; `what` names it in errors (e.g. `documents[3]`).
 */
export function documentText(
  model: string,
  doc: Document,
  what: string,
  task: "embed" | "rerank",
): string {
  const parts = doc.content ?? [];
  const other = parts.find((p) => typeof p.text !== "string");
  if (other) {
    const kind = other.media
      ? `media (${other.media.contentType ?? other.media.url.slice(0, 30)})`
      : Object.keys(other).find((k) => k !== "metadata") ?? "non-text";
    throw invalid(
      `Cannot ${task} ${what} with ${model}: it has a ${kind} part, and Workers AI ` +
        `${task === "embed" ? "embedding models" : "rerankers"} take text only. ` +
        "Pass text documents (Document.fromText).",
    );
  }
  const text = parts.map((p) => p.text).join("");
  if (text === "") {
    throw invalid(
      `Cannot ${task} ${what} with ${model}: it has no text. Workers AI refuses empty ` +
        "texts; remove it or give it text.",
    );
  }
  return text;
}

/** The request body embedding `texts` (at most the model's batch limit). */
export function toEmbedBody(
  spec: EmbedderSpec,
  config: EmbedConfig,
  texts: string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (spec.fields === "queries-documents") {
    if (config.inputType === "query") {
      body.queries = texts;
      if (config.instruction !== undefined) body.instruction = config.instruction;
    } else {
      body.documents = texts;
    }
  } else {
    body.text = texts;
  }
  if (config.pooling !== undefined) body.pooling = config.pooling;
  if (config.truncateInputs !== undefined) body.truncate_inputs = config.truncateInputs;
  return body;
}

/** The vectors of one answer, checked against the batch size and the model's dimensions. */
function readVectors(spec: EmbedderSpec, result: unknown, count: number): number[][] {
  const data = (result as { data?: unknown } | null)?.data;
  const bad = (why: string) =>
    new GenkitError({
      status: "INTERNAL",
      message: `Workers AI answered ${spec.id} with ${why}; expected ${count} vectors` +
        (spec.dimensions ? ` of ${spec.dimensions} numbers.` : "."),
      detail: { model: spec.id },
    });
  if (!Array.isArray(data)) throw bad("no data array");
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

  const worker = async () => {
    while (next < count && !signal.aborted) {
      const batch = next++;
      const slice = texts.slice(batch * size, (batch + 1) * size);
      try {
        const result = await client.run(spec.id, toEmbedBody(spec, config, slice), { signal });
        results[batch] = readVectors(spec, result, slice.length);
        done++;
      } catch (error) {
        if (!failure && !caller.aborted) {
          failure = { batch, error };
          stop.abort(); // the call fails anyway: spend no more requests on it
        }
        return;
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

/** Defines the Genkit embedder action `cloudflare-ai/<id>` for one embedding model. */
/** Above this many numbers, an embedder's trace records a summary instead of the vectors. */
export const TRACE_SUMMARY_THRESHOLD = 100_000;

/**
 * Genkit serialises every action's whole output into its trace with
 * `JSON.stringify`; for 10,000 768-dimensional vectors that is a string of
 * about 100 MB and a third of a second of CPU on every call, for a trace no
 * one can read. Above {@link TRACE_SUMMARY_THRESHOLD} numbers, the response
 * serialises as a summary (count, dimensions, the first vector's first
 * values); the vectors themselves reach the caller untouched.
 */
export function traceSummarized<T extends { embeddings: { embedding: number[] }[] }>(
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

export function defineEmbedder(
  spec: EmbedderSpec,
  client: WorkersAIClient,
  actionName: string,
  concurrency: number,
): EmbedderAction {
  return embedder(
    { name: actionName, info: embedderInfo(spec), configSchema: embedConfigSchemaFor(spec) },
    async (request, { abortSignal }) => {
      const config = validateEmbedConfig(spec, request.options);
      const texts = request.input.map((doc, i) =>
        documentText(spec.id, doc, `documents[${i}]`, "embed")
      );
      if (texts.length === 0) return { embeddings: [] };
      const vectors = await embedInBatches(spec, client, config, texts, concurrency, abortSignal);
      return traceSummarized({ embeddings: vectors.map((embedding) => ({ embedding })) });
    },
  );
}
