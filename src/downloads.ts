/**
 * Downloads remote (`http(s)`) media and inlines it as `data:` URLs: Workers
 * AI vision models take only `data:` URLs ("HTTP URL will not be accepted",
 * mistral-small-3.1's schema).
 *
 * A prompt's URLs come from whoever wrote the prompt, so a download is
 * treated as untrusted: it goes through the plugin's `fetch` only, follows a
 * bounded number of redirects and only to `http(s)`, refuses loopback,
 * private and link-local hosts (on the first URL and on every redirect),
 * is capped in bytes per file and per request, is bounded in time between
 * any two signs of progress, and must be of the media kind the model takes.
 * Error messages show a URL without its query, fragment or credentials,
 * where signed URLs keep their secrets.
 *
 * @module
 */
import { GenkitError, type MessageData } from "genkit";
import { invalidArgument as invalid } from "./errors.ts";

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

/** How many files of one request are downloaded at the same time. */
const CONCURRENT_DOWNLOADS = 6;

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

/** Whether a media URL must be downloaded (http or https, any case). */
export function isRemoteUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== undefined && (parsed.protocol === "http:" || parsed.protocol === "https:");
}

function parseUrl(url: string): URL | undefined {
  return relative(url, undefined);
}

function relative(url: string, base: URL | undefined): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

/** The byte budget of one request, shared by its downloads. */
export class DownloadBudget {
  #used = 0;
  /** Makes a budget of `maxTotalBytes` bytes, none of them used. */
  constructor(readonly maxTotalBytes: number) {}
  /** Bytes taken so far. */
  get used(): number {
    return this.#used;
  }
  /** Bytes still available. */
  get remaining(): number {
    return Math.max(0, this.maxTotalBytes - this.#used);
  }
  /** Takes `bytes` from the budget; `false` (and nothing taken) when they do not fit. */
  take(bytes: number): boolean {
    if (bytes > this.remaining) return false;
    this.#used += bytes;
    return true;
  }
}

/**
 * A URL as error messages show it: scheme, host and path, without the query
 * (signed URLs carry their signature there), the fragment or credentials.
 */
function display(url: URL): string {
  const path = url.pathname.length > 200 ? `${url.pathname.slice(0, 200)}…` : url.pathname;
  return `${url.protocol}//${url.host}${path}`;
}

/** Hostnames that name this machine, or a private network, by definition. */
const PRIVATE_NAMES = new Set([
  "localhost",
  "localhost.localdomain",
  "ip6-localhost",
  "ip6-loopback",
]);
/** Name suffixes reserved for this machine (RFC 6761), link-local mDNS (RFC 6762) and private networks. */
const PRIVATE_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa"];

/**
 * Whether a URL's hostname is a literal loopback, private, link-local,
 * CGNAT, unspecified or otherwise non-public IP address, or a `localhost`
 * name. The URL parser has already normalised IPv4 written in decimal, hex
 * or octal (`2130706433`, `0x7f.1`) to dotted decimal and IPv6 to compressed
 * hex (`[::ffff:7f00:1]`). A DNS name that resolves to a private address
 * cannot be seen from here (`fetch` does not expose the address it connects
 * to); that needs a network-level egress policy.
 */
function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.+$/, "");
  if (host.startsWith("[") && host.endsWith("]")) {
    const words = ipv6Words(host.slice(1, -1));
    return words === undefined || isPrivateIpv6(words);
  }
  const v4 = ipv4Bytes(host);
  if (v4) return isPrivateIpv4(v4);
  // The parser takes a hostname ending in a number for IPv4, so none is left here: fail closed.
  if (/^[\d.]*$/.test(host)) return true;
  return PRIVATE_NAMES.has(host) || PRIVATE_SUFFIXES.some((s) => host.endsWith(s));
}

function ipv4Bytes(text: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

function isPrivateIpv4([a, b, c]: number[]): boolean {
  return a === 0 || // "this network", including the unspecified 0.0.0.0
    a === 10 || // private
    (a === 100 && b >= 64 && b <= 127) || // CGNAT 100.64.0.0/10
    a === 127 || // loopback
    (a === 169 && b === 254) || // link-local, including cloud metadata 169.254.169.254
    (a === 172 && b >= 16 && b <= 31) || // private
    (a === 192 && b === 168) || // private
    (a === 192 && b === 0 && c === 0) || // IETF protocol assignments
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224; // multicast, reserved, broadcast
}

/** The eight 16-bit words of an IPv6 address, or `undefined` when it is not one. */
function ipv6Words(text: string): number[] | undefined {
  let s = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const b = ipv4Bytes(dotted[1]);
    if (!b) return undefined;
    s = `${s.slice(0, dotted.index)}${((b[0] << 8) | b[1]).toString(16)}:${
      ((b[2] << 8) | b[3]).toString(16)
    }`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string) =>
    part === ""
      ? []
      : part.split(":").map((g) => /^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN);
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if ([...head, ...tail].some(Number.isNaN)) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const fill = 8 - head.length - tail.length;
  if (fill < 1) return undefined;
  return [...head, ...new Array<number>(fill).fill(0), ...tail];
}

