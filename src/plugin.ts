/**
 * `cloudflareAI()`: the Genkit plugin. It assembles the catalog, the client
 * and the task-family runners; it holds no wire-format logic of its own.
 *
 * @module
 */
import { type ActionMetadata, GenkitError } from "genkit";
import { logger } from "genkit/logging";
import { type ModelAction, type ModelInfo, modelRef } from "genkit/model";
import {
  embedderActionMetadata,
  type GenkitPluginV2,
  genkitPluginV2,
  modelActionMetadata,
  type ResolvableAction,
} from "genkit/plugin";
import { toJsonSchema } from "genkit/schema";
import process from "node:process";
import {
  type EmbedderSpec,
  embedderSpec,
  EMBEDDING_MODELS,
  knownEmbedder,
} from "./embed/catalog.ts";
import { checkModelId, isWorkersAIModelId, retiredModel } from "./model_ids.ts";
import {
  knownReranker,
  RERANKER_MODELS,
  type RerankerSpec,
  rerankerSpec,
} from "./rerank/catalog.ts";
import { knownTextModel, TEXT_MODELS, type TextModelSpec, textModelSpec } from "./text/catalog.ts";
import { WorkersAIClient } from "./client/client.ts";
import type { AiBinding, GatewayOptions } from "./client/types.ts";
import {
  defineEmbedder,
  type EmbedConfig,
  embedConfigSchemaFor,
  embedderInfo,
  validateEmbedConfig,
} from "./embedders.ts";
import { downloadPolicy, type MediaDownloadOptions } from "./downloads.ts";
import type { EmbedderRef, ModelRef, RerankerRef } from "./refs.ts";
import {
  defineReranker,
  type RerankConfig,
  rerankConfigSchemaFor,
  rerankerInfo,
  validateRerankConfig,
} from "./rerankers.ts";
import { searchAllModels } from "./list.ts";
import {
  configSchemaFor,
  defineTextModel,
  type TextConfig,
  TextConfigSchema,
  textModelInfo,
} from "./models/text.ts";

/**
 * The plugin's name, and the prefix of every action it defines.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, PLUGIN_NAME } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * // Actions are named "cloudflare-ai/<model id>", so a model can also be named by string.
 * const model = `${PLUGIN_NAME}/@cf/qwen/qwen3-30b-a3b-fp8`;
 * const { text } = await ai.generate({ model, prompt: "Name three prime numbers." });
 * ```
 */
export const PLUGIN_NAME = "cloudflare-ai";

/**
 * Options of {@link cloudflareAI}. All are optional.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type CloudflareAIOptions } from "@x/cloudflare-ai";
 *
 * const options: CloudflareAIOptions = {
 *   maxRetries: 4, // capacity errors (429, code 3040) are common at peak times
 *   timeoutMs: 60_000,
 *   models: ["@cf/meta/llama-3.3-70b-instruct-fp8-fast"], // registered at start; others on demand
 * };
 * const ai = genkit({ plugins: [cloudflareAI(options)] });
 * ```
 */
export interface CloudflareAIOptions {
  /**
   * Cloudflare account id.
   * @default {process.env.CLOUDFLARE_ACCOUNT_ID}
   */
  accountId?: string;
  /**
   * API token with the Workers AI Read and Edit permissions.
   * @default {process.env.CLOUDFLARE_API_TOKEN}
   */
  apiToken?: string;
  /**
   * REST API base URL; requests go to `${baseUrl}/accounts/${accountId}/ai/run/${modelId}`.
   * @default {"https://api.cloudflare.com/client/v4"}
   */
  baseUrl?: string;
  /** Route requests through Cloudflare AI Gateway. */
  gateway?: GatewayOptions;
  /**
   * A custom `fetch` (a proxy, instrumentation, tests).
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * Retries after the first attempt, for capacity errors (429/3040), 5xx and network failures.
   * @default {2}
   */
  maxRetries?: number;
  /**
   * Milliseconds to wait for response headers, and for each gap between stream events; 0 disables.
   * @default {300000}
   */
  timeoutMs?: number;
  /**
   * Base delay of the exponential backoff between retries, in milliseconds.
   * @default {500}
   */
  retryDelayMs?: number;
  /**
   * Model ids to register when Genkit starts.
   * @default {every text model of the built-in catalog}
   */
  models?: string[];
  /** A Workers AI binding (`env.AI` in a Cloudflare Worker); then no account id or token is needed. */
  binding?: AiBinding;
  /**
   * Most embedding requests one embed call keeps in flight. `ai.embedMany`
   * hands the embedder all its documents at once; they are sent in batches
   * of the model's limit (100 texts, 32 for qwen3-embedding), this many at a
   * time, and the vectors come back in input order. Concurrent calls each
   * have their own limit. Four in flight stay under the Text Embeddings rate
   * limit (3,000 requests a minute) while a request takes 80 ms or more.
   * @default {4}
   */
  embedConcurrency?: number;
  /**
   * How remote (`http(s)`) media in prompts is downloaded before it is sent:
   * through this plugin's `fetch`, within `timeoutMs`, with caps per file and
   * per request, a bounded number of redirects, and no loopback, private or
   * link-local hosts unless `allowPrivateHosts` is set.
   */
  mediaDownloads?: MediaDownloadOptions;
}

