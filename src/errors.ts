/**
 * Cloudflare error envelopes and HTTP failures, turned into `GenkitError`s
 * that say what failed, for which model, with Cloudflare's code, and what to do.
 *
 * @module
 */
import { GenkitError } from "genkit";

/** A Genkit status name, e.g. `"RESOURCE_EXHAUSTED"`. */
type GenkitStatus = GenkitError["status"];

/**
 * One entry of a Cloudflare v4 envelope's `errors` array.
 *
 * @example
 * ```ts
 * import { GenkitError } from "genkit";
 * import type { CloudflareErrorDetail, CloudflareErrorItem } from "@x/cloudflare-ai";
 *
 * // Whether a failure is the daily free allocation running out (codes 3036 and 4006).
 * function isDailyQuota(e: unknown): boolean {
 *   if (!(e instanceof GenkitError) || !e.detail) return false;
 *   const errors: CloudflareErrorItem[] = (e.detail as CloudflareErrorDetail).errors ?? [];
 *   return errors.some((item) => item.code === 3036 || item.code === 4006);
 * }
 * ```
 */
export interface CloudflareErrorItem {
  /** Cloudflare's internal code, e.g. `3040`. */
  code: number;
  /** Cloudflare's message, e.g. `"AiError: Capacity temporarily exceeded, please try again."`. */
  message: string;
}

/**
 * What a failed Workers AI call leaves in `GenkitError.detail`.
 *
 * @example
 * ```ts
 * import { genkit, GenkitError } from "genkit";
 * import { cloudflareAI, type CloudflareErrorDetail } from "@x/cloudflare-ai";
 *
 * const ai = genkit({ plugins: [cloudflareAI()] });
 * try {
 *   await ai.generate({ model: cloudflareAI.model("@cf/zai-org/glm-5.2"), prompt: "Hi" });
 * } catch (e) {
 *   if (!(e instanceof GenkitError)) throw e;
 *   console.log((e.detail as CloudflareErrorDetail).errors); // free plan: [{ code: 5035, ... }]
 * }
 * ```
 */
export interface CloudflareErrorDetail {
  /** The model the request was for. */
  model: string;
  /** The HTTP status, when there was an HTTP response. */
  httpStatus?: number;
  /** The Cloudflare errors of the envelope, when there was one. */
  errors?: CloudflareErrorItem[];
  /** How many attempts were made. */
  attempts?: number;
}

/** Daily free-allocation exhaustion: documented as 3036, observed as 4006. Never retried. */
const DAILY_QUOTA_CODES: ReadonlySet<number> = new Set([3036, 4006]);

/**
 * The one Cloudflare code -> HTTP status table, used for REST answers that
 * carry `success: false` with HTTP 200, for binding errors (which have a code
 * but no status) and by the emulator. Documented codes (reference §2.3) plus
 * the ones seen in the wild: 10000 (auth), 7000/7001/7003 (API routing),
 * 3043/3046 (upstream failures), 8001/3030 (vLLM tool-choice errors).
 */
const CODE_TO_HTTP: Readonly<Record<number, number>> = {
  10000: 401,
  5007: 400,
  5004: 400,
  3039: 400,
  3003: 400,
  5006: 400,
  8001: 400,
  3030: 400,
  5018: 403,
  5016: 403,
  3023: 403,
  3041: 403,
  5035: 403,
  5019: 405,
  5005: 405,
  7001: 405,
  3042: 404,
  7000: 404,
  7003: 404,
  3006: 413,
  3007: 408,
  3008: 408,
  3036: 429,
  4006: 429,
  3040: 429,
  3043: 500,
  3046: 504,
  3050: 503,
};

/** The HTTP status Workers AI answers a Cloudflare error code with; 500 for a code it does not list. */
export function httpStatusForCode(code: number): number {
  return CODE_TO_HTTP[code] ?? 500;
}

/** The Genkit status for an HTTP status. */
function statusForHttp(httpStatus: number): GenkitStatus {
  switch (httpStatus) {
    case 400:
    case 413:
    case 422:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 405:
      return "FAILED_PRECONDITION";
    case 408:
    case 504:
      return "DEADLINE_EXCEEDED";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 501:
      return "UNIMPLEMENTED";
    case 502:
    case 503:
      return "UNAVAILABLE";
  }
  if (httpStatus >= 500) return "INTERNAL";
  if (httpStatus >= 400) return "FAILED_PRECONDITION";
  return "INTERNAL";
}

/**
 * The `errors` of a Cloudflare envelope (`{success:false, errors:[...]}`), of
 * an OpenAI-style `{error:{message, code}}` body, or of an in-stream error
 * event; `undefined` when the value is neither.
 */
export function envelopeErrors(value: unknown): CloudflareErrorItem[] | undefined {
  if (!value || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.errors) && v.errors.length > 0) {
    return v.errors.map(toItem);
  }
  if (v.error !== undefined && v.error !== null) return [toItem(v.error)];
  if (v.success === false) return [{ code: 0, message: "success: false with no errors" }];
  return undefined;
}

function toItem(e: unknown): CloudflareErrorItem {
  if (typeof e === "string") return { code: 0, message: e };
  const o = (e ?? {}) as Record<string, unknown>;
  const code = Number(o.code ?? o.internalCode ?? 0);
  return {
    code: Number.isFinite(code) ? code : 0,
    message: typeof o.message === "string" ? o.message : JSON.stringify(e),
  };
}

