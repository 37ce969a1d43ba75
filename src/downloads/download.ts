/**
 * One download of remote media, treated as untrusted: through the plugin's
 * `fetch` only, redirects followed by hand (bounded, `http(s)` only, every
 * hop's host checked), bytes counted against the file's and the request's
 * caps as they arrive, bounded in time between any two signs of progress,
 * and of the media kind the model takes. Error messages show a URL without
 * its query, fragment or credentials.
 *
 * @module
 */
import { Deadline } from "../timer.ts";
import { GenkitError } from "genkit";
import { invalidArgument as invalid } from "../errors.ts";
import { isPrivateHost } from "./hosts.ts";
import type { DownloadPolicy } from "./policy.ts";

/** Whether a media URL must be downloaded (http or https, any case). */
export function isRemoteUrl(url: string): boolean {
  // A data: URL is never remote, and parsing one of megabytes costs tens of milliseconds.
  // (The URL parser skips leading C0 controls and spaces; so does this.)
  let i = 0;
  while (i < url.length && url.charCodeAt(i) <= 0x20) i++;
  if (url.slice(i, i + 5).toLowerCase() === "data:") return false;
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

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * One download's clock and cancellation (a {@link Deadline} with a timer of
 * its own): stopped when no progress is made for `timeoutMs`, or as soon as
 * the caller's signal aborts. `wait()` settles as soon as the download is
 * stopped, even when a custom `fetch` or its body ignores the abort signal.
 */
class Transfer {
  readonly #deadline: Deadline;
  #reject: ((reason: unknown) => void) | undefined;

  constructor(timeoutMs: number, caller: AbortSignal | undefined) {
    this.#deadline = new Deadline(
      timeoutMs,
      undefined,
      caller,
      "The download made no progress in time",
    );
    const signal = this.controller.signal;
    const onStop = () => {
      this.#reject?.(signal.reason);
      this.close();
    };
    if (signal.aborted) onStop();
    else signal.addEventListener("abort", onStop, { once: true });
  }

  /** Aborts the download's requests when it is stopped. */
  get controller(): AbortController {
    return this.#deadline.controller;
  }

  /** Why the download was stopped, once it was. */
  get stopped(): "timeout" | "cancel" | undefined {
    if (!this.controller.signal.aborted) return undefined;
    return this.#deadline.expired ? "timeout" : "cancel";
  }

  /** Starts, or moves forward, the wait for the next sign of progress. */
  arm(): void {
    if (!this.stopped) this.#deadline.arm();
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
    this.#deadline.clear();
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
): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string }> {
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
    // Body chunks are views of ArrayBuffers (the Streams standard's byte chunks).
    const bytes = chunks.length === 1 ? chunks[0] as Uint8Array<ArrayBuffer> : new Uint8Array(size);
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
