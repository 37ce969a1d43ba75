/**
 * What the plugin wires in for retrieval: its options (bindings of Vectorize
 * indexes and AI Search namespaces), the indexer and retriever actions it
 * resolves by name, the reference helpers and `toMarkdown`.
 *
 * @module
 */
import type { ResolvableAction } from "genkit/plugin";
import { type AiSearchRefOptions, resolveAiSearch } from "../aisearch/retriever.ts";
import {
  AISEARCH_PREFIX,
  type AiSearchBinding,
  aiSearchBindingsOption,
} from "../aisearch/names.ts";
import type { WorkersAIClient } from "../client/client.ts";
import type { AiBinding } from "../client/types.ts";
import {
  type FileDocument,
  type MarkdownFile,
  toMarkdown,
  type ToMarkdownOptions,
} from "../markdown/convert.ts";
import type { EmbedContext } from "./embedding.ts";
import { VECTORIZE_PREFIX } from "./names.ts";
import {
  type IndexerRef,
  resolveVectorize,
  type RetrieverRef,
  vectorizeBindingsOption,
  type VectorizeRefOptions,
} from "./refs.ts";
import type { VectorizeBinding } from "./transport.ts";

/**
 * The plugin options of the retrieval pieces.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import {
 *   type AiBinding,
 *   type AiSearchBinding,
 *   cloudflareAI,
 *   type VectorizeBinding,
 * } from "@x/cloudflare-ai";
 *
 * type Env = { AI: AiBinding; DOCS: VectorizeBinding; AI_SEARCH: AiSearchBinding };
 * export function appFor(env: Env) {
 *   return genkit({
 *     plugins: [cloudflareAI({
 *       binding: env.AI,
 *       vectorizeBindings: { docs: env.DOCS },
 *       aiSearchBindings: { default: env.AI_SEARCH },
 *     })],
 *   });
 * }
 * ```
 */
export interface RetrievalOptions {
  /**
   * Vectorize bindings (`env.<INDEX>`, wrangler `[[vectorize]]`) by index
   * name; an index without one is reached over REST with the account id and
   * token (which then need the Vectorize permissions).
   */
  vectorizeBindings?: Record<string, VectorizeBinding>;
  /**
   * AI Search namespace bindings (`env.AI_SEARCH`, wrangler
   * `[[ai_search_namespaces]]`) by namespace name; other namespaces are
   * reached over REST (the token needs AI Search Edit and Run).
   */
  aiSearchBindings?: Record<string, AiSearchBinding>;
}

/**
 * The retrieval methods of a plugin instance.
 *
 * @example
 * ```ts
 * import { cloudflareAI, type CloudflareAIRetrieval } from "@x/cloudflare-ai";
 *
 * const cf: CloudflareAIRetrieval = cloudflareAI();
 * const [faq] = await cf.toMarkdown([{ name: "faq.html", data: "<h1>FAQ</h1><p>Ask.</p>" }]);
 * console.log(faq.text, faq.metadata); // "# FAQ\n\nAsk.", { name, type, tokens, format }
 * ```
 */
export interface CloudflareAIRetrieval {
  /**
   * Converts files to Genkit documents with Workers AI's Markdown conversion
   * (`/ai/tomarkdown`, or `env.AI.toMarkdown` with a binding): one document
   * per file, in order, its text Markdown (or plain text with
   * `conversionOptions.output.format: "text"`), its metadata `name`, `type`,
   * `tokens` and `format`. Refuses an empty list, a file without a name or
   * data, and unknown conversion options before any request. When the
   * service could not convert some files, throws `INVALID_ARGUMENT` naming
   * each with its reason; the other files' documents are in the error's
   * `detail.documents`.
   *
   * @example
   * ```ts
   * import { genkit } from "genkit";
   * import { cloudflareAI } from "@x/cloudflare-ai";
   *
   * const cf = cloudflareAI();
   * const ai = genkit({ plugins: [cf] });
   * const docs = await cf.toMarkdown([
   *   { name: "guide.html", data: await (await fetch("https://example.com/")).text() },
   *   { name: "prices.csv", data: "item,price\ntea,3" },
   * ]);
   * ```
   */
  toMarkdown(files: MarkdownFile[], options?: ToMarkdownOptions): Promise<FileDocument[]>;
}

