/**
 * The public types of queued batches: what a batch is asked for, how it
 * reports progress, the state that resumes it, and its results.
 *
 * @module
 */
import type { GenkitError } from "genkit";
import type { GenerateResponseData, GenerationUsage, MessageData, Part } from "genkit/model";
import type { EmbedConfig } from "../embed/config.ts";
import type { TextConfig } from "../text/config.ts";

/**
 * A Genkit generate response (`GenerateResponseData` of `genkit/model`): what
 * a queued text request answers, as the synchronous model would.
 *
 * @example
 * ```ts
 * import type { QueuedResponse } from "@x/cloudflare-ai";
 *
 * const textOf = (r: QueuedResponse) => r.message?.content.map((p) => p.text ?? "").join("");
 * ```
 */
export type QueuedResponse = GenerateResponseData;

/**
 * The Genkit operation of a queued request (the shape of `Operation` of
 * `genkit`): its id is Cloudflare's `request_id`, its output a
 * {@link QueuedResponse}.
 *
 * @example
 * ```ts
 * import type { QueuedOperation } from "@x/cloudflare-ai";
 *
 * const save = (op: QueuedOperation) => JSON.stringify({ action: op.action, id: op.id });
 * ```
 */
export interface QueuedOperation {
  /** The background model's registry key, `/background-model/cloudflare-ai/queue/<id>`. */
  action?: string;
  /** Cloudflare's `request_id`. */
  id: string;
  /** Whether the queued request has finished (with `output` or `error`). */
  done?: boolean;
  /** The response, once done. */
  output?: QueuedResponse;
  /** Why it failed, once done: Cloudflare's code and message. */
  error?: { message: string; [key: string]: unknown };
  /** `model`, and `status`: `queued`, `running` or `done`. */
  metadata?: Record<string, unknown>;
}

/**
 * A Genkit message (`MessageData` of `genkit/model`), for the earlier turns of
 * a {@link BatchPrompt}.
 *
 * @example
 * ```ts
 * import type { BatchMessage } from "@x/cloudflare-ai";
 *
 * const turn: BatchMessage = { role: "user", content: [{ text: "Hi" }] };
 * ```
 */
export type BatchMessage = MessageData;

/**
 * A Genkit message part (`Part` of `genkit`), for a {@link BatchPrompt}'s prompt.
 *
 * @example
 * ```ts
 * import type { BatchPart } from "@x/cloudflare-ai";
 *
 * const part: BatchPart = { text: "Describe the sea." };
 * ```
 */
export type BatchPart = Part;

/**
 * Genkit's token usage (`GenerationUsage` of `genkit/model`).
 *
 * @example
 * ```ts
 * import type { BatchUsage } from "@x/cloudflare-ai";
 *
 * const total = (u: BatchUsage) => (u.inputTokens ?? 0) + (u.outputTokens ?? 0);
 * ```
 */
export type BatchUsage = GenerationUsage;

/**
 * The error of one failed input of a batch: a `GenkitError` with Cloudflare's
 * code in `detail.errors`.
 *
 * @example
 * ```ts
 * import type { BatchError } from "@x/cloudflare-ai";
 *
 * const why = (e: BatchError) => `${e.status}: ${e.message}`;
 * ```
 */
export type BatchError = GenkitError;

/**
 * How far a batch has come, passed to {@link BatchOptions.onProgress}.
 *
 * @example
 * ```ts
 * import type { BatchProgress } from "@x/cloudflare-ai";
 *
 * const show = (p: BatchProgress) =>
 *   console.log(`${p.done}/${p.total} done, ${p.failed} failed, ${p.requests} requests`);
 * ```
 */
export interface BatchProgress {
  /** Inputs (generate requests, or texts) whose outcome is known, failed ones included. */
  done: number;
  /** Of those, the inputs that failed. */
  failed: number;
  /** Inputs in the batch. */
  total: number;
  /** Inputs submitted to the queue so far (by this run or a run it resumes). */
  submitted: number;
  /** HTTP (or binding) requests this run has made: submissions and polls. */
  requests: number;
}

