/**
 * The REST side of a call: where a request goes (REST or AI Gateway, with
 * query options), the headers it carries, how its body is encoded, and the
 * error of an answer that is not OK.
 *
 * @module
 */
import { GenkitError } from "genkit";
import {
  type CloudflareErrorItem,
  envelopeErrors,
  isRetryable,
  workersAIError,
} from "../errors.ts";
import { isWorkersAIModelId } from "../model_ids.ts";
import { parseRetryAfter, RetryableFailure } from "./retry.ts";
import { isPlainObject } from "./answer.ts";
import { gatewayHeaders, metaOf, type RequestExtras } from "./extras.ts";
import type { ClientConfig, WireRequest } from "./types.ts";

/** Keys of the plugin's `gateway` option that route requests rather than control them. */
const GATEWAY_ROUTING_KEYS = ["id", "baseUrl", "authToken"];

/** Where AI Gateway requests go unless `gateway.baseUrl` says otherwise. */
const DEFAULT_GATEWAY_URL = "https://gateway.ai.cloudflare.com/v1";

/** How many checked run URLs a client keeps. */
const CHECKED_URLS = 256;

/** The error for an id that cannot be sent. */
export function notAModelId(model: string): GenkitError {
  return new GenkitError({
    status: "INVALID_ARGUMENT",
    message: `${JSON.stringify(model)} cannot be sent: it is not a Workers AI model id.`,
  });
}

/** Builds the URLs, headers and bodies of one client's REST requests. */
export class RestTarget {
  readonly #config: ClientConfig;
  /** Auth and gateway headers, shared by every request. */
  readonly #headers: Record<string, string>;
  /** The same with the JSON content type, made once: most requests are JSON. */
  readonly #jsonHeaders: Record<string, string>;
  /** Run URLs already checked, by model id. */
  readonly #checked = new Map<string, string>();

  constructor(config: ClientConfig) {
    this.#config = config;
    const headers: Record<string, string> = {};
    if (config.apiToken) headers.authorization = `Bearer ${config.apiToken}`;
    const gw = config.gateway;
    if (gw) {
      Object.assign(headers, gatewayHeaders("gateway", gw, GATEWAY_ROUTING_KEYS));
      if (gw.authToken !== undefined) headers["cf-aig-authorization"] = `Bearer ${gw.authToken}`;
    }
    this.#headers = headers;
    this.#jsonHeaders = { ...headers, "content-type": "application/json" };
  }

  /**
   * The URL a model request goes to. The account id, gateway id and base
   * URLs were checked when the plugin was made and the model id by its
   * grammar; the URL is parsed once more here, so that nothing can have
   * changed the path or added a query whatever reached this point. Query
   * options are added after that check, encoded by `URLSearchParams`.
   */
  runUrl(model: string, query?: WireRequest["query"]): string {
    let text = this.#checked.get(model);
    if (text === undefined) {
      text = this.#checkedUrl(model);
      // Checked once per model (a hot path); a bounded cache, since ids may come from users.
      if (this.#checked.size >= CHECKED_URLS) this.#checked.clear();
      this.#checked.set(model, text);
    }
    if (!query) return text;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
    }
    const search = params.toString();
    return search ? `${text}?${search}` : text;
  }

  /** The run URL of a model, parsed back and refused unless its path is exactly what was meant. */
  #checkedUrl(model: string): string {
    const { gateway, accountId, baseUrl } = this.#config;
    const base = gateway
      ? `${gateway.baseUrl ?? DEFAULT_GATEWAY_URL}/${accountId}/${gateway.id}/workers-ai`
      : `${baseUrl}/accounts/${accountId}/ai/run`;
    const text = `${base}/${model}`;
    const url = new URL(text);
    if (
      !isWorkersAIModelId(model) || url.search !== "" || url.hash !== "" ||
      url.href !== text || !url.pathname.endsWith(`/${model}`)
    ) {
      throw notAModelId(model);
    }
    return text;
  }

  /** The URL of a Cloudflare API path under the account (e.g. `ai/models/search?page=1`). */
  accountUrl(path: string): string {
    return `${this.#config.baseUrl}/accounts/${this.#config.accountId}/${path}`;
  }

  /**
   * The `fetch` options of a request: method, headers (with the request's
   * own: affinity, gateway controls), and the body in its own encoding, with
   * the options Workers AI reads from a JSON body's `options` field.
   */
  init(request: WireRequest | undefined, signal: AbortSignal, extras?: RequestExtras): RequestInit {
    if (!request) return { method: "GET", headers: this.#headers, signal };
    const own = extras && (extras.headers || extras.gateway)
      ? { ...extras.headers, ...gatewayHeaders("config.gateway", extras.gateway) }
      : undefined;
    const body = request.body;
    if ("json" in body) {
      const json = extras?.runOptions && isPlainObject(body.json)
        ? { ...body.json, options: extras.runOptions }
        : body.json;
      return {
        method: "POST",
        headers: own ? { ...this.#jsonHeaders, ...own } : this.#jsonHeaders,
        body: JSON.stringify(json),
        signal,
      };
    }
    if (extras?.runOptions) {
      // Workers AI reads these options from a JSON body only (reference §3.1).
      throw new GenkitError({
        status: "INVALID_ARGUMENT",
        message: `${Object.keys(extras.runOptions).join(", ")} cannot be sent with a ` +
          "raw-bytes or multipart body over REST: Workers AI reads them from a JSON body. " +
          "Remove it, or call the model through a Workers binding.",
      });
    }
    if ("bytes" in body) {
      return {
        method: "POST",
        headers: { ...this.#headers, ...own, "content-type": body.contentType },
        body: body.bytes,
        signal,
      };
    }
    // fetch sets multipart/form-data with its boundary itself.
    return { method: "POST", headers: { ...this.#headers, ...own }, body: body.form, signal };
  }

  /** The failure of an answer that is not OK: thrown when final, returned when it may be retried. */
  async failure(
    model: string,
    response: Response,
    secrets: readonly (string | undefined)[],
  ): Promise<RetryableFailure> {
    const meta = metaOf(response.headers);
    const text = await response.text().catch(() => "");
    const errors = parseErrors(text);
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    const error = workersAIError({
      model,
      httpStatus: response.status,
      errors,
      bodyText: errors ? undefined : text,
      retryAfterMs,
      secrets,
      meta,
    });
    if (!isRetryable(response.status, errors)) throw error;
    return new RetryableFailure(error, retryAfterMs);
  }
}

function parseErrors(text: string): CloudflareErrorItem[] | undefined {
  if (!text.trimStart().startsWith("{")) return undefined;
  try {
    return envelopeErrors(JSON.parse(text));
  } catch {
    return undefined;
  }
}
