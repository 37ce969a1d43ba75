/**
 * When and how long to wait before trying a request again: which failures
 * are retryable, full-jitter exponential backoff, `Retry-After`, and the
 * errors that end a call (cancelled, gave up).
 *
 * @module
 */
import { GenkitError } from "genkit";
import { type CloudflareErrorItem, isRetryable } from "../errors.ts";

/** The longest `Retry-After` the client waits out itself before giving up. */
const MAX_RETRY_AFTER_MS = 60_000;
/** The cap of the exponential backoff. */
const MAX_BACKOFF_MS = 8_000;

/** Marks an attempt that failed in a way that may succeed when tried again. */
export class RetryableFailure {
  constructor(readonly error: GenkitError, readonly retryAfterMs?: number) {}
}

/** How retries are paced: the plugin's `maxRetries`, `retryDelayMs` and `timeoutMs`. */
export interface RetryPolicy {
  maxRetries: number;
  retryDelayMs: number;
  timeoutMs: number;
}

/**
 * Waits before the next attempt: `Retry-After` when given, else full-jitter
 * exponential backoff. `timeoutMs` bounds every single wait of a call, this
 * one included: a `Retry-After` longer than that (or than a minute) is not
 * waited out but reported at once.
 */
export async function backoff(
  policy: RetryPolicy,
  attempt: number,
  failure: RetryableFailure | undefined,
  signal: AbortSignal | undefined,
  model: string,
): Promise<void> {
  await sleep(retryDelay(policy, attempt, failure), signal, model);
}

/** How long to wait before the next attempt; throws the failure when that is longer than allowed. */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  failure: RetryableFailure | undefined,
): number {
  const longest = Math.min(
    MAX_RETRY_AFTER_MS,
    policy.timeoutMs > 0 ? policy.timeoutMs : Infinity,
  );
  let ms: number;
  if (failure?.retryAfterMs !== undefined) {
    if (failure.retryAfterMs > longest) throw withAttempts(failure.error, attempt);
    ms = failure.retryAfterMs;
  } else {
    const cap = Math.min(MAX_BACKOFF_MS, longest, policy.retryDelayMs * 2 ** (attempt - 1));
    ms = Math.random() * cap;
  }
  return ms;
}

/** The error of a call the caller aborted. */
export function cancelled(model: string): GenkitError {
  return new GenkitError({
    status: "CANCELLED",
    message: `The request to Workers AI for ${model} was cancelled by the caller.`,
    detail: { model },
  });
}

/** The last attempt's error, saying how many attempts were made. */
export function withAttempts(error: GenkitError, attempts: number): GenkitError {
  if (attempts <= 1) return error;
  const detail = { ...(error.detail as Record<string, unknown>), attempts };
  return new GenkitError({
    status: error.status,
    message: `${error.originalMessage} (gave up after ${attempts} attempts)`,
    detail,
    responseMetadata: error.responseMetadata,
  });
}

/**
 * Before its first event, a stream that broke off, failed on the network, or
 * reported a retryable error in-stream (capacity, per-minute rate limit:
 * the one code table decides) may be tried again.
 */
export function mayRetryStreamFailure(e: unknown): boolean {
  if (!(e instanceof GenkitError)) return true;
  if (e.status === "UNAVAILABLE") return true;
  const errors = (e.detail as { errors?: CloudflareErrorItem[] } | undefined)?.errors ?? [];
  return isRetryable(e.status === "RESOURCE_EXHAUSTED" ? 429 : 0, errors);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Waits `ms`, or rejects with CANCELLED when the caller aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined, model: string): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled(model));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
