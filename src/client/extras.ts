/**
 * What a request carries besides its body, and what identifies it
 * afterwards: AI Gateway's per-request controls (as headers over REST, as
 * the binding's `gateway` option), prompt-caching affinity, busy rejection
 * and tags; and the Ray ID, gateway log id and cache status of the answer.
 *
 * @module
 */
import { invalidArgument as invalid } from "../errors.ts";

/**
 * AI Gateway's controls of one request, set for every request in the
 * plugin's `gateway` option and overridden per request in `config.gateway`.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI, type GatewayControls } from "@x/cloudflare-ai";
 *
 * const controls: GatewayControls = {
 *   collectLog: false, // keep this request out of the gateway's logs
 *   requestTimeoutMs: 20_000,
 *   retries: { maxAttempts: 3, retryDelayMs: 500, backoff: "exponential" },
 * };
 * const ai = genkit({ plugins: [cloudflareAI({ gateway: { id: "my-gateway", ...controls } })] });
 * ```
 */
export interface GatewayControls {
  /** Cache responses for this many seconds, 60 to 2,592,000 (`cf-aig-cache-ttl`). */
  cacheTtl?: number;
  /** Bypass the gateway cache (`cf-aig-skip-cache: true`). */
  skipCache?: boolean;
  /** A custom cache key (`cf-aig-cache-key`). */
  cacheKey?: string;
  /** Custom metadata for the gateway logs (`cf-aig-metadata`, at most 5 entries). */
  metadata?: Record<string, string | number | boolean>;
  /** Whether the gateway logs this request, whatever its default (`cf-aig-collect-log`). */
  collectLog?: boolean;
  /** `false` logs the request's metadata without its bodies (`cf-aig-collect-log-payload`). */
  collectLogPayload?: boolean;
  /** Your own id of the request, for tracing across systems (`cf-aig-event-id`). */
  eventId?: string;
  /** How long the gateway waits for the first bytes of the answer, in ms (`cf-aig-request-timeout`). */
  requestTimeoutMs?: number;
  /** The gateway's own retries (`cf-aig-max-attempts`, `cf-aig-retry-delay`, `cf-aig-backoff`). */
  retries?: {
    /** Attempts in all, 1 to 5. */
    maxAttempts?: number;
    /** Delay before a retry, 0 to 5,000 ms. */
    retryDelayMs?: number;
    /** How the delay grows. */
    backoff?: "constant" | "linear" | "exponential";
  };
  /** What the request costs, for the gateway's analytics (`cf-aig-custom-cost`). */
  customCost?: { perTokenIn?: number; perTokenOut?: number } | { totalCost: number };
}

/** What identifies a request afterwards, as Cloudflare's answer told it. */
export interface RequestMeta {
  /** Cloudflare's Ray ID (`cf-ray`), for finding the request in Cloudflare's logs and support. */
  cfRay?: string;
  /** AI Gateway's log id (`cf-aig-log-id`), for the gateway's logs and feedback API. */
  gatewayLogId?: string;
  /** AI Gateway's cache status (`cf-aig-cache-status`): `HIT` or `MISS`. */
  gatewayCacheStatus?: string;
}

/** Per-request transport settings of one call. */
export interface RequestExtras {
  /** Extra headers: over REST as they are; through a binding as its `extraHeaders`. */
  headers?: Record<string, string>;
  /**
   * Options Workers AI reads beside the inputs: in a JSON body's `options`
   * over REST (`rejectIfBusy`), in the binding's options.
   */
  runOptions?: Record<string, unknown>;
  /** Options only the binding takes (`tags`). */
  bindingOptions?: Record<string, unknown>;
  /** AI Gateway controls of this request, over the plugin's. */
  gateway?: GatewayControls;
}

/** A header value: printable, one line, at most `max` characters. */
function headerValue(where: string, value: unknown, max = 256): string {
  if (
    typeof value !== "string" || value === "" || value.length > max || /[^\x20-\x7e]/.test(value)
  ) {
    throw invalid(
      `${where} must be a non-empty string of at most ${max} printable ASCII characters ` +
        "(no line breaks): it is sent as an HTTP header.",
    );
  }
  return value;
}