function isPrivateIpv6(w: number[]): boolean {
  const embedded = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  const zero = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  // ::/96 (unspecified ::, loopback ::1, IPv4-compatible) and ::ffff:0:0/96 (IPv4-mapped).
  if (zero(0, 5) && (w[5] === 0 || w[5] === 0xffff)) {
    return w[5] === 0 && w[6] === 0 ? true : isPrivateIpv4(embedded(w[6], w[7]));
  }
  // ::ffff:0:0:0/96 (IPv4-translated).
  if (zero(0, 4) && w[4] === 0xffff && w[5] === 0) return isPrivateIpv4(embedded(w[6], w[7]));
  // 64:ff9b::/96 (NAT64): an IPv4 address in the last 32 bits.
  if (w[0] === 0x64 && w[1] === 0xff9b && zero(2, 6)) return isPrivateIpv4(embedded(w[6], w[7]));
  // 2002::/16 (6to4): an IPv4 address in the next 32 bits.
  if (w[0] === 0x2002) return isPrivateIpv4(embedded(w[1], w[2]));
  return (w[0] & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (w[0] & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (w[0] & 0xffc0) === 0xfec0 || // site-local fec0::/10 (deprecated)
    (w[0] & 0xff00) === 0xff00 || // multicast ff00::/8
    (w[0] === 0x100 && zero(1, 4)); // discard-only 100::/64
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The longest delay a timer takes (a longer one would fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One download's clock and cancellation: aborts when no progress is made for
 * `timeoutMs`, or as soon as the caller's signal aborts. `wait()` settles as
 * soon as the download is stopped, even when a custom `fetch` or its body
 * ignores the abort signal.
 */
class Transfer {
  readonly controller: AbortController = new AbortController();
  /** Why the download was stopped, once it was. */
  stopped: "timeout" | "cancel" | undefined;
  #due = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reject: ((reason: unknown) => void) | undefined;
  readonly #onAbort = () => this.#stop("cancel");

  constructor(readonly timeoutMs: number, readonly caller: AbortSignal | undefined) {
    if (caller?.aborted) this.#stop("cancel");
    else caller?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** Starts, or moves forward, the wait for the next sign of progress. */
  arm(): void {
    if (this.timeoutMs <= 0 || this.stopped) return;
    this.#due = Date.now() + this.timeoutMs;
    if (this.#timer === undefined) this.#sleep(this.timeoutMs);
  }

  /** One timer per download; when it fires before the due time, it sleeps for what is left. */
  #sleep(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const left = this.#due - Date.now();
      if (left > 0) this.#sleep(left);
      else this.#stop("timeout");
    }, Math.min(ms, MAX_TIMER_MS));
  }

  #stop(why: "timeout" | "cancel"): void {
    if (this.stopped) return;
    this.stopped = why;
    const reason = why === "timeout"
      ? new DOMException("The download made no progress in time", "TimeoutError")
      : new DOMException("The download was cancelled", "AbortError");
    this.controller.abort(reason);
    this.#reject?.(reason);
    this.close();
  }

  /** Waits for `promise`, or rejects as soon as the download is stopped. */
  wait<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.stopped) {
        promise.catch(() => {});
        reject(this.controller.signal.reason);
        return;
      }
      this.#reject = reject;
      promise.then(resolve, reject);
    });
  }

  /** Stops the timer and lets go of the caller's signal. */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.caller?.removeEventListener("abort", this.#onAbort);
  }
}

function noop(): void {}

/**
 * Downloads one file for `model` within the policy's caps and the budget of
 * its request: its bytes and content type (lower-case, parameters
 * stripped), which is of the wanted `kind`. Every failure is a
 * `GenkitError` with `detail: { model, url }` (the URL without its query):
 * `INVALID_ARGUMENT` for what the URL or its server got wrong (a private
 * host, too many redirects, HTTP 4xx, the wrong type, too large),
 * `UNAVAILABLE` for a network failure or HTTP 429 or 5xx,
 * `DEADLINE_EXCEEDED` when no progress is made for `timeoutMs`, and
 * `CANCELLED` when `signal` aborts.
 */
