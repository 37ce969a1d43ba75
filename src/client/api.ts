/**
 * Cloudflare services beyond `/ai/run` (Vectorize, AI Search, Markdown
 * conversion): their errors, over REST and over a Workers binding, turned
 * into the same `GenkitError`s, naming the service, what it acted on and
 * what to do, with Cloudflare's code.
 *
 * @module
 */
import { GenkitError } from "genkit";
import { type CloudflareErrorItem, isRetryable, workersAIError } from "../errors.ts";
import { backoff, RetryableFailure } from "./retry.ts";

/** What a service call acted on, for its errors. */
export interface ServiceTarget {
  /** The service, e.g. `"Vectorize"`. */
  service: string;
  /** What it acted on, e.g. `index "docs"`. */
  target: string;
  /** The operation, e.g. `"query"`. */
  op: string;
  /** Advice by HTTP status, for the statuses where Cloudflare's message does not say. */
  hints?: Readonly<Record<number, string>>;
}

/** What a failed service call leaves in `GenkitError.detail`. */
export interface ServiceErrorDetail {
  service: string;
  target: string;
  op: string;
  httpStatus?: number;
  errors: CloudflareErrorItem[];
  attempts?: number;
}

/**
 * The HTTP status of a Cloudflare code: Vectorize's five-digit codes open
 * with it (`40012` is a 400, reference §5.6; inferred from the observed
 * codes), others go through the one code table.
 */
export function httpStatusOfCode(code: number): number | undefined {
  if (code >= 10000 && code <= 59999) {
    const http = Math.floor(code / 100);
    if (http >= 400 && http <= 599) return http;
  }
  return undefined;
}

/** Rewrites a client error (REST) as the error of a service call. */
export function serviceError(t: ServiceTarget, e: unknown): GenkitError {
  if (!(e instanceof GenkitError)) {
    return new GenkitError({
      status: "INTERNAL",
      message: `${t.service} ${t.op} on ${t.target} failed: ${
        e instanceof Error ? e.message : String(e)
      }`,
      detail: { service: t.service, target: t.target, op: t.op, errors: [] },
    });
  }
  const d = (e.detail ?? {}) as { httpStatus?: number; errors?: CloudflareErrorItem[] };
  const errors = d.errors ?? [];
  if (errors.length === 0 || e.status === "CANCELLED" || e.status === "DEADLINE_EXCEEDED") {
    // Network failures, deadlines, bodies that were not envelopes: the client's words.
    const message = e.originalMessage.replace(
      /^Workers AI request for .*? failed/,
      `${t.service} ${t.op} on ${t.target} failed`,
    ).replace(/Workers AI (did not answer|for) [^ ]+ /, `${t.service} $1 ${t.target} `);
    return new GenkitError({
      status: e.status,
      message,
      detail: { ...(e.detail as object), service: t.service, target: t.target, op: t.op },
      responseMetadata: e.responseMetadata,
    });
  }
  return build(t, e.status, d.httpStatus, errors, (e.detail as { attempts?: number }).attempts);
}

function build(
  t: ServiceTarget,
  status: GenkitError["status"],
  httpStatus: number | undefined,
  errors: CloudflareErrorItem[],
  attempts?: number,
  impliedStatus?: number,
): GenkitError {
  const http = httpStatus ?? impliedStatus ?? httpStatusOfCode(errors[0]?.code ?? 0);
  const parts = [
    // No HTTP status in the words: a binding has none, and both must read the same.
    `${t.service} ${t.op} on ${t.target} failed`,
    errors.map((x) => `Cloudflare error ${x.code}: ${x.message}`).join("; "),
  ];
  const hint = http !== undefined ? t.hints?.[http] : undefined;
  if (hint) parts.push(hint);
  const detail: ServiceErrorDetail = {
    service: t.service,
    target: t.target,
    op: t.op,
    httpStatus,
    errors,
    ...(attempts ? { attempts } : {}),
  };
  return new GenkitError({ status, message: parts.join(". "), detail });
}

/**
 * The error a binding threw, as the same error the REST call would give:
 * `VECTOR_QUERY_ERROR (code = 40012): <message>`, `<code>: <message>`, or an
 * object with a numeric `code`; the HTTP status comes from the code.
 */
export function bindingServiceError(
  t: ServiceTarget,
  e: unknown,
): { error: GenkitError; retryable: boolean } {
  const o = (e ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof o.message === "string" ? o.message : String(e);
  let item: CloudflareErrorItem = { code: 0, message: text };
  let http: number | undefined;
  const coded = /\(code = (\d+)\):\s*([\s\S]*)$/.exec(text) ??
    /^(?:[A-Za-z_]*Error:\s*)*(\d{4,5}):\s*([\s\S]*)$/.exec(text);
  const status = /Status \+ (\d{3})/.exec(text);
  if (typeof o.code === "number" && o.code > 0) item = { code: o.code, message: text };
  else if (coded) item = { code: Number(coded[1]), message: coded[2] };
  if (status) http = Number(status[1]);
  http ??= httpStatusOfCode(item.code) ?? statusOfName(e);
  const base = workersAIError({ model: t.target, httpStatus: http, errors: [item] });
  return {
    error: build(t, base.status, undefined, [item], undefined, http),
    retryable: isRetryable(http ?? 500, [item]),
  };
}

/**
 * The HTTP status a binding error stands for by its `status` or its name:
 * the AI Search binding throws `…NotFoundError` and `…UnauthorizedError`
 * for 404 and 401 (reference §6.3).
 */
function statusOfName(e: unknown): number | undefined {
  const o = (e ?? {}) as { status?: unknown; name?: unknown };
  if (typeof o.status === "number" && o.status >= 400 && o.status <= 599) return o.status;
  const name = typeof o.name === "string" ? o.name : "";
  if (name.endsWith("NotFoundError")) return 404;
  if (name.endsWith("UnauthorizedError")) return 401;
  return undefined;
}

/** Retries of a binding call that failed transiently (an internal 5xx). */
const BINDING_RETRY = { maxRetries: 2, retryDelayMs: 200, timeoutMs: 0 };

/**
 * Runs a binding call, retrying transient failures twice, and turns what it
 * throws into the same error as over REST.
 */
export async function viaServiceBinding<T>(
  t: ServiceTarget,
  run: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1;; attempt++) {
    if (signal?.aborted) {
      throw new GenkitError({
        status: "CANCELLED",
        message: `${t.service} ${t.op} on ${t.target} was cancelled by the caller.`,
      });
    }
    try {
      return await run();
    } catch (e) {
      const { error, retryable } = bindingServiceError(t, e);
      if (!retryable || attempt > BINDING_RETRY.maxRetries) throw error;
      await backoff(BINDING_RETRY, attempt, new RetryableFailure(error), signal, t.target);
    }
  }
}
