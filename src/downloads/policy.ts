/**
 * How remote media is downloaded: the plugin's `fetch` and `timeoutMs`, the
 * caps per file and per request, redirects, and whether private hosts may be
 * fetched; the app's `mediaDownloads` option, checked.
 *
 * @module
 */
import { invalidArgument as invalid } from "../errors.ts";

/** How remote media is fetched: the plugin's `fetch`, its `timeoutMs`, and the caps. */
export interface DownloadPolicy {
  /** The plugin's configured `fetch` (never the global one behind the app's back). */
  fetch: typeof fetch;
  /** Bound on the wait for headers and on each gap between body chunks, in ms; 0 = none. */
  timeoutMs: number;
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Largest total of all files of one request, in bytes. */
  maxTotalBytes: number;
  /** Most redirects followed for one file. */
  maxRedirects: number;
  /** Whether hosts that are literal loopback, private or link-local addresses, or localhost, may be fetched. */
  allowPrivateHosts: boolean;
}

/** The caps when the app sets none: 10 MiB a file, 20 MiB a request, 3 redirects, public hosts only. */
export const DEFAULT_DOWNLOAD_CAPS: Omit<DownloadPolicy, "fetch" | "timeoutMs"> = {
  maxBytes: 10 * 1024 * 1024,
  maxTotalBytes: 20 * 1024 * 1024,
  maxRedirects: 3,
  allowPrivateHosts: false,
};

/** The most redirects `mediaDownloads.maxRedirects` may allow. */
const MAX_REDIRECTS_LIMIT = 10;

/**
 * How the plugin downloads the `http(s)` media of a prompt before sending it
 * to Workers AI (which takes only `data:` URLs): the `mediaDownloads` option
 * of `cloudflareAI()`. Downloads always go through the plugin's `fetch` and
 * are bounded by its `timeoutMs` between any two signs of progress.
 *
 * @example
 * ```ts
 * import { genkit } from "genkit";
 * import { cloudflareAI } from "@x/cloudflare-ai";
 *
 * const ai = genkit({
 *   plugins: [
 *     cloudflareAI({
 *       // At most 4 MiB an image, 8 MiB for all the images of one request,
 *       // and no redirects.
 *       mediaDownloads: { maxBytes: 4 * 1024 * 1024, maxTotalBytes: 8 * 1024 * 1024, maxRedirects: 0 },
 *     }),
 *   ],
 * });
 * const { text } = await ai.generate({
 *   model: cloudflareAI.model("@cf/meta/llama-4-scout-17b-16e-instruct"),
 *   prompt: [
 *     { text: "What is in this picture?" },
 *     { media: { url: "https://upload.wikimedia.org/wikipedia/commons/4/47/PNG_transparency_demonstration_1.png" } },
 *   ],
 * });
 * ```
 */
export interface MediaDownloadOptions {
  /**
   * Largest file accepted, in bytes; a larger one fails the request with
   * `INVALID_ARGUMENT`.
   * @default {10485760} (10 MiB)
   */
  maxBytes?: number;
  /**
   * Largest total, in bytes, of all the files downloaded for one request.
   * @default {20971520} (20 MiB, or `maxBytes` when that is larger)
   */
  maxTotalBytes?: number;
  /**
   * Most redirects followed for one file (0 to 10); only redirects to
   * `http:` and `https:` URLs are followed.
   * @default {3}
   */
  maxRedirects?: number;
  /**
   * Whether hosts that are literal loopback, private, link-local, CGNAT or
   * unspecified IP addresses, or `localhost` names, may be downloaded from,
   * on the first URL and on every redirect. Leave it off when prompts may
   * carry URLs from users: it keeps them from reaching internal services.
   * @default {false}
   */
  allowPrivateHosts?: boolean;
}

/**
 * Validates the `mediaDownloads` option of `cloudflareAI()` and makes the
 * policy the downloads follow, with the plugin's `fetch` and `timeoutMs`.
 * Throws `INVALID_ARGUMENT` ("cloudflareAI(): mediaDownloads.<key> ...") for
 * an unknown key or a value out of range.
 */
export function downloadPolicy(
  options: MediaDownloadOptions | undefined,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): DownloadPolicy {
  if (options === undefined) return { fetch: fetchImpl, timeoutMs, ...DEFAULT_DOWNLOAD_CAPS };
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw invalid(
      `cloudflareAI(): mediaDownloads must be an object such as { maxBytes: 5242880 }, got ${
        describe(options)
      }.`,
    );
  }
  const known = ["maxBytes", "maxTotalBytes", "maxRedirects", "allowPrivateHosts"];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw invalid(
        `cloudflareAI(): mediaDownloads.${key} is not an option; the options are ${
          known.join(", ")
        }.`,
      );
    }
  }
  const whole = (key: keyof MediaDownloadOptions, min: number, max: number) => {
    const value = options[key];
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      throw invalid(
        `cloudflareAI(): mediaDownloads.${key} must be a whole number ${range}, got ${
          describe(value)
        }.`,
      );
    }
    return value;
  };
  const maxBytes = whole("maxBytes", 1, Number.MAX_SAFE_INTEGER) ?? DEFAULT_DOWNLOAD_CAPS.maxBytes;
  const maxTotalBytes = whole("maxTotalBytes", 1, Number.MAX_SAFE_INTEGER) ??
    Math.max(DEFAULT_DOWNLOAD_CAPS.maxTotalBytes, maxBytes);
  const maxRedirects = whole("maxRedirects", 0, MAX_REDIRECTS_LIMIT) ??
    DEFAULT_DOWNLOAD_CAPS.maxRedirects;
  const allow = options.allowPrivateHosts;
  if (allow !== undefined && typeof allow !== "boolean") {
    throw invalid(
      `cloudflareAI(): mediaDownloads.allowPrivateHosts must be true or false, got ${
        describe(allow)
      }.`,
    );
  }
  return {
    fetch: fetchImpl,
    timeoutMs,
    maxBytes,
    maxTotalBytes,
    maxRedirects,
    allowPrivateHosts: allow ?? DEFAULT_DOWNLOAD_CAPS.allowPrivateHosts,
  };
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  return String(value);
}