/**
 * The plugin object returned by {@link cloudflareAI}.
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
export type CloudflareAIPlugin = GenkitPluginV2;

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
export interface CloudflareAI {
  /** Creates the plugin. Throws at once when no credentials are configured. */
  (options?: CloudflareAIOptions): CloudflareAIPlugin;
  /**
   * A reference to a Workers AI text model, for `genkit({ model })` or `ai.generate({ model })`.
   * Throws `NOT_FOUND` for a retired model (naming its replacement) and
   * `INVALID_ARGUMENT` for an id that is not `@cf/...` or `@hf/...`.
   */
  model(id: string, config?: TextConfig): ModelRef<TextConfig>;
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

function optionError(message: string): GenkitError {
  return new GenkitError({ status: "INVALID_ARGUMENT", message: `cloudflareAI(): ${message}` });
}

function wholeNumber(
  name: string,
  value: unknown,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw optionError(`${name} must be a whole number ${range}, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Account and gateway ids: one path segment of safe characters. */
const PATH_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

function pathId(name: string, value: unknown): string {
  if (typeof value !== "string" || !PATH_ID.test(value)) {
    throw optionError(
      `${name} must be letters, digits, "-" and "_" only (it becomes part of the request URL), ` +
        `got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** A base URL: http(s), no query, fragment or credentials; normalised, without a trailing slash. */
function baseUrlOption(name: string, value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (
    !url || (url.protocol !== "https:" && url.protocol !== "http:") || url.search !== "" ||
    url.hash !== "" || url.username !== "" || url.password !== ""
  ) {
    throw optionError(
      `${name} must be an http(s) URL without a query, fragment or credentials, got ${
        JSON.stringify(value)
      }.`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

/** A value that goes into an HTTP header: a string without control characters (CR/LF above all). */
function headerValue(name: string, value: unknown): string {
  // deno-lint-ignore no-control-regex
  if (typeof value !== "string" || value === "" || /[\u0000-\u001f\u007f]/.test(value)) {
    throw optionError(`${name} must be a non-empty string without control characters.`);
  }
  return value;
}

function gatewayOption(value: unknown): GatewayOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw optionError('gateway must be an object such as { id: "my-gateway" }.');
  }
  const g = value as Record<string, unknown>;
  const known = ["id", "baseUrl", "cacheTtl", "skipCache", "cacheKey", "metadata", "authToken"];
  const unknown = Object.keys(g).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw optionError(`gateway has no option ${unknown.join(", ")}; it takes ${known.join(", ")}.`);
  }
  if (g.id === undefined) throw optionError("gateway.id is required to route through AI Gateway.");
  const out: GatewayOptions = { id: pathId("gateway.id", g.id) };
  if (g.baseUrl !== undefined) out.baseUrl = baseUrlOption("gateway.baseUrl", g.baseUrl);
  if (g.cacheTtl !== undefined) out.cacheTtl = wholeNumber("gateway.cacheTtl", g.cacheTtl, 0);
  if (g.skipCache !== undefined) {
    if (typeof g.skipCache !== "boolean") throw optionError("gateway.skipCache must be a boolean.");
    out.skipCache = g.skipCache;
  }
  if (g.cacheKey !== undefined) out.cacheKey = headerValue("gateway.cacheKey", g.cacheKey);
  if (g.authToken !== undefined) out.authToken = headerValue("gateway.authToken", g.authToken);
  if (g.metadata !== undefined) {
    const m = g.metadata;
    const entries = typeof m === "object" && m !== null && !Array.isArray(m)
      ? Object.entries(m)
      : undefined;
    // AI Gateway takes at most 5 entries of string, number or boolean values (reference §14).
    if (
      !entries || entries.length > 5 ||
      entries.some(([, v]) => !["string", "number", "boolean"].includes(typeof v))
    ) {
      throw optionError(
        "gateway.metadata must be an object of at most 5 string, number or boolean values.",
      );
    }
    headerValue("gateway.metadata", JSON.stringify(m));
    out.metadata = m as GatewayOptions["metadata"];
  }
  return out;
}

/** Whether an id names a known embedding model or reranker (no text model is built for it). */
function isRetrievalModel(id: string): boolean {
  return knownEmbedder(id) !== undefined || knownReranker(id) !== undefined;
}

/** Whether `id` may name an embedding model: not a known text model, nor a reranker only. */
function mayEmbed(id: string): boolean {
  return !knownTextModel(id) && (knownEmbedder(id) !== undefined || !knownReranker(id));
}

/** Whether `id` may name a reranker: not a known text model, nor an embedding model only. */
function mayRerank(id: string): boolean {
  return !knownTextModel(id) && (knownReranker(id) !== undefined || !knownEmbedder(id));
}

/** Throws unless `id` is a usable id that may name an embedding model. */
function checkEmbedderId(id: string): void {
  checkModelId(id);
  if (!mayEmbed(id)) {
    throw new GenkitError({
      status: "INVALID_ARGUMENT",
      message: `${id} is not an embedding model. Use one such as @cf/baai/bge-base-en-v1.5 ` +
        `(the catalog has ${EMBEDDING_MODELS.map((m) => m.id).join(", ")}).`,
    });
  }
}

/** Throws unless `id` is a usable id that may name a reranker. */
function checkRerankerId(id: string): void {
  checkModelId(id);
  if (!mayRerank(id)) {
    throw new GenkitError({
      status: "INVALID_ARGUMENT",
      message: `${id} is not a reranker. Use @cf/baai/bge-reranker-base, ` +
        "or @cf/baai/bge-m3 in its query + contexts mode.",
    });
  }
}

/** The most retries an app may ask for: more only piles load onto an account that is already limited. */
const MAX_RETRIES = 10;

/** The options, checked: anything that could misroute a request or inject a header is refused. */
function checkedOptions(options: unknown): CloudflareAIOptions {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw optionError("options must be an object.");
  }
  const o = options as CloudflareAIOptions;
  if (o.fetch !== undefined && typeof o.fetch !== "function") {
    throw optionError("fetch must be a function with the signature of globalThis.fetch.");
  }
  if (
    o.binding !== undefined &&
    (typeof o.binding !== "object" || o.binding === null ||
      typeof (o.binding as { run?: unknown }).run !== "function")
  ) {
    throw optionError("binding must be a Workers AI binding (env.AI), an object with run().");
  }
  if (o.models !== undefined) {
    if (!Array.isArray(o.models)) {
      throw optionError("models must be an array of Workers AI model ids.");
    }
    o.models.forEach((id) => checkModelId(id));
  }
  return o;
}

function createClient(options: CloudflareAIOptions): WorkersAIClient {
  const accountId = options.accountId ?? process.env.CLOUDFLARE_ACCOUNT_ID;
  const apiToken = options.apiToken ?? process.env.CLOUDFLARE_API_TOKEN;
  if (!options.binding) {
    const missing = [
      accountId ? undefined : "CLOUDFLARE_ACCOUNT_ID",
      apiToken ? undefined : "CLOUDFLARE_API_TOKEN",
    ].filter(Boolean);
    if (missing.length > 0) {
      throw new GenkitError({
        status: "FAILED_PRECONDITION",
        message: `cloudflareAI(): no Cloudflare credentials. Set ${missing.join(" and ")} ` +
          "in the environment, or pass accountId and apiToken (or a Workers AI binding) to cloudflareAI().",
      });
    }
  }
  const timeoutMs = wholeNumber("timeoutMs", options.timeoutMs, 300_000);
  return new WorkersAIClient({
    accountId: accountId === undefined ? undefined : pathId("accountId", accountId),
    // The token goes into the Authorization header: no CR/LF may ride along.
    apiToken: apiToken === undefined ? undefined : headerValue("apiToken", apiToken),
    baseUrl: baseUrlOption("baseUrl", options.baseUrl ?? "https://api.cloudflare.com/client/v4"),
    gateway: gatewayOption(options.gateway),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    maxRetries: wholeNumber("maxRetries", options.maxRetries, 2, 0, MAX_RETRIES),
    timeoutMs,
    retryDelayMs: wholeNumber("retryDelayMs", options.retryDelayMs, 500),
    binding: options.binding,
  });
}

function plugin(given?: CloudflareAIOptions): CloudflareAIPlugin {
  const options = checkedOptions(given);
  const client = createClient(options);
  const embedConcurrency = wholeNumber("embedConcurrency", options.embedConcurrency, 4, 1, 64);
  const downloads = downloadPolicy(
    options.mediaDownloads,
    options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    options.timeoutMs ?? 300_000,
  );
  const startModels = options.models ?? TEXT_MODELS.map((m) => m.id);
  const actionName = (id: string) => `${PLUGIN_NAME}/${id}`;
  // Specs learnt from the account's model search, for models the catalog does not know.
  const liveSpecs = new Map<string, TextModelSpec>();
  // Release stages the account's model search reported (planned deprecation,
  // beta), and the text actions built so far: Genkit's model() has no stage
  // option, so the plugin sets it on the action's metadata, where the
  // Developer UI and Genkit's deprecation warning read it.
  const liveStages = new Map<string, ModelInfo["stage"]>();
  const textActions = new Map<string, ModelAction>();
  const setStage = (action: ModelAction, stage: ModelInfo["stage"]) => {
    const meta = action.__action.metadata as { model?: Record<string, unknown> } | undefined;
    if (meta?.model && stage) meta.model.stage = stage;
  };
  const textModel = (id: string) => {
    const spec = liveSpecs.get(id) ?? textModelSpec(id);
    const action = defineTextModel(spec, client, actionName(id), downloads);
    setStage(action, liveStages.get(id) ?? textModelInfo(spec).stage);
    textActions.set(id, action);
    return action;
  };
  const textMetadata = (spec: TextModelSpec, stage?: ModelInfo["stage"]) =>
    modelActionMetadata({
      name: actionName(spec.id),
      info: stage ? { ...textModelInfo(spec), stage } : textModelInfo(spec),
      configSchema: configSchemaFor(spec),
    });
  const embedderMetadata = (spec: EmbedderSpec) =>
    embedderActionMetadata({
      name: actionName(spec.id),
      info: embedderInfo(spec),
      configSchema: embedConfigSchemaFor(spec),
    });
  // Genkit has no helper for rerankers; this is the metadata its reranker()
  // gives the action once it is resolved.
  const rerankerMetadata = (spec: RerankerSpec): ActionMetadata => ({
    actionType: "reranker",
    name: actionName(spec.id),
    metadata: {
      type: "reranker",
      info: rerankerInfo(spec),
      reranker: { customOptions: toJsonSchema({ schema: rerankConfigSchemaFor(spec) }) },
    },
  });
  const builtInListing = (): ActionMetadata[] => [
    ...TEXT_MODELS.map((spec) => textMetadata(spec)),
    ...EMBEDDING_MODELS.map(embedderMetadata),
    ...RERANKER_MODELS.map(rerankerMetadata),
  ];
  // The account's models from the model search API, mapped to Genkit action
  // types; tasks this plugin does not serve yet are left out.
  const liveListing = async (): Promise<ActionMetadata[]> => {
    const out: ActionMetadata[] = [];
    for (const m of await searchAllModels(client)) {
      if (retiredModel(m.id) || !isWorkersAIModelId(m.id)) continue;
      const stage = m.deprecationDate ? "deprecated" : m.beta ? "unstable" : undefined;
      if (m.task === "Text Generation") {
        if (stage) {
          liveStages.set(m.id, stage);
          const built = textActions.get(m.id);
          if (built) setStage(built, stage);
        }
        let spec = knownTextModel(m.id);
        if (!spec) {
          const guess = textModelSpec(m.id);
          spec = {
            ...guess,
            label: m.id.replace(/^@(cf|hf)\//, ""),
            tools: m.functionCalling,
            contextWindow: m.contextWindow,
            beta: m.beta,
          };
          liveSpecs.set(m.id, spec);
        }
        out.push(textMetadata(spec, stage));
      } else if (m.task === "Text Embeddings") {
        out.push(embedderMetadata(embedderSpec(m.id)));
      } else if (knownReranker(m.id)) {
        out.push(rerankerMetadata(knownReranker(m.id)!));
      }
    }
    return out;
  };
  let listing: Promise<ActionMetadata[]> | undefined;
  let listFailureLogged = false;
  const embedderAction = (id: string) =>
    defineEmbedder(embedderSpec(id), client, actionName(id), embedConcurrency);
  const rerankerAction = (id: string) => defineReranker(rerankerSpec(id), client, actionName(id));

  return genkitPluginV2({
    name: PLUGIN_NAME,
    init(): ResolvableAction[] {
      return [
        // Embedding and reranker ids are registered below, as what they are.
        ...startModels.filter((id) => !isRetrievalModel(id)).map(textModel),
        ...EMBEDDING_MODELS.map((m) => embedderAction(m.id)),
        ...RERANKER_MODELS.map((m) => rerankerAction(m.id)),
      ];
    },
    resolve(actionType, name): ResolvableAction | undefined {
      switch (actionType) {
        case "model":
          checkModelId(name);
          return isRetrievalModel(name) ? undefined : textModel(name);
        case "embedder":
          checkModelId(name);
          return mayEmbed(name) ? embedderAction(name) : undefined;
        case "reranker":
          checkModelId(name);
          return mayRerank(name) ? rerankerAction(name) : undefined;
      }
      return undefined;
    },
    async list(): Promise<ActionMetadata[]> {
      // A binding has no model search over REST: list the built-in catalog.
      if (options.binding) return builtInListing();
      listing ??= liveListing().catch((e) => {
        listing = undefined; // try again on the next call
        if (!listFailureLogged) {
          listFailureLogged = true;
          logger.warn(
            `cloudflare-ai: could not read the account's models (${
              client.redact(e instanceof Error ? e.message : String(e))
            }); listing the built-in catalog instead.`,
          );
        }
        return builtInListing();
      });
      return await listing;
    },
  });
}

function model(id: string, config?: TextConfig): ModelRef<TextConfig> {
  checkModelId(id);
  return modelRef({
    name: `${PLUGIN_NAME}/${id}`,
    info: textModelInfo(textModelSpec(id)),
    configSchema: TextConfigSchema,
    config,
  });
}

function embedderRef(id: string, config?: EmbedConfig): EmbedderRef<EmbedConfig> {
  checkEmbedderId(id);
  const spec = embedderSpec(id);
  if (config !== undefined) validateEmbedConfig(spec, config);
  return {
    name: `${PLUGIN_NAME}/${id}`,
    info: embedderInfo(spec),
    configSchema: embedConfigSchemaFor(spec),
    ...(config === undefined ? {} : { config }),
  };
}

function rerankerRef(id: string, config?: RerankConfig): RerankerRef<RerankConfig> {
  checkRerankerId(id);
  const spec = rerankerSpec(id);
  if (config !== undefined) validateRerankConfig(spec, config);
  return {
    name: `${PLUGIN_NAME}/${id}`,
    info: rerankerInfo(spec),
    configSchema: rerankConfigSchemaFor(spec),
    ...(config === undefined ? {} : { config }),
  };
}

/**
 * The Cloudflare Workers AI plugin for Genkit.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI } from "@x/cloudflare-ai";
 *
 * const ai = genkit({
 *   plugins: [cloudflareAI()], // CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN
 *   model: cloudflareAI.model("@cf/meta/llama-3.1-8b-instruct-fast"),
 * });
 * const { text } = await ai.generate("Say hi to Ada in a friendly way!");
 * ```
 */
export const cloudflareAI: CloudflareAI = Object.assign(plugin, {
  model,
  embedder: embedderRef,
  reranker: rerankerRef,
});