/**
 * Everything needed to resume a batch: the model, what the inputs were (a
 * digest), and the Cloudflare `request_id` of every submission made. Save it
 * from {@link BatchOptions.onState} (it is plain JSON) and pass it back as
 * {@link BatchOptions.state} with the same inputs to collect a batch whose
 * process stopped: nothing submitted is submitted again.
 *
 * @example
 * ```ts
 * import { writeFile } from "node:fs/promises";
 * import type { BatchState } from "@x/cloudflare-ai";
 *
 * // Any store will do (a file, KV, a database row): the state is plain JSON.
 * const save = (state: BatchState) => writeFile("batch.json", JSON.stringify(state));
 * ```
 */
export interface BatchState {
  /** The format of this object. */
  version: 1;
  /** What the batch does. */
  kind: "generate" | "embed";
  /** The Workers AI model id. */
  model: string;
  /** Inputs in the batch. */
  total: number;
  /** A digest of the queued items, so that a state is never resumed with other inputs. */
  digest: string;
  /** The submissions made, in input order: inputs `first` to `first + count - 1`. */
  submissions: BatchSubmission[];
}

/**
 * One submission of a batch: a range of its inputs and the `request_id`
 * Cloudflare gave it.
 *
 * @example
 * ```ts
 * import type { BatchSubmission } from "@x/cloudflare-ai";
 *
 * const s: BatchSubmission = { first: 0, count: 100, items: 1, requestId: "768f15b7-..." };
 * ```
 */
export interface BatchSubmission {
  /** Index of its first input. */
  first: number;
  /** How many inputs it carries. */
  count: number;
  /** How many queued items carry them (an embedding item carries up to 100 texts). */
  items: number;
  /** Cloudflare's `request_id`. */
  requestId: string;
}

/**
 * Options of a queued batch.
 *
 * @example
 * ```ts
 * import type { BatchOptions } from "@x/cloudflare-ai";
 *
 * const options: BatchOptions = {
 *   onProgress: (p) => console.log(`${p.done}/${p.total}`),
 *   onState: (state) => localStorage.setItem("batch", JSON.stringify(state)),
 *   pollIntervalMs: 2_000,
 * };
 * ```
 */
export interface BatchOptions {
  /** The saved state of an earlier run of this batch, to resume it. */
  state?: BatchState;
  /** Called (and awaited) after every submission with the state to save. */
  onState?: (state: BatchState) => void | Promise<void>;
  /** Called whenever an input's outcome becomes known, and once at the start. */
  onProgress?: (progress: BatchProgress) => void;
  /**
   * Most queued items in one submission (Cloudflare publishes no limit; the
   * body stays under 10 MB whatever this is).
   * @default {100}
   */
  maxItemsPerSubmission?: number;
  /**
   * The first wait between two polling rounds, in ms; it doubles while
   * nothing finishes, up to {@link BatchOptions.maxPollIntervalMs}.
   * @default {1000}
   */
  pollIntervalMs?: number;
  /**
   * The longest wait between two polling rounds, in ms.
   * @default {30000}
   */
  maxPollIntervalMs?: number;
  /** Stops the batch (collection stops; submitted work stays queued at Cloudflare). */
  signal?: AbortSignal;
}

/**
 * One request of {@link BatchGenerateRequest.requests}: a prompt, or a
 * conversation, with an optional system prompt and config.
 *
 * @example
 * ```ts
 * import type { BatchPrompt } from "@x/cloudflare-ai";
 *
 * const prompts: BatchPrompt[] = [
 *   "Summarise the water cycle in one sentence.",
 *   { system: "Answer in French.", prompt: "Name a river.", config: { temperature: 0.2 } },
 * ];
 * ```
 */
