/**
 * The one table of Workers AI error codes: each code's HTTP status, Genkit
 * status, retry rule and hint, for REST answers and the binding alike.
 *
 * @module
 */
import type { GenkitError } from "genkit";

type GenkitStatus = GenkitError["status"];

/**
 * What one Workers AI error code means and what the plugin does about it.
 *
 * @example
 * ```ts
 * import { WORKERS_AI_ERROR_CODES } from "./error_codes.ts";
 *
 * const rateLimit = WORKERS_AI_ERROR_CODES[3021];
 * console.log(rateLimit.http, rateLimit.status, rateLimit.retryable); // 429 RESOURCE_EXHAUSTED true
 * ```
 */
export interface WorkersAIErrorCode {
  /** Cloudflare's name for the error, e.g. `"Out of capacity"`. */
  name: string;
  /** The HTTP status Workers AI answers the code with. */
  http: number;
  /** The Genkit status of the error when no HTTP status says otherwise (binding, in-envelope, in-stream). */
  status: GenkitStatus;
  /**
   * Whether trying again may succeed. A retryable answer is tried again up
   * to `maxRetries` times, after its `Retry-After` when it has one (else
   * after backoff); an answer that is not retryable is never tried again,
   * whatever its `Retry-After` says.
   */
  retryable: boolean;
  /** `true` for a row of Cloudflare's published table; `false` for a code seen in real answers only. */
  published: boolean;
  /** What to do next, when Cloudflare's own message does not say. */
  hint?: string;
}

const DAILY_QUOTA_HINT =
  "The account's daily free allocation of 10,000 neurons is used up; it resets at 00:00 UTC. " +
  "Upgrade to the Workers Paid plan to continue now. Not retried: retrying cannot succeed before the reset.";
const PRIVATE_MODEL_HINT =
  "This model is private to another account: choose a model your account lists (the plugin's list() shows them).";

/**
 * Every Workers AI error code: its HTTP status, Genkit status, retry rule
 * and hint. One table for REST answers (including `success: false` with
 * HTTP 200 and errors inside a stream) and for the binding, whose errors
 * carry a code but no status.
 *
 * Published rows (`published: true`) are Cloudflare's "Workers AI errors"
 * table, https://developers.cloudflare.com/workers-ai/platform/errors/
 * (docs source `src/content/docs/workers-ai/platform/errors.mdx`; the 5035
 * row was added by cloudflare/cloudflare-docs pull request 32338, Jul 2026).
 * The other rows are codes seen in real answers (reference §2.3):
 * 3021, the per-minute inference rate limit, thrown by the binding as
 * `"3021: rate limiting: inference request per min rate reached"` and
 * logged by AI Gateway as HTTP 429
 * (https://github.com/cloudflare/ai/issues/657); 4006, the daily quota as
 * real payloads carry it; 5006 schema validation; 10000 authentication;
 * 7000/7001/7003 API routing; 8001/3030 vLLM tool-choice errors;
 * 3043/3046/3050 upstream failures.
 *
 * Retry rule: capacity (3040), the per-minute rate limit (3021) and the
 * upstream failures (3043, 3046, 3050) are retried; the daily quota (3036,
 * 4006) is not, since it resets only at 00:00 UTC, and neither is any other
 * 4xx, timeouts (3007, 3008) included: the same request would run out of
 * time again.
 */
