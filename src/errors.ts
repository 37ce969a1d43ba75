/**
 * Cloudflare error envelopes and HTTP failures, turned into `GenkitError`s
 * that say what failed, for which model, with Cloudflare's code, and what to do.
 *
 * @module
 */
import { GenkitError } from "genkit";

/** A Genkit status name, e.g. `"RESOURCE_EXHAUSTED"`. */
import {
  codeInfo,
  httpStatusForCode,
  WORKERS_AI_ERROR_CODES,
  type WorkersAIErrorCode,
} from "./error_codes.ts";

export { httpStatusForCode, WORKERS_AI_ERROR_CODES } from "./error_codes.ts";
export type { WorkersAIErrorCode };

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
  /** Cloudflare's Ray ID of the answer, when it sent one. */
  cfRay?: string;
  /** AI Gateway's log id of the request, when it went through a gateway. */
  gatewayLogId?: string;
  /** AI Gateway's cache status of the answer, when it went through a gateway. */
  gatewayCacheStatus?: string;
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

/**
 * Whether a failure may succeed when tried again: by the first Cloudflare
 * code the table lists, else by the HTTP status (429, 500, 502, 503, 504).
 *
 * @example
 * ```ts
 * import { isRetryable } from "./errors.ts";
 *
 * isRetryable(429, [{ code: 3021, message: "rate limiting" }]); // true
 * isRetryable(429, [{ code: 4006, message: "daily free allocation" }]); // false
 * ```
 */
export function isRetryable(httpStatus: number, errors: CloudflareErrorItem[] = []): boolean {
  // A code that is never retried wins over one that is (e.g. a quota code beside a capacity code).
  const known = errors.map((e) => codeInfo(e.code)).filter((c) => c !== undefined);
  if (known.length > 0) return known.every((c) => c.retryable);
  return httpStatus === 429 || httpStatus === 500 || httpStatus === 502 ||
    httpStatus === 503 || httpStatus === 504;
}

/** What to do next, for the codes where Cloudflare's message does not say. */
function hint(errors: CloudflareErrorItem[], httpStatus: number | undefined): string | undefined {
  if (errors.some((e) => /JSON Mode couldn't be met/i.test(e.message))) {
    return "The model could not produce JSON that matches the output schema. Simplify the schema " +
      "(fewer nested or optional fields), describe the fields in the prompt, or use a larger model.";
  }
  const codes = new Set(errors.map((e) => e.code));
  if (codes.has(10000) || httpStatus === 401) {
    return httpStatus === 403
      ? "The API token lacks permission: give it the 'Workers AI - Read' and 'Workers AI - Edit' permissions."
      : "Check CLOUDFLARE_API_TOKEN (or the apiToken option): the token is invalid, expired or missing.";
  }
  for (const e of errors) {
    const h = codeInfo(e.code)?.hint;
    if (h) return h;
  }
  if (httpStatus === 403) return "The account or token is not allowed to use this model.";
  if (httpStatus === 413) return WORKERS_AI_ERROR_CODES[3006].hint;
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
  /** What identifies the request (Ray ID, gateway log id and cache status), when known. */
  meta?: { cfRay?: string; gatewayLogId?: string; gatewayCacheStatus?: string };
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
  // Without an HTTP error status (a binding, an envelope with HTTP 200, an
  // in-stream error) the code says what the failure is; otherwise the status does.
  const byCode = (init.httpStatus === undefined || init.httpStatus === 200) && errors.length > 0;
  const httpStatus = byCode ? httpStatusForCode(errors[0].code) : init.httpStatus;
  const status = byCode
    ? codeInfo(errors[0].code)?.status ?? statusForHttp(httpStatus!)
    : httpStatus === undefined
    ? "UNAVAILABLE"
    : statusForHttp(httpStatus);
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
  const detail: CloudflareErrorDetail = {
    model: init.model,
    httpStatus: init.httpStatus,
    errors,
    ...init.meta,
  };
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
