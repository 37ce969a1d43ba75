/**
 * `raw-fetch`: hand-written `fetch` + `JSON.parse` against the same REST
 * endpoint, with no framework; streams through `TextDecoderStream` and
 * `eventsource-parser`. The floor every client adds to. Its embeddings go 4
 * requests at a time, and a request refused for the rate limit waits out
 * its `Retry-After` and is sent again.
 *
 * @module
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import {
  chunk,
  EMBED_BATCH,
  EMBED_CONCURRENCY,
  EMBED_MODEL,
  type Endpoint,
  type Impl,
  mapLimit,
  TEXT_MODEL,
} from "../common.ts";

function headersFor(ep: Endpoint): Record<string, string> {
  return {
    authorization: `Bearer ${ep.apiToken}`,
    "content-type": "application/json",
  };
}

async function post(
  url: string,
  headers: Record<string, string>,
  body: unknown,
) {
  const res = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return res;
}

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
  const textUrl = `${text.aiBase}/run/${TEXT_MODEL}`;
  const textHeaders = headersFor(text);
  const embedUrl = `${embed.aiBase}/run/${EMBED_MODEL}`;
  const embedHeaders = headersFor(embed);
  const send = embed.fetch ?? fetch;
  return Promise.resolve({
    name: "raw-fetch",
    async generate(prompt) {
      const res = await post(textUrl, textHeaders, {
        messages: [{ role: "user", content: prompt }],
      });
      const envelope = JSON.parse(await res.text());
      return envelope.result.response as string;
    },
    async stream(prompt, maxTokens, onText) {
      const res = await post(textUrl, textHeaders, {
        messages: [{ role: "user", content: prompt }],
        max_tokens: maxTokens,
        stream: true,
      });
      const events = res.body!
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream());
      let all = "";
      for await (const event of events) {
        if (event.data === "[DONE]") break;
        const data = JSON.parse(event.data);
        const delta = data.response;
        if (typeof delta === "string" && delta !== "") {
          all += delta;
          onText(delta);
        }
      }
      return all;
    },
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
