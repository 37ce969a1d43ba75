/**
 * Cloudflare error envelopes and the Workers AI error codes with their usual
 * HTTP statuses and messages.
 *
 * @module
 */

import { hex8 } from "./util.ts";

/** An error answer: HTTP status, Cloudflare code and message. */
export class ApiError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Cloudflare error code. */
  readonly code: number;

  /** Creates an error answer. */
  constructor(status: number, code: number, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

/**
 * What Workers AI answers each error code with: its HTTP status and a
 * realistic message (`{request id}` stands for a request id, `{model}` for
 * the model). The emulator keeps its own copy of Cloudflare's table rather
 * than reading the plugin's, so that a test can catch the plugin getting a
 * status wrong.
 *
 * Published rows: https://developers.cloudflare.com/workers-ai/platform/errors/
 * (5035 added in Jul 2026). The rest are codes seen in real answers: 3021,
 * the per-minute rate limit (HTTP 429, https://github.com/cloudflare/ai/issues/657),
 * 4006, 5006, 10000, 7000, 7001, 7003, 8001, 3030, 3043, 3046 and 3050.
 */
const CODES: Readonly<Record<number, { status: number; message: string }>> = {
  5007: { status: 400, message: "AiError: No such model {model} or task" },
  5004: { status: 400, message: "AiError: Invalid data type for base64 input: object" },
  3039: {
    status: 400,
    message: "AiError: Finetune is missing required files (model.safetensors and config.json)",
  },
  3003: { status: 400, message: "AiError: Request is missing headers or body: body" },
  5018: { status: 403, message: "AiError: The account is not allowed to access this model" },
  5016: { status: 403, message: "AiError: User has not agreed to Llama3.2 model terms" },
  3023: { status: 403, message: "AiError: Service unavailable for account" },
  3041: { status: 403, message: "AiError: The account is not allowed to access this model" },
  5035: {
    status: 403,
    message: "AiError: Model {model} is not available on the Workers Free plan: " +
      "this model requires the Workers Paid plan. Upgrade to access this model: " +
      "https://dash.cloudflare.com/?to=/:account/workers/plans",
  },
  5019: { status: 405, message: "AiError: Request trying to use deprecated SDK version" },
  5005: { status: 405, message: "AiError: The model {model} does not support LoRa inference" },
  3042: { status: 404, message: "AiError: The model name is invalid" },
  3006: { status: 413, message: "AiError: Request is too large" },
  3007: { status: 408, message: "AiError: Request timeout" },
  3008: { status: 408, message: "AiError: Request was aborted" },
  3036: {
    status: 429,
    message: "AiError: You have used up your daily free allocation of 10,000 neurons. " +
      "Please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage.",
  },
  3040: {
    status: 429,
    message: "AiError: Capacity temporarily exceeded, please try again. {request id}",
  },
  3021: {
    status: 429,
    message: "AiError: rate limiting: inference request per min rate reached {request id}",
  },
  4006: {
    status: 429,
    message: "AiError: AiError: you have used up your daily free allocation of 10,000 neurons, " +
      "please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage. " +
      "{request id}",
  },
  5006: { status: 400, message: "AiError: Bad input: Error: oneOf at '/' not met, 0 matches" },
  10000: { status: 401, message: "Authentication error" },
  7000: { status: 404, message: "No route for that URI" },
  7001: { status: 405, message: "Method not allowed" },
  7003: {
    status: 404,
    message: "Could not route to that account, perhaps your object identifier is invalid?",
  },
  8001: { status: 400, message: "Invalid input" },
  3030: {
    status: 400,
    message: 'AiError: "auto" tool choice requires --enable-auto-tool-choice and ' +
      "--tool-call-parser to be set",
  },
  3043: { status: 500, message: "AiError: Internal server error {request id}" },
  3046: { status: 504, message: "AiError: Request timeout {request id}" },
  3050: { status: 503, message: "AiError: Max retries exhausted {request id}" },
};

/**
 * The HTTP status Workers AI answers an error code with; 500 for a code it
 * does not list.
 */
export function statusForCode(code: number): number {
  return Object.hasOwn(CODES, code) ? CODES[code].status : 500;
}

/** The Cloudflare error code an HTTP status is most often answered with. */
export function codeForStatus(status: number): number {
  switch (status) {
    case 400:
      return 5006;
    case 401:
      return 10000;
    case 403:
      return 5016;
    case 404:
      return 3042;
    case 405:
      return 5005;
    case 408:
      return 3007;
    case 413:
      return 3006;
    case 429:
      return 3040;
    case 502:
      return 3043;
    case 503:
      return 3050;
    case 504:
      return 3046;
    default:
      return status >= 500 ? 3043 : 5006;
  }
}

let requestIds = 0;

/** A realistic message for a Cloudflare error code. */
export function messageForCode(code: number, model = "the model"): string {
  const text = Object.hasOwn(CODES, code) ? CODES[code].message : "AiError: Internal server error";
  return text.replaceAll("{model}", model).replace(
    "{request id}",
    () => `(${hex8(`request-${++requestIds}`)})`,
  );
}

/** The JSON text of a Cloudflare error envelope. */
export function errorEnvelope(code: number, message: string): string {
  return JSON.stringify({
    result: null,
    success: false,
    errors: [{ code, message }],
    messages: [],
  });
}

/** The JSON text of a Cloudflare success envelope. */
export function successEnvelope(result: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ result, success: true, errors: [], messages: [], ...extra });
}

/** A 5006 "Bad input" error with the given validator detail. */
export function badInput(detail: string): ApiError {
  return new ApiError(400, 5006, `AiError: Bad input: Error: ${detail}`);
}

/** A 5007 "No such model" error. */
export function noSuchModel(model: string): ApiError {
  return new ApiError(400, 5007, messageForCode(5007, model));
}
