/**
 * Inlines `http(s)` images as `data:` URLs: Workers AI vision models take only
 * `data:` URLs ("HTTP URL will not be accepted", mistral-small-3.1's schema).
 * Downloads are bounded in size and time and must be images.
 *
 * @module
 */
import { GenkitError, type MessageData } from "genkit";
import { invalidArgument as invalid } from "./errors.ts";

/** Limits of {@link inlineRemoteImages}. */
export interface DownloadLimits {
  /** Largest image accepted, in bytes. */
  maxBytes: number;
  /** Longest wait for one download, in milliseconds. */
  timeoutMs: number;
}

/** 10 MiB and 15 s: above any image a vision model on Workers AI takes in one request. */
export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = {
  maxBytes: 10 * 1024 * 1024,
  timeoutMs: 15_000,
};

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

async function download(
  model: string,
  url: string,
  limits: DownloadLimits,
  signal: AbortSignal | undefined,
): Promise<string> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, { signal: combined });
  } catch (e) {
    if (signal?.aborted) {
      throw new GenkitError({
        status: "CANCELLED",
        message: `Image download for ${model} was cancelled.`,
      });
    }
    const why = timeout.aborted ? `no answer within ${limits.timeoutMs} ms` : String(e);
    throw invalid(`Could not download the image ${url} for ${model}: ${why}.`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw invalid(`Could not download the image ${url} for ${model}: HTTP ${response.status}.`);
  }
  const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (!type.startsWith("image/")) {
    await response.body?.cancel();
    throw invalid(
      `${url} is not an image (content-type ${type || "missing"}); ${model} takes only images.`,
    );
  }
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > limits.maxBytes) {
    await response.body?.cancel();
    throw invalid(`The image ${url} is ${declared} bytes; the limit is ${limits.maxBytes}.`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body!) {
    size += chunk.length;
    if (size > limits.maxBytes) {
      throw invalid(`The image ${url} is larger than the limit of ${limits.maxBytes} bytes.`);
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  return `data:${type};base64,${base64(bytes)}`;
}

/**
 * Returns the messages with every `http(s)` media URL replaced by a `data:`
 * URL of the downloaded image; messages without remote media are returned as
 * they are.
 */
export async function inlineRemoteImages(
  model: string,
  messages: MessageData[],
  signal?: AbortSignal,
  limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS,
): Promise<MessageData[]> {
  const remote = (url: string) => url.startsWith("http://") || url.startsWith("https://");
  if (!messages.some((m) => m.content.some((p) => p.media && remote(p.media.url)))) {
    return messages;
  }
  return await Promise.all(messages.map(async (m) => ({
    ...m,
    content: await Promise.all(m.content.map(async (p) => {
      if (!p.media || !remote(p.media.url)) return p;
      const url = await download(model, p.media.url, limits, signal);
      return { ...p, media: { url, contentType: url.slice(5, url.indexOf(";")) } };
    })),
  })));
}
