/**
 * The public types of the plugin: the factory with its reference helpers,
 * the plugin object, and the options of its references.
 *
 * @module
 */
import type { Finetune } from "./finetunes.ts";
import type { GenkitPluginV2 } from "genkit/plugin";
import type { CloudflareAIBatches, QueuedOperation } from "./batch/types.ts";
import type { EmbedConfig } from "./embed/config.ts";
import type { ModelConfigFor } from "./families.ts";
import type { CloudflareAIOptions } from "./options.ts";
import type { EmbedderRef, ModelRef, RerankerRef } from "./refs.ts";
import type { RerankConfig } from "./rerank/config.ts";
import type { CloudflareAIRetrieval, RetrievalRefs } from "./vectorize/plugin.ts";
import type { TextConfig } from "./text/config.ts";

/**
 * The plugin object returned by {@link cloudflareAI}: a Genkit plugin, with
 * `modelRef()` for references whose task this instance alone should know,
 * and queued batches (`generateBatch()`, `embedBatch()`) over its client.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type CloudflareAIPlugin } from "@x/cloudflare-ai";
 *
 * // The app's one set-up of Workers AI, shared by every Genkit instance it makes.
 * export function workersAI(): CloudflareAIPlugin {
 *   return cloudflareAI({ maxRetries: 4, embedConcurrency: 8 });
 * }
 * const ai = genkit({ plugins: [workersAI()] });
 * ```
 */
export type CloudflareAIPlugin =
  & GenkitPlugin
  & CloudflareAIInstanceRefs
  & CloudflareAIBatches
  & CloudflareAIAccount
  & CloudflareAIRetrieval;

/**
 * What a {@link CloudflareAIPlugin} reads of the account besides models.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type CloudflareAIAccount } from "@x/cloudflare-ai";
 *
 * const account: CloudflareAIAccount = cloudflareAI();
 * for (const tune of await account.finetunes()) console.log(tune.name, "adapts", tune.model);
 * ```
 */
export interface CloudflareAIAccount {
  /**
   * The account's LoRA fine-tunes (`/ai/finetunes`): the names and ids a
   * text model's `config.lora` takes. Needs the REST API (a binding cannot list them).
   */
  finetunes(): Promise<Finetune[]>;
}

/**
 * Genkit's plugin type (`GenkitPluginV2` of `genkit/plugin`), which every
 * {@link CloudflareAIPlugin} is.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type GenkitPlugin } from "@x/cloudflare-ai";
 *
 * const plugins: GenkitPlugin[] = [cloudflareAI()];
 * const ai = genkit({ plugins });
 * ```
 */
export type GenkitPlugin = GenkitPluginV2;

/**
 * The references a {@link CloudflareAIPlugin} makes itself: those whose
 * named task holds for that instance alone.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type CloudflareAIInstanceRefs } from "@x/cloudflare-ai";
 *
 * const refs: CloudflareAIInstanceRefs = cloudflareAI();
 * const chat = refs.modelRef("@cf/acme/brand-new-9b", undefined, { task: "Text Generation" });
 * ```
 */
export interface CloudflareAIInstanceRefs {
  /**
   * A reference to a Workers AI model, as `cloudflareAI.model()` makes it,
   * whose `options.task` (the Workers AI task of an id the built-in
   * catalog does not know, as the model search names it) holds for this
   * plugin instance only, like `options.tasks`: after the catalog and the
   * account's model search, before the text-generation fallback.
   *
   * @example
   * ```ts
   * import { genkit } from "genkit";
   * import { cloudflareAI } from "@x/cloudflare-ai";
   *
   * const cf = cloudflareAI();
   * // A model the built-in catalog does not know yet: say what it does.
   * const tts = cf.modelRef("@cf/acme/brand-new-tts", undefined, { task: "Text-to-Speech" });
   * const ai = genkit({ plugins: [cf] });
   * const { media } = await ai.generate({ model: tts, prompt: "Hello!" });
   * ```
   */
  modelRef<Id extends string>(
    id: Id,
    config?: ModelConfigFor<Id>,
    options?: ModelRefOptions,
  ): ModelRef<ModelConfigFor<Id>>;
}

/**
 * {@link cloudflareAI}: the plugin factory with its reference helpers.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { type CloudflareAI, cloudflareAI } from "@x/cloudflare-ai";
 *
 * const workersAI: CloudflareAI = cloudflareAI; // callable, with .model, .embedder, .reranker
 * const ai = genkit({
 *   plugins: [workersAI({ maxRetries: 4 })],
 *   model: workersAI.model("@cf/meta/llama-3.3-70b-instruct-fp8-fast", { temperature: 0.3 }),
 * });
 * ```
 */