/**
 * The reference helpers of the retrieval pieces, on `cloudflareAI`.
 *
 * @example
 * ```ts
 * import { Document, genkit } from "genkit";
 * import { cloudflareAI, type RetrievalRefs } from "@x/cloudflare-ai";
 *
 * const refs: RetrievalRefs = cloudflareAI;
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * const embedder = "@cf/baai/bge-base-en-v1.5";
 * await ai.index({
 *   indexer: refs.vectorizeIndexer("docs", { embedder }),
 *   documents: [Document.fromText("Ada wrote the first program.", { lang: "en" })],
 * });
 * const hits = await ai.retrieve({
 *   retriever: refs.vectorizeRetriever("docs", { embedder }),
 *   query: "Who wrote the first program?",
 *   options: { k: 3, filter: { lang: "en" } },
 * });
 * ```
 */
export interface RetrievalRefs {
  /**
   * A reference to the Vectorize indexer of `index`, for `ai.index()`:
   * documents embedded with `embedder` and upserted (indexing twice changes
   * nothing), each vector's id from `metadata.id` or a hash of the
   * namespace and text, the text and metadata in the vector's metadata.
   * Call options: `VectorizeIndexOptions`. The action is named
   * `cloudflare-ai/vectorize/<index>?embedder=<id>[&namespace=<ns>]`.
   * Throws `INVALID_ARGUMENT` for a malformed index name or namespace.
   */
  vectorizeIndexer(
    index: string,
    options: VectorizeRefOptions,
  ): IndexerRef;
  /**
   * A reference to the Vectorize retriever of `index`, for `ai.retrieve()`:
   * the query embedded with `embedder`, the nearest `k` documents (whole,
   * with `id` and `score` in their metadata). Call options:
   * `VectorizeRetrieveOptions`.
   */
  vectorizeRetriever(
    index: string,
    options: VectorizeRefOptions,
  ): RetrieverRef;
  /**
   * A reference to the AI Search retriever of `instance` (namespace
   * `default` unless given), for `ai.retrieve()`: the instance's `search`
   * (retrieval only); each chunk a document with `key`, `timestamp` and
   * `score` in its metadata. Call options: `AiSearchRetrieveOptions`.
   */
  aiSearchRetriever(
    instance: string,
    options?: AiSearchRefOptions,
  ): RetrieverRef;
}

/** The retrieval side of one plugin instance. */
export class Retrieval {
  readonly #vectorize: ReadonlyMap<string, VectorizeBinding>;
  readonly #aiSearch: ReadonlyMap<string, AiSearchBinding>;

  constructor(
    options: RetrievalOptions & { binding?: AiBinding },
    readonly client: WorkersAIClient,
    readonly embedContext: EmbedContext,
  ) {
    this.#vectorize = vectorizeBindingsOption(options.vectorizeBindings);
    this.#aiSearch = aiSearchBindingsOption(options.aiSearchBindings);
    this.#binding = options.binding;
  }

  readonly #binding: AiBinding | undefined;

  /** The indexer or retriever action of a name, or `undefined` when it is not a retrieval name. */
  resolve(actionType: string, name: string): ResolvableAction | undefined {
    if (actionType !== "indexer" && actionType !== "retriever") return undefined;
    if (name.startsWith(VECTORIZE_PREFIX)) {
      return resolveVectorize(actionType, name, {
        client: this.client,
        bindings: this.#vectorize,
        embedContext: this.embedContext,
      }) as unknown as ResolvableAction;
    }
    if (actionType === "retriever" && name.startsWith(AISEARCH_PREFIX)) {
      return resolveAiSearch(name, this.client, this.#aiSearch) as unknown as ResolvableAction;
    }
    return undefined;
  }

  /** `toMarkdown` of the plugin instance. */
  toMarkdown(files: MarkdownFile[], options?: ToMarkdownOptions): Promise<FileDocument[]> {
    return toMarkdown(files, options, { client: this.client, binding: this.#binding });
  }
}
