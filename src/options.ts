/**
 * The options of `cloudflareAI()`, checked when the plugin is made: anything
 * that could misroute a request or inject a header is refused there, and the
 * client and the families' settings are made from them.
 *
 * @module
 */
import { gatewayHeaders } from "./client/extras.ts";
import { GenkitError } from "genkit";
import process from "node:process";
import { WorkersAIClient } from "./client/client.ts";
import type { AiBinding, GatewayOptions } from "./client/types.ts";
import { downloadPolicy, type MediaDownloadOptions } from "./downloads/policy.ts";
import type { FamilyContext } from "./task_family.ts";
import { checkModelId } from "./model_ids.ts";
import type { RetrievalOptions } from "./vectorize/plugin.ts";

/** Where REST requests go unless `baseUrl` or `CLOUDFLARE_AI_BASE_URL` says otherwise. */
const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";
/** Five minutes: a long non-streamed answer sends its headers only once it is complete. */
const DEFAULT_TIMEOUT_MS = 300_000;

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
export interface CloudflareAIOptions extends RetrievalOptions {
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
   * @default {process.env.CLOUDFLARE_AI_BASE_URL ?? "https://api.cloudflare.com/client/v4"}
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
   * Model ids to register when Genkit starts, of any task; others still resolve on demand.
   * @default {every model of the built-in catalog, of every task}
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
  /**
   * The Workers AI task (`"Text Generation"`, `"Text Embeddings"`, …) of
   * model ids the built-in catalog does not know, by id, so that they
   * resolve to the right kind of action without a model search (which a
   * binding has not). Known ids and what the account's model search reports
   * take precedence.
   */
  tasks?: Record<string, string>;
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
  if (g.id === undefined) throw optionError("gateway.id is required to route through AI Gateway.");
  // Every control is checked (ranges, header values) by the same rules as config.gateway.
  gatewayHeaders("gateway", g, ["id", "baseUrl", "authToken"]);
  const out: GatewayOptions = {
    ...(g as unknown as GatewayOptions),
    id: pathId("gateway.id", g.id),
  };
  if (g.baseUrl !== undefined) out.baseUrl = baseUrlOption("gateway.baseUrl", g.baseUrl);
  if (g.authToken !== undefined) out.authToken = headerValue("gateway.authToken", g.authToken);
  return out;
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
  const timeoutMs = wholeNumber("timeoutMs", options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const envBaseUrl = process.env.CLOUDFLARE_AI_BASE_URL || undefined;
  return new WorkersAIClient({
    accountId: accountId === undefined ? undefined : pathId("accountId", accountId),
    // The token goes into the Authorization header: no CR/LF may ride along.
    apiToken: apiToken === undefined ? undefined : headerValue("apiToken", apiToken),
    // CLOUDFLARE_AI_BASE_URL points an app at the emulator or a proxy without a
    // code change; set but empty, it is as if unset.
    baseUrl: baseUrlOption(
      options.baseUrl === undefined && envBaseUrl ? "CLOUDFLARE_AI_BASE_URL" : "baseUrl",
      options.baseUrl ?? envBaseUrl ?? DEFAULT_BASE_URL,
    ),
    gateway: gatewayOption(options.gateway),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    maxRetries: wholeNumber("maxRetries", options.maxRetries, 2, 0, MAX_RETRIES),
    timeoutMs,
    retryDelayMs: wholeNumber("retryDelayMs", options.retryDelayMs, 500),
    binding: options.binding,
  });
}

/** The plugin's settings, made from its checked options. */
export interface Settings {
  /** The client every request goes through. */
  client: WorkersAIClient;
  /** What the families' actions are built with. */
  context: FamilyContext;
  /** The ids to register at start; `undefined`: every family's catalog. */
  models?: readonly string[];
  /** Workers AI tasks the app named for ids the plugin does not know. */
  tasks: ReadonlyMap<string, string>;
  /** Whether requests go through a binding (there is no model search then). */
  binding: boolean;
}

/** Checks the options and makes the plugin's settings from them. */
export function settingsFrom(given: unknown): Settings {
  const options = checkedOptions(given);
  const client = createClient(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return {
    client,
    context: {
      client,
      downloads: downloadPolicy(options.mediaDownloads, fetch, timeoutMs),
      concurrency: wholeNumber("embedConcurrency", options.embedConcurrency, 4, 1, 64),
      transport: { binding: options.binding !== undefined, gateway: options.gateway !== undefined },
    },
    models: options.models,
    tasks: tasksOption(options.tasks),
    binding: options.binding !== undefined,
  };
}

/** `tasks`: model ids the plugin does not know, each with its Workers AI task name. */
function tasksOption(value: unknown): ReadonlyMap<string, string> {
  if (value === undefined) return new Map();
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw optionError('tasks must be an object such as { "@cf/acme/model": "Text Generation" }.');
  }
  const out = new Map<string, string>();
  for (const [id, task] of Object.entries(value)) {
    checkModelId(id);
    if (typeof task !== "string" || task === "") {
      throw optionError(`tasks["${id}"] must be a Workers AI task name such as "Text Generation".`);
    }
    out.set(id, task);
  }
  return out;
}
