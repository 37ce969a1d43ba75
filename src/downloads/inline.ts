/**
 * Remote media in Genkit messages, downloaded and inlined as `data:` URLs:
 * Workers AI vision models take only `data:` URLs ("HTTP URL will not be
 * accepted", mistral-small-3.1's schema).
 *
 * @module
 */
import { dataUrl } from "../base64.ts";
import type { MessageData } from "genkit";
import { download, DownloadBudget, isRemoteUrl } from "./download.ts";
import type { DownloadPolicy } from "./policy.ts";

/** How many files of one request are downloaded at the same time. */
const CONCURRENT_DOWNLOADS = 6;

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
          url: dataUrl(file.bytes, file.contentType),
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
