/**
 * `cloudflareAI()`: the Genkit plugin. It assembles the catalog, the client
 * and the task-family runners; it holds no wire-format logic of its own.
 *
 * @module
 */
import { GenkitError } from "genkit";
import { modelRef } from "genkit/model";
import {
  type GenkitPluginV2,
  genkitPluginV2,
  modelActionMetadata,
  type ResolvableAction,
} from "genkit/plugin";
import process from "node:process";
import { isWorkersAIModelId, retiredModel, TEXT_MODELS, textModelSpec } from "./catalog.ts";
import { type AiBinding, type GatewayOptions, WorkersAIClient } from "./client.ts";
import type { ModelRef } from "./refs.ts";
import {
  defineTextModel,
  type TextConfig,
  TextConfigSchema,
  textModelInfo,
} from "./models/text.ts";

/** The plugin's name, and the prefix of every action it defines. */
export const PLUGIN_NAME = "cloudflare-ai";

/** Options of {@link cloudflareAI}. All are optional. */
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
}

/** The plugin object returned by {@link cloudflareAI}. */
export type CloudflareAIPlugin = GenkitPluginV2;

/** {@link cloudflareAI}: the plugin factory with its reference helpers. */
export interface CloudflareAI {
  /** Creates the plugin. Throws at once when no credentials are configured. */
  (options?: CloudflareAIOptions): CloudflareAIPlugin;
  /**
   * A reference to a Workers AI text model, for `genkit({ model })` or `ai.generate({ model })`.
   * Throws `NOT_FOUND` for a retired model (naming its replacement) and
   * `INVALID_ARGUMENT` for an id that is not `@cf/...` or `@hf/...`.
   */
  model(id: string, config?: TextConfig): ModelRef<TextConfig>;
}

/**
 * Throws unless `id` is a usable Workers AI model id: `INVALID_ARGUMENT` for
 * a malformed id, `NOT_FOUND` (with an active replacement) for a retired one.
 */
export function checkModelId(id: string): void {
  if (!isWorkersAIModelId(id)) {
    throw new GenkitError({
      status: "INVALID_ARGUMENT",
      message: `"${id}" is not a Workers AI model id. Ids start with @cf/ or @hf/, ` +
        `e.g. "@cf/meta/llama-3.1-8b-instruct-fast".`,
    });
  }
  const retired = retiredModel(id);
  if (retired) {
    const why = retired.retired
      ? `was retired by Cloudflare on ${retired.retired}`
      : "is not a Workers AI model";
    throw new GenkitError({
      status: "NOT_FOUND",
      message: `${id} ${why}${retired.note ? ` (${retired.note})` : ""}. ` +
        `Use ${retired.replacement} instead.`,
      detail: { model: id, replacement: retired.replacement },
    });
  }
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new GenkitError({
      status: "INVALID_ARGUMENT",
      message: `cloudflareAI(): ${name} must be a whole number >= 0, got ${value}.`,
    });
  }
  return value;
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
  if (options.gateway && !options.gateway.id) {
    throw new GenkitError({
      status: "INVALID_ARGUMENT",
      message: "cloudflareAI(): gateway.id is required to route through AI Gateway.",
    });
  }
  return new WorkersAIClient({
    accountId,
    apiToken,
    baseUrl: (options.baseUrl ?? "https://api.cloudflare.com/client/v4").replace(/\/+$/, ""),
    gateway: options.gateway,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    maxRetries: positiveInt("maxRetries", options.maxRetries, 2),
    timeoutMs: positiveInt("timeoutMs", options.timeoutMs, 300_000),
    retryDelayMs: positiveInt("retryDelayMs", options.retryDelayMs, 500),
    binding: options.binding,
  });
}

function plugin(options: CloudflareAIOptions = {}): CloudflareAIPlugin {
  const client = createClient(options);
  const startModels = options.models ?? TEXT_MODELS.map((m) => m.id);
  startModels.forEach(checkModelId);
  const actionName = (id: string) => `${PLUGIN_NAME}/${id}`;
  const textModel = (id: string) => defineTextModel(textModelSpec(id), client, actionName(id));

  return genkitPluginV2({
    name: PLUGIN_NAME,
    init(): ResolvableAction[] {
      return startModels.map(textModel);
    },
    resolve(actionType, name): ResolvableAction | undefined {
      if (actionType !== "model") return undefined;
      checkModelId(name);
      return textModel(name);
    },
    list() {
      return TEXT_MODELS.map((spec) =>
        modelActionMetadata({
          name: actionName(spec.id),
          info: textModelInfo(spec),
          configSchema: TextConfigSchema,
        })
      );
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
export const cloudflareAI: CloudflareAI = Object.assign(plugin, { model });