export const WORKERS_AI_ERROR_CODES: Readonly<Record<number, WorkersAIErrorCode>> = {
  // Cloudflare's published table.
  5007: {
    name: "No such model",
    http: 400,
    status: "INVALID_ARGUMENT",
    retryable: false,
    published: true,
    hint:
      "Check the model id: it may be misspelt or retired. The plugin's list() shows the models your account can use.",
  },
  5004: {
    name: "Invalid data",
    http: 400,
    status: "INVALID_ARGUMENT",
    retryable: false,
    published: true,
    hint:
      "An input sent as base64 had a type the model does not accept; check the media parts of the request.",
  },
  3039: {
    name: "Finetune missing required files",
    http: 400,
    status: "INVALID_ARGUMENT",
    retryable: false,
    published: true,
    hint:
      "The LoRA fine-tune named in config.lora lacks model.safetensors or config.json: upload both to it, then retry.",
  },
  3003: {
    name: "Incomplete request",
    http: 400,
    status: "INVALID_ARGUMENT",
    retryable: false,
    published: true,
  },
  5018: {
    name: "Account not allowed for private model",
    http: 403,
    status: "PERMISSION_DENIED",
    retryable: false,
    published: true,
    hint: PRIVATE_MODEL_HINT,
  },
  5016: {
    name: "Model agreement",
    http: 403,
    status: "PERMISSION_DENIED",
    retryable: false,
    published: true,
    hint: 'Accept the Llama 3.2 license once for this account: POST {"prompt":"agree"} to ' +
      "/ai/run/@cf/meta/llama-3.2-11b-vision-instruct (for example with curl and your API token), then retry.",
  },
  3023: {
    name: "Account blocked",
    http: 403,
    status: "PERMISSION_DENIED",
    retryable: false,
    published: true,
    hint: "Workers AI is not available to this account; contact Cloudflare support.",
  },
  3041: {
    name: "Account not allowed for private model",
    http: 403,
    status: "PERMISSION_DENIED",
    retryable: false,
    published: true,
    hint: PRIVATE_MODEL_HINT,
  },
  5035: {
    name: "Model requires Workers Paid",
    http: 403,
    status: "PERMISSION_DENIED",
    retryable: false,
    published: true,
    hint: "This model is only available on the Workers Paid plan: upgrade the account " +
      "(https://dash.cloudflare.com/?to=/:account/workers/plans) or choose a model the free plan serves.",
  },
  5019: {
    name: "Deprecated SDK version",
    http: 405,
    status: "FAILED_PRECONDITION",
    retryable: false,
    published: true,
  },
  5005: {
    name: "LoRa unsupported",
    http: 405,
    status: "FAILED_PRECONDITION",
    retryable: false,
    published: true,
    hint:
      "This model takes no LoRA adapter: remove config.lora, or choose a model whose definition lists lora.",
  },
  3042: {
    name: "Invalid model ID",
    http: 404,
    status: "NOT_FOUND",
    retryable: false,
    published: true,
    hint:
      "Check the model id: it may be misspelt or retired. The plugin's list() shows the models your account can use.",
  },
  3006: {
    name: "Request too large",
    http: 413,
    status: "INVALID_ARGUMENT",
    retryable: false,
    published: true,
    hint: "The request is too large: send fewer or shorter messages or media.",
  },
  3007: {
    name: "Timeout",
    http: 408,
    status: "DEADLINE_EXCEEDED",
    retryable: false,
    published: true,
    hint:
      "Workers AI ran out of time on this request: send a shorter input or ask for fewer output tokens. " +
      "Not retried: the same request would most likely time out again.",
  },
  3008: {
    name: "Aborted",
    http: 408,
    status: "DEADLINE_EXCEEDED",
    retryable: false,
    published: true,
  },
  3036: {
    name: "Account limited",
    http: 429,
    status: "RESOURCE_EXHAUSTED",
    retryable: false,
    published: true,
    hint: DAILY_QUOTA_HINT,
  },
  3040: {
    name: "Out of capacity",
    http: 429,
    status: "RESOURCE_EXHAUSTED",
    retryable: true,
    published: true,
    hint:
      "Workers AI is out of capacity for this model right now; try again later or use another model.",
  },
  // Seen in real answers, not in the published table.
  3021: {
    name: "Rate limited (requests per minute)",
    http: 429,
    status: "RESOURCE_EXHAUSTED",
    retryable: true,
    published: false,
    hint:
      "The account sent more requests per minute than Workers AI allows for this model's task " +
      "(https://developers.cloudflare.com/workers-ai/platform/limits/): send fewer requests per minute, " +
      "or raise maxRetries so that calls wait for the next minute.",
  },
  4006: {
    name: "Account limited (daily free neurons)",
    http: 429,
    status: "RESOURCE_EXHAUSTED",
    retryable: false,
    published: false,
    hint: DAILY_QUOTA_HINT,
  },
  5006: {
    name: "Bad input",
    http: 400,
    status: "INVALID_ARGUMENT",
    retryable: false,
    published: false,
    hint:
      "The request did not match the model's input schema; check the config values and message contents.",
  },
  10000: {
    name: "Authentication error",
    http: 401,
    status: "UNAUTHENTICATED",
    retryable: false,
    published: false,
  },
  7000: {
    name: "No route for that URI",
    http: 404,
    status: "NOT_FOUND",
    retryable: false,
    published: false,
  },
  7001: {
    name: "Method not allowed",
    http: 405,
    status: "FAILED_PRECONDITION",
    retryable: false,
    published: false,
  },
  7003: {
    name: "Could not route to the account",
    http: 404,
    status: "NOT_FOUND",
    retryable: false,
    published: false,
    hint:
      "Check CLOUDFLARE_ACCOUNT_ID (or the accountId option): no such account is reachable with this token.",
  },
  8001: {
    name: "Invalid input",
    http: 400,
    status: "INVALID_ARGUMENT",
    retryable: false,
    published: false,
  },
  3030: {
    name: "Tool choice not supported",
    http: 400,
    status: "INVALID_ARGUMENT",
    retryable: false,
    published: false,
  },
  3043: {
    name: "Internal error",
    http: 500,
    status: "INTERNAL",
    retryable: true,
    published: false,
  },
  3046: {
    name: "Upstream timeout",
    http: 504,
    status: "DEADLINE_EXCEEDED",
    retryable: true,
    published: false,
  },
  3050: {
    name: "Max retries exhausted",
    http: 503,
    status: "UNAVAILABLE",
    retryable: true,
    published: false,
  },
};

/** The table's row of a code; `undefined` for a code it does not list. */
export function codeInfo(code: number): WorkersAIErrorCode | undefined {
  return Object.hasOwn(WORKERS_AI_ERROR_CODES, code) ? WORKERS_AI_ERROR_CODES[code] : undefined;
}

/**
 * The HTTP status Workers AI answers a Cloudflare error code with; 500 for a code it does not list.
 *
 * @example
 * ```ts
 * import { httpStatusForCode } from "./error_codes.ts";
 *
 * console.log(httpStatusForCode(3021)); // 429
 * ```
 */
export function httpStatusForCode(code: number): number {
  return codeInfo(code)?.http ?? 500;
}
