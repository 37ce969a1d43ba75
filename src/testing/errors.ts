/**
 * Cloudflare error envelopes and the Workers AI error codes with their usual
 * HTTP statuses and messages.
 *
 * @module
 */

import { httpStatusForCode } from "../errors.ts";
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
 * The HTTP status Workers AI answers an error code with: the plugin's own
 * table, so that the emulator, REST and the binding never disagree.
 */
export const statusForCode: (code: number) => number = httpStatusForCode;

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
  const id = () => `(${hex8(`request-${++requestIds}`)})`;
  switch (code) {
    case 10000:
      return "Authentication error";
    case 3040:
      return `AiError: Capacity temporarily exceeded, please try again. ${id()}`;
    case 4006:
      return "AiError: AiError: you have used up your daily free allocation of 10,000 neurons, " +
        "please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage. " +
        id();
    case 3036:
      return "AiError: You have used up your daily free allocation of 10,000 neurons. " +
        "Please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage.";
    case 5006:
      return "AiError: Bad input: Error: oneOf at '/' not met, 0 matches";
    case 5007:
      return `AiError: No such model ${model} or task`;
    case 5016:
      return "AiError: User has not agreed to Llama3.2 model terms";
    case 5035:
      return `AiError: Model ${model} is not available on the Workers Free plan: ` +
        "this model requires the Workers Paid plan. Upgrade to access this model: " +
        "https://dash.cloudflare.com/?to=/:account/workers/plans";
    case 5005:
      return `AiError: The model ${model} does not support LoRa inference`;
    case 3006:
      return "AiError: Request is too large";
    case 3007:
      return "AiError: Request timeout";
    case 3008:
      return "AiError: Request was aborted";
    case 3023:
      return "AiError: Service unavailable for account";
    case 3042:
      return "AiError: The model name is invalid";
    case 3046:
      return "AiError: Request timeout";
    case 3050:
      return "AiError: Max retries exhausted";
    case 7000:
      return "No route for that URI";
    case 7001:
      return "Method not allowed";
    default:
      return "AiError: Internal server error";
  }
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