function checkNumber(where: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${where} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

function checkFlag(where: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw invalid(`${where} must be true or false.`);
  return value;
}

const CONTROL_KEYS = new Set([
  "cacheTtl",
  "skipCache",
  "cacheKey",
  "metadata",
  "collectLog",
  "collectLogPayload",
  "eventId",
  "requestTimeoutMs",
  "retries",
  "customCost",
]);

/**
 * `controls` as AI Gateway headers, each checked first (`where` names them
 * in messages: `gateway`, `config.gateway`); `extraKeys` are keys the
 * caller's object may also have (the plugin option's `id`, `baseUrl`, …).
 */
export function gatewayHeaders(
  where: string,
  controls: unknown,
  extraKeys: readonly string[] = [],
): Record<string, string> {
  if (controls === undefined) return {};
  if (typeof controls !== "object" || controls === null || Array.isArray(controls)) {
    throw invalid(`${where} must be an object of AI Gateway controls.`);
  }
  const c = controls as Record<string, unknown>;
  const unknownKey = Object.keys(c).find((k) =>
    c[k] !== undefined && !CONTROL_KEYS.has(k) && !extraKeys.includes(k)
  );
  if (unknownKey) {
    throw invalid(
      `${where}.${unknownKey} is not an AI Gateway control; it takes ${
        [...CONTROL_KEYS].join(", ")
      }.`,
    );
  }
  const h: Record<string, string> = {};
  if (c.cacheTtl !== undefined) {
    h["cf-aig-cache-ttl"] = String(checkNumber(`${where}.cacheTtl`, c.cacheTtl, 60, 2_592_000));
  }
  if (c.skipCache !== undefined && checkFlag(`${where}.skipCache`, c.skipCache)) {
    h["cf-aig-skip-cache"] = "true";
  }
  if (c.cacheKey !== undefined) {
    h["cf-aig-cache-key"] = headerValue(`${where}.cacheKey`, c.cacheKey);
  }
  if (c.metadata !== undefined) {
    h["cf-aig-metadata"] = metadataHeader(`${where}.metadata`, c.metadata);
  }
  if (c.collectLog !== undefined) {
    h["cf-aig-collect-log"] = String(checkFlag(`${where}.collectLog`, c.collectLog));
  }
  if (c.collectLogPayload !== undefined) {
    h["cf-aig-collect-log-payload"] = String(
      checkFlag(`${where}.collectLogPayload`, c.collectLogPayload),
    );
  }
  if (c.eventId !== undefined) h["cf-aig-event-id"] = headerValue(`${where}.eventId`, c.eventId);
  if (c.requestTimeoutMs !== undefined) {
    h["cf-aig-request-timeout"] = String(
      checkNumber(`${where}.requestTimeoutMs`, c.requestTimeoutMs, 1, 3_600_000),
    );
  }
  if (c.retries !== undefined) Object.assign(h, retryHeaders(`${where}.retries`, c.retries));
  if (c.customCost !== undefined) {
    h["cf-aig-custom-cost"] = costHeader(`${where}.customCost`, c.customCost);
  }
  return h;
}

function metadataHeader(where: string, value: unknown): string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(`${where} must be an object of at most 5 string, number or boolean values.`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  // The gateway keeps 5 entries and drops the rest silently: refuse instead.
  if (entries.length > 5) {
    throw invalid(`${where} has ${entries.length} entries; AI Gateway keeps at most 5.`);
  }
  for (const [k, v] of entries) {
    if (!["string", "number", "boolean"].includes(typeof v)) {
      throw invalid(`${where}.${k} must be a string, a number or a boolean.`);
    }
  }
  return headerValue(where, JSON.stringify(value), 2048);
}

function retryHeaders(where: string, value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(`${where} must be an object: { maxAttempts?, retryDelayMs?, backoff? }.`);
  }
  const r = value as Record<string, unknown>;
  const h: Record<string, string> = {};
  if (r.maxAttempts !== undefined) {
    h["cf-aig-max-attempts"] = String(checkNumber(`${where}.maxAttempts`, r.maxAttempts, 1, 5));
  }
  if (r.retryDelayMs !== undefined) {
    h["cf-aig-retry-delay"] = String(checkNumber(`${where}.retryDelayMs`, r.retryDelayMs, 0, 5000));
  }
  if (r.backoff !== undefined) {
    if (!["constant", "linear", "exponential"].includes(r.backoff as string)) {
      throw invalid(`${where}.backoff must be "constant", "linear" or "exponential".`);
    }
    h["cf-aig-backoff"] = r.backoff as string;
  }
  return h;
}

function costHeader(where: string, value: unknown): string {
  const c = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const keys = Object.keys(c).filter((k) => c[k] !== undefined);
  const ok = keys.length > 0 &&
    (keys.every((k) => k === "perTokenIn" || k === "perTokenOut") ||
      (keys.length === 1 && keys[0] === "totalCost")) &&
    keys.every((k) => typeof c[k] === "number" && Number.isFinite(c[k]) && (c[k] as number) >= 0);
  if (!ok) {
    throw invalid(
      `${where} must be { perTokenIn?, perTokenOut? } or { totalCost }, each a number of at least 0.`,
    );
  }
  return JSON.stringify(
    "totalCost" in c ? { total_cost: c.totalCost } : {
      ...(c.perTokenIn !== undefined ? { per_token_in: c.perTokenIn } : {}),
      ...(c.perTokenOut !== undefined ? { per_token_out: c.perTokenOut } : {}),
    },
  );
}

/** The prompt-caching affinity key, checked: it goes out as the `x-session-affinity` header. */
export function affinityHeader(model: string, value: unknown): string {
  return headerValue(`config.sessionAffinity for ${model}`, value, 256);
}

/** What an answer's headers say of the request (absent headers are left out). */
export function metaOf(headers: Headers): RequestMeta {
  return addMeta(headers, {});
}

/**
 * Writes what an answer's headers say of the request into `meta` (absent
 * headers leave its fields as they are) and returns it.
 */
export function addMeta(headers: Headers, meta: RequestMeta): RequestMeta {
  const ray = headers.get("cf-ray");
  const log = headers.get("cf-aig-log-id");
  const cache = headers.get("cf-aig-cache-status");
  if (ray) meta.cfRay = ray;
  if (log) meta.gatewayLogId = log;
  if (cache) meta.gatewayCacheStatus = cache;
  return meta;
}

/** Whether a record of what identifies a request holds anything. */
export function hasMeta(meta: RequestMeta): boolean {
  return meta.cfRay !== undefined || meta.gatewayLogId !== undefined ||
    meta.gatewayCacheStatus !== undefined;
}
