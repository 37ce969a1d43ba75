/**
 * `raw-fetch`: hand-written `fetch` + `JSON.parse` against the same REST
 * endpoint, with no framework; streams through `TextDecoderStream` and
 * `eventsource-parser`. The floor every client adds to. Its embeddings go 4
 * requests at a time, and a request refused for the rate limit waits out
 * its `Retry-After` and is sent again.
 *
 * @module
 */
import {
  chunk,
  EMBED_BATCH,
  EMBED_CONCURRENCY,
  EMBED_MODEL,
  type Endpoint,
  type Impl,
  mapLimit,
} from "../common.ts";
import { headersFor, rawText } from "./raw_text.ts";

/** Attempts of one embedding request under a rate limit before giving up. */
const MAX_ATTEMPTS = 6;

/**
 * One embedding request as careful hand-written code sends it: on a 429 it
 * waits the `Retry-After` it is given (1 s if none) and sends it again, each
 * request on its own, with no pause shared with the others.
 */
async function postEmbed(
  send: typeof fetch,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<number[][]> {
  for (let attempt = 1;; attempt++) {
    const res = await send(url, { method: "POST", headers, body });
    if (res.status === 429 && attempt < MAX_ATTEMPTS) {
      await res.body?.cancel();
      const seconds = Number(res.headers.get("retry-after") ?? "1");
      await new Promise((r) => setTimeout(r, (Number.isFinite(seconds) ? seconds : 1) * 1000));
      continue;
    }
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    return JSON.parse(await res.text()).result.data as number[][];
  }
}

/** Creates the `raw-fetch` implementation. */
export function rawFetch(text: Endpoint, embed: Endpoint): Promise<Impl> {
  const embedUrl = `${embed.aiBase}/run/${EMBED_MODEL}`;
  const embedHeaders = headersFor(embed);
  const send = embed.fetch ?? fetch;
  return Promise.resolve({
    name: "raw-fetch",
    ...rawText(text),
    async embed(texts) {
      const batches = await mapLimit(
        chunk(texts, EMBED_BATCH),
        EMBED_CONCURRENCY,
        (batch) => postEmbed(send, embedUrl, embedHeaders, JSON.stringify({ text: batch })),
      );
      return batches.flat();
    },
  });
}