export async function download(
  model: string,
  url: string,
  kind: "image" | "audio",
  policy: DownloadPolicy,
  budget: DownloadBudget,
  signal?: AbortSignal,
): Promise<{ bytes: Uint8Array; contentType: string }> {
  const first = parseUrl(url);
  if (!first) {
    const shown = url.split(/[?#]/)[0].replace(/\/\/[^/@]*@/, "//").slice(0, 200);
    throw invalid(`A media URL for ${model} is not a valid URL: ${shown}.`, { model, url: shown });
  }
  const shown = display(first);
  const detail = { model, url: shown };
  const noun = kind === "image" ? "an image" : "audio";
  const transfer = new Transfer(policy.timeoutMs, signal);
  let current = first;
  /** Where the download is, for messages: the URL, and where it was redirected to. */
  const where = () => current === first ? shown : `${shown} (redirected to ${display(current)})`;
  let response: Response | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    for (let redirects = 0;; redirects++) {
      if (current.protocol !== "http:" && current.protocol !== "https:") {
        throw invalid(
          `Refused to download ${where()} for ${model}: only http: and https: URLs are downloaded.`,
          detail,
        );
      }
      if (!policy.allowPrivateHosts && isPrivateHost(current.hostname)) {
        throw invalid(
          `Refused to download ${where()} for ${model}: the host ${current.hostname} is private ` +
            "(a loopback, private, link-local or otherwise non-public address, or localhost), " +
            "and media is downloaded only from public hosts. To download from private hosts, " +
            "pass mediaDownloads: { allowPrivateHosts: true } to cloudflareAI().",
          detail,
        );
      }
      if (transfer.stopped) throw transfer.controller.signal.reason;
      transfer.arm();
      const pending = Promise.resolve(policy.fetch(current.href, {
        method: "GET",
        redirect: "manual",
        headers: { accept: `${kind}/*` },
        signal: transfer.controller.signal,
      }));
      try {
        response = await transfer.wait(pending);
      } catch (e) {
        // A custom fetch may answer after the download gave up on it.
        pending.then((late) => late.body?.cancel().catch(noop), noop);
        throw e;
      }
      if (!REDIRECTS.has(response.status)) break;
      const location = response.headers.get("location");
      const status = response.status;
      await response.body?.cancel().catch(noop);
      response = undefined;
      if (location === null) {
        throw invalid(
          `Could not download ${where()} for ${model}: HTTP ${status} without a Location header.`,
          detail,
        );
      }
      if (redirects >= policy.maxRedirects) {
        throw invalid(
          `Refused to download ${where()} for ${model}: it redirects more than ` +
            `${policy.maxRedirects} time(s) (mediaDownloads.maxRedirects).`,
          detail,
        );
      }
      const next = relative(location, current);
      if (!next) {
        throw invalid(
          `Could not download ${where()} for ${model}: it redirects to something that is not a URL.`,
          detail,
        );
      }
      current = next;
    }
    if (response.type === "opaqueredirect") {
      throw invalid(
        `Could not download ${where()} for ${model}: it redirects, and this runtime's fetch ` +
          "does not say where to.",
        detail,
      );
    }
    if (!response.ok) {
      const status = response.status;
      if (status === 429 || status >= 500) {
        throw new GenkitError({
          status: "UNAVAILABLE",
          message: `Could not download ${where()} for ${model}: HTTP ${status}; ` +
            "the server is unavailable or busy, try again later.",
          detail,
        });
      }
      throw invalid(`Could not download ${where()} for ${model}: HTTP ${status}.`, detail);
    }
    const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (!type.startsWith(`${kind}/`) || type.length === kind.length + 1) {
      throw invalid(
        `${where()} is not ${noun} (content-type ${type || "missing"}); ${model} takes only ${
          kind === "image" ? "images" : "audio"
        } here.`,
        detail,
      );
    }
    const length = response.headers.get("content-length");
    const declared = length !== null && /^\d+$/.test(length.trim()) ? Number(length) : undefined;
    if (declared !== undefined) {
      if (declared > policy.maxBytes) throw tooLarge(`${declared} bytes, over`);
      if (declared > budget.remaining) throw overBudget();
    }
    reader = response.body?.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    while (reader) {
      transfer.arm();
      const { done, value } = await transfer.wait(reader.read());
      if (done) break;
      size += value.length;
      if (size > policy.maxBytes) throw tooLarge("larger than");
      if (!budget.take(value.length)) throw overBudget();
      chunks.push(value);
    }
    if (size === 0) throw invalid(`${where()} is empty; ${model} needs ${noun}.`, detail);
    const bytes = chunks.length === 1 ? chunks[0] : new Uint8Array(size);
    if (chunks.length > 1) {
      let offset = 0;
      for (const c of chunks) {
        bytes.set(c, offset);
        offset += c.length;
      }
    }
    return { bytes, contentType: type };
  } catch (e) {
    throw failure(e);
  } finally {
    transfer.close();
    if (reader) await reader.cancel().catch(noop);
    else if (response && !response.bodyUsed) await response.body?.cancel().catch(noop);
  }

  function tooLarge(size: string): GenkitError {
    return invalid(
      `${where()} is ${size} the limit of ${policy.maxBytes} bytes a file ` +
        `(mediaDownloads.maxBytes) for ${model}.`,
      detail,
    );
  }

  function overBudget(): GenkitError {
    return invalid(
      `The media of this request to ${model} is over the limit of ${budget.maxTotalBytes} bytes ` +
        `for all files together (mediaDownloads.maxTotalBytes), at ${where()}.`,
      detail,
    );
  }

  function failure(e: unknown): GenkitError {
    if (e instanceof GenkitError) return e;
    if (transfer.stopped === "cancel") {
      return new GenkitError({
        status: "CANCELLED",
        message: `Downloading ${where()} for ${model} was cancelled by the caller.`,
        detail,
      });
    }
    if (transfer.stopped === "timeout") {
      return new GenkitError({
        status: "DEADLINE_EXCEEDED",
        message: `Downloading ${where()} for ${model} made no progress within timeoutMs ` +
          `(${policy.timeoutMs} ms); the download was aborted.`,
        detail,
      });
    }
    const message = scrub(e instanceof Error ? e.message : String(e), [url, first!, current]);
    return new GenkitError({
      status: "UNAVAILABLE",
      message: `Could not download ${where()} for ${model}: ${message}.`,
      detail,
    });
  }
}

/** Replaces full URLs (with their queries and credentials) by what messages may show. */
function scrub(text: string, urls: (string | URL)[]): string {
  let out = text;
  for (const u of urls) {
    const parsed = typeof u === "string" ? parseUrl(u) : u;
    if (typeof u === "string" && u) out = out.split(u).join(parsed ? display(parsed) : "[URL]");
    if (!parsed) continue;
    out = out.split(parsed.href).join(display(parsed));
    for (const secret of [parsed.search, parsed.hash, parsed.password]) {
      if (secret.length > 1) out = out.split(secret).join("");
    }
  }
  return out;
}

/**
 * Returns the messages with every remote media URL replaced by a data: URL of
 * the downloaded file (one budget for the whole call; downloads of one call
 * run concurrently, and when one fails the others are aborted); messages
 * without remote media are returned as they are (same array).
 */
export async function inlineRemoteMedia(
  model: string,
  messages: MessageData[],
  kind: "image" | "audio",
  policy: DownloadPolicy,
  signal?: AbortSignal,
): Promise<MessageData[]> {
  const urls = [
    ...new Set(
      messages.flatMap((m) =>
        m.content.flatMap((p) => p.media && isRemoteUrl(p.media.url) ? [p.media.url] : [])
      ),
    ),
  ];
  if (urls.length === 0) return messages;
  const budget = new DownloadBudget(policy.maxTotalBytes);
  const group = new AbortController();
  const onAbort = () => group.abort(signal!.reason);
  if (signal?.aborted) group.abort(signal.reason);
  else signal?.addEventListener("abort", onAbort, { once: true });
  const inlined = new Map<string, { url: string; contentType: string }>();
  let failed: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    while (!failed && next < urls.length) {
      const url = urls[next++];
      try {
        const file = await download(model, url, kind, policy, budget, group.signal);
        inlined.set(url, {
          url: `data:${file.contentType};base64,${base64(file.bytes)}`,
          contentType: file.contentType,
        });
      } catch (error) {
        if (!failed) {
          failed = { error };
          group.abort(); // the other downloads of this call are of no use now
        }
      }
    }
  };
  try {
    // Every download has ended (and released its body) before this returns.
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_DOWNLOADS, urls.length) }, worker));
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  if (failed) throw failed.error;
  return messages.map((m) =>
    m.content.some((p) => p.media && inlined.has(p.media.url))
      ? {
        ...m,
        content: m.content.map((p) =>
          p.media && inlined.has(p.media.url) ? { ...p, media: inlined.get(p.media.url)! } : p
        ),
      }
      : m
  );
}

/** base64 of bytes (fast, chunked). */
export function base64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (typeof native === "function") return native.call(bytes);
  // Chunks of a multiple of 3 bytes encode to base64 that concatenates without padding.
  const CHUNK = 3 * 0x2000;
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const chunk = bytes.subarray(i, i + CHUNK);
    parts.push(btoa(String.fromCharCode(...chunk)));
  }
  return parts.join("");
}