export type BatchPrompt = string | {
  /** The user's prompt (text, or parts). */
  prompt?: string | BatchPart[];
  /** A system prompt, sent first. */
  system?: string;
  /** Earlier turns, sent before the prompt. */
  messages?: BatchMessage[];
  /** Config of this request, over the batch's. */
  config?: TextConfig;
};

/**
 * A batch of text generations through the queue.
 *
 * @example
 * ```ts
 * import type { BatchGenerateRequest } from "@x/cloudflare-ai";
 *
 * const batch: BatchGenerateRequest = {
 *   model: "@cf/qwen/qwen3-30b-a3b-fp8",
 *   requests: ["Name a prime.", "Name a colour."],
 *   config: { maxOutputTokens: 64 },
 * };
 * ```
 */
export interface BatchGenerateRequest extends BatchOptions {
  /** A model whose published definition takes queued requests. */
  model: string;
  /** The requests, answered in this order. */
  requests: readonly BatchPrompt[];
  /** Config of every request (a request's own config is applied over it). */
  config?: TextConfig;
}

/**
 * A batch of embeddings through the queue.
 *
 * @example
 * ```ts
 * import type { BatchEmbedRequest } from "@x/cloudflare-ai";
 *
 * const batch: BatchEmbedRequest = {
 *   model: "@cf/baai/omni-bge-base-en-v1.5",
 *   texts: ["Ada Lovelace", "Grace Hopper"],
 * };
 * ```
 */
export interface BatchEmbedRequest extends BatchOptions {
  /** An embedding model whose published definition takes queued requests. */
  model: string;
  /** The texts, embedded in this order. */
  texts: readonly string[];
  /** Embedding config (e.g. `pooling`). */
  config?: EmbedConfig;
}

/**
 * The outcome of one input: its output, or its own error (the others are
 * still returned).
 *
 * @example
 * ```ts
 * import type { BatchItem } from "@x/cloudflare-ai";
 *
 * function vectorOrNull(item: BatchItem<number[]>): number[] | null {
 *   return item.ok ? item.output : null; // item.error.message says why
 * }
 * ```
 */
export type BatchItem<T> =
  | { index: number; ok: true; output: T }
  | { index: number; ok: false; error: BatchError };

/**
 * What a batch returns: one item per input, in input order.
 *
 * @example
 * ```ts
 * import type { BatchResult } from "@x/cloudflare-ai";
 *
 * function failures(result: BatchResult<number[]>): number[] {
 *   return result.items.filter((i) => !i.ok).map((i) => i.index);
 * }
 * ```
 */
export interface BatchResult<T> {
  /** One per input, in input order. */
  items: BatchItem<T>[];
  /** The final state (every submission). */
  state: BatchState;
  /** Submissions this run made, and polls. */
  requests: { submissions: number; polls: number };
  /** Tokens, as Cloudflare reported them for the whole of each submission. */
  usage: BatchUsage;
}

/**
 * Queued batches, made by the plugin instance (they use its client: REST,
 * AI Gateway or the binding).
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI } from "@x/cloudflare-ai";
 *
 * const cf = cloudflareAI();
 * const ai = genkit({ plugins: [cf] });
 * const { items } = await cf.embedBatch({
 *   model: "@cf/baai/omni-bge-base-en-v1.5",
 *   texts: ["Ada Lovelace", "Grace Hopper"],
 *   onProgress: (p) => console.log(`${p.done}/${p.total}`),
 * });
 * ```
 */
export interface CloudflareAIBatches {
  /**
   * Generates text for many requests through Workers AI's async batch queue:
   * split into submissions, polled with backoff, results in input order, each
   * failed request reported on its own. Resumable from a saved
   * {@link BatchState}.
   */
  generateBatch(request: BatchGenerateRequest): Promise<BatchResult<QueuedResponse>>;
  /**
   * Embeds many texts through Workers AI's async batch queue (up to 100 texts
   * per queued item), with the same splitting, polling, progress and resume
   * as {@link CloudflareAIBatches.generateBatch}.
   */
  embedBatch(request: BatchEmbedRequest): Promise<BatchResult<number[]>>;
}