export interface CloudflareAI extends RetrievalRefs {
  /** Creates the plugin. Throws at once when no credentials are configured. */
  (options?: CloudflareAIOptions): CloudflareAIPlugin;
  /**
   * A reference to a Workers AI model, for `genkit({ model })` or
   * `ai.generate({ model })`, with its capabilities (`info`) and config
   * schema; the config is typed from the id ({@link ModelConfigFor}). Throws
   * `NOT_FOUND` for a retired model (naming its replacement) and
   * `INVALID_ARGUMENT` for a malformed id or one that is not a model (an
   * embedding model, a reranker). The task of an id the catalog does not
   * know is named per plugin instance: in `cloudflareAI({ tasks })`, or with
   * {@link CloudflareAIInstanceRefs.modelRef}.
   */
  model<Id extends string>(id: Id, config?: ModelConfigFor<Id>): ModelRef<ModelConfigFor<Id>>;
  /**
   * A reference to the Genkit background model over Workers AI's async batch
   * queue for a text model whose published definition takes queued requests
   * (`async_queue`, or a `requests` input). `ai.generate({ model })` queues
   * one request and returns `{ operation }` at once; `ai.checkOperation()`
   * polls it once per call until `done`, when `operation.output` is the same
   * response the synchronous model gives. The operation's id is Cloudflare's
   * `request_id`. Its action is `cloudflare-ai/queue/<id>`. Throws
   * `INVALID_ARGUMENT` for a model without the queue.
   *
   * @example
   * ```ts
   * import { genkit } from "genkit";
   * import { cloudflareAI } from "@x/cloudflare-ai";
   *
   * const ai = genkit({ plugins: [cloudflareAI()] });
   * const model = cloudflareAI.backgroundModel("@cf/qwen/qwen3-30b-a3b-fp8");
   * let { operation } = await ai.generate({ model, prompt: "Write a haiku about queues." });
   * while (!operation!.done) {
   *   await new Promise((r) => setTimeout(r, 5_000));
   *   operation = await ai.checkOperation(operation!);
   * }
   * console.log(operation!.error?.message ?? operation!.output?.message?.content[0].text);
   * ```
   */
  backgroundModel(id: string, config?: TextConfig): ModelRef<TextConfig>;
  /**
   * The operation of a queued request rebuilt from its model and its
   * `request_id` alone (saved by another process, or before a restart), for
   * `ai.checkOperation()` in any Genkit instance with the plugin.
   *
   * @example
   * ```ts
   * import { genkit } from "genkit";
   * import { cloudflareAI } from "@x/cloudflare-ai";
   *
   * const ai = genkit({ plugins: [cloudflareAI()] });
   * const saved = "768f15b7-1a2b-4c5d-8e9f-0123456789ab"; // operation.id, stored earlier
   * const op = cloudflareAI.queuedOperation("@cf/qwen/qwen3-30b-a3b-fp8", saved);
   * const checked = await ai.checkOperation(op);
   * if (checked.done) console.log(checked.output);
   * ```
   */
  queuedOperation(id: string, requestId: string): QueuedOperation;
  /**
   * A reference to a Workers AI embedding model, for `ai.embed({ embedder })`
   * and `ai.embedMany({ embedder })`, with `info.dimensions` set for the
   * catalog's models. `config` applies to `ai.embed()`; Genkit's
   * `ai.embedMany()` ignores a reference's config, so pass it there as
   * `options`. Throws `INVALID_ARGUMENT` for an id that is not an embedding
   * model or for a config option the model does not take.
   *
   * @example
   * ```ts
   * import { genkit } from "genkit";
   * import { cloudflareAI } from "@x/cloudflare-ai";
   *
   * const ai = genkit({ plugins: [cloudflareAI()] });
   * const embedder = cloudflareAI.embedder("@cf/baai/bge-base-en-v1.5"); // info.dimensions: 768
   * // All documents in one call: sent in batches of 100, in order.
   * const vectors = await ai.embedMany({ embedder, content: ["Ada", "Grace"] });
   * const [query] = await ai.embed({ embedder, content: "Who was Ada?", options: { pooling: "mean" } });
   * ```
   */
  embedder(id: string, config?: EmbedConfig): EmbedderRef<EmbedConfig>;
  /**
   * A reference to a Workers AI reranker (`@cf/baai/bge-reranker-base`, or
   * `@cf/baai/bge-m3` in its query + contexts mode), for
   * `ai.rerank({ reranker })`. Genkit's `ai.rerank()` does not read a
   * reference's config: pass it as the call's `options` (`options: ref.config`).
   * Throws `INVALID_ARGUMENT` for an id that is not a reranker or for a config
   * option the model does not take.
   *
   * @example
   * ```ts
   * import { Document, genkit } from "genkit";
   * import { cloudflareAI } from "@x/cloudflare-ai";
   *
   * const ai = genkit({ plugins: [cloudflareAI()] });
   * const ranked = await ai.rerank({
   *   reranker: cloudflareAI.reranker("@cf/baai/bge-reranker-base"),
   *   query: "Who wrote the first program?",
   *   documents: [Document.fromText("Ada Lovelace...", { id: 1 }), Document.fromText("Cats...")],
   *   options: { topK: 1 },
   * });
   * console.log(ranked[0].score(), ranked[0].metadata.id); // best first; metadata kept
   * ```
   */
  reranker(id: string, config?: RerankConfig): RerankerRef<RerankConfig>;
}

/**
 * Options of a model reference made by {@link CloudflareAIInstanceRefs.modelRef}.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type ModelRefOptions } from "@x/cloudflare-ai";
 *
 * // A model the built-in catalog does not know yet: say what it does.
 * const options: ModelRefOptions = { task: "Text Generation" };
 * const cf = cloudflareAI();
 * const model = cf.modelRef("@cf/acme/brand-new-9b", { temperature: 0.3 }, options);
 * const ai = genkit({ plugins: [cf], model });
 * ```
 */
export interface ModelRefOptions {
  /**
   * The Workers AI task of an id the built-in catalog does not know, as the
   * model search names it (`"Text Generation"`, …). It holds for that id in
   * the plugin instance that made the reference, after the catalog and the
   * account's model search, and before the text-generation fallback.
   */
  task?: string;
}