/** Whether an HTTP failure with these Cloudflare codes may succeed when tried again. */
export function isRetryable(httpStatus: number, errors: CloudflareErrorItem[] = []): boolean {
  if (errors.some((e) => DAILY_QUOTA_CODES.has(e.code))) return false;
  if (errors.some((e) => e.code === 3040)) return true;
  return httpStatus === 429 || httpStatus === 500 || httpStatus === 502 ||
    httpStatus === 503 || httpStatus === 504;
}

/** What to do next, for the codes where Cloudflare's message does not say. */
function hint(errors: CloudflareErrorItem[], httpStatus: number | undefined): string | undefined {
  const codes = new Set(errors.map((e) => e.code));
  if (errors.some((e) => /JSON Mode couldn't be met/i.test(e.message))) {
    return "The model could not produce JSON that matches the output schema. Simplify the schema " +
      "(fewer nested or optional fields), describe the fields in the prompt, or use a larger model.";
  }
  if ([...codes].some((c) => DAILY_QUOTA_CODES.has(c))) {
    return "The account's daily free allocation of 10,000 neurons is used up; it resets at 00:00 UTC. " +
      "Upgrade to the Workers Paid plan to continue now. Not retried: retrying cannot succeed before the reset.";
  }
  if (codes.has(5035)) {
    return "This model is only available on the Workers Paid plan: upgrade the account " +
      "(https://dash.cloudflare.com/?to=/:account/workers/plans) or choose a model the free plan serves.";
  }
  if (codes.has(5016)) {
    return 'Accept the Llama 3.2 license once for this account: POST {"prompt":"agree"} to ' +
      "/ai/run/@cf/meta/llama-3.2-11b-vision-instruct (for example with curl and your API token), then retry.";
  }
  if (codes.has(5007) || codes.has(3042)) {
    return "Check the model id: it may be misspelt or retired. The plugin's list() shows the models your account can use.";
  }
  if (codes.has(5006)) {
    return "The request did not match the model's input schema; check the config values and message contents.";
  }
  if (codes.has(3040)) {
    return "Workers AI is out of capacity for this model right now; try again later or use another model.";
  }
  if (codes.has(7003)) {
    return "Check CLOUDFLARE_ACCOUNT_ID (or the accountId option): no such account is reachable with this token.";
  }
  if (codes.has(10000) || httpStatus === 401) {
    return httpStatus === 403
      ? "The API token lacks permission: give it the 'Workers AI - Read' and 'Workers AI - Edit' permissions."
      : "Check CLOUDFLARE_API_TOKEN (or the apiToken option): the token is invalid, expired or missing.";
  }
  if (httpStatus === 403) {
    return "The account or token is not allowed to use this model.";
  }
  if (codes.has(3006) || httpStatus === 413) {
    return "The request is too large: send fewer or shorter messages or media.";
  }
  return undefined;
}

/** An `INVALID_ARGUMENT` error: bad input refused before any request. */
export function invalidArgument(message: string, detail?: unknown): GenkitError {
  return new GenkitError({ status: "INVALID_ARGUMENT", message, detail });
}

/** Refuses `config.<key>` of `model` unless it is absent or a boolean. */
export function checkBoolean(model: string, key: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") {
    throw invalidArgument(`config.${key} for ${model} must be true or false.`);
  }
}

/**
 * Removes every occurrence of the given secrets from a text. Call it before
 * cutting a text short: a cut that falls inside a secret would otherwise
 * leave its prefix behind.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4 && out.includes(s)) out = out.split(s).join("[REDACTED]");
  }
  return out;
}

/** The inputs of {@link workersAIError}. */
export interface WorkersAIErrorInit {
  /** The model id the request was for. */
  model: string;
  /** The HTTP status, if an HTTP response arrived. */
  httpStatus?: number;
  /** Cloudflare's errors, if the body was an envelope. */
  errors?: CloudflareErrorItem[];
  /** A short text of the body when it was not an envelope (e.g. an HTML error page). */
  bodyText?: string;
  /** The server's `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
  /** Secrets that must never appear in the message. */
  secrets?: readonly (string | undefined)[];
}

/** Builds the `GenkitError` for a failed Workers AI response. */
export function workersAIError(init: WorkersAIErrorInit): GenkitError {
  const secrets = init.secrets ?? [];
  // An upstream may echo the request's headers back: redact every text that
  // leaves here, before it is summarised or cut.
  const errors = (init.errors ?? []).map((e) => ({
    code: e.code,
    message: redact(e.message, secrets),
  }));
  const httpStatus = (init.httpStatus === undefined || init.httpStatus === 200) && errors.length > 0
    ? httpStatusForCode(errors[0].code)
    : init.httpStatus;
  const status = httpStatus === undefined ? "UNAVAILABLE" : statusForHttp(httpStatus);
  const parts: string[] = [
    `Workers AI request for ${init.model} failed` +
    (init.httpStatus !== undefined ? ` with HTTP ${init.httpStatus}` : ""),
  ];
  if (errors.length > 0) {
    parts.push(errors.map((e) => `Cloudflare error ${e.code}: ${e.message}`).join("; "));
  } else if (init.bodyText) {
    parts.push(`non-JSON body: ${summarize(redact(init.bodyText, secrets))}`);
  }
  const h = hint(errors, httpStatus);
  if (h) parts.push(h);
  const detail: CloudflareErrorDetail = { model: init.model, httpStatus: init.httpStatus, errors };
  return new GenkitError({
    status,
    message: redact(parts.join(". "), secrets),
    detail,
    ...(init.retryAfterMs !== undefined
      ? { responseMetadata: { retryAfterMs: init.retryAfterMs } }
      : {}),
  });
}

/** The first words of an HTML or text body, tags stripped. */
function summarize(text: string): string {
  const plain = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return plain.length > 160 ? `${plain.slice(0, 160)}…` : plain || "(empty)";
}
