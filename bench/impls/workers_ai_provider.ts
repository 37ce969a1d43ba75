/**
 * `workers-ai-provider`: Cloudflare's provider for the Vercel AI SDK (`ai`).
 * Its REST client builds `https://api.cloudflare.com/...` URLs itself; its
 * `fetch` option is the documented hook, and here it rewrites that prefix to
 * the emulator's address.
 *
 * @module
 */
import { embedMany } from "ai";
import { createWorkersAI } from "workers-ai-provider";
import {
  EMBED_BATCH,
  EMBED_CONCURRENCY,
  EMBED_MODEL,
  type Endpoint,
  type Impl,
  TEXT_MODEL,
} from "../common.ts";
import { aiSdkText } from "./ai_sdk_text.ts";

const CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";

function provider(ep: Endpoint) {
  const send = ep.fetch ?? fetch;
  const redirect: typeof fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(CLOUDFLARE_API)) {
      return Promise.reject(new Error(`unexpected request to ${url}`));
    }
    return send(ep.url + url.slice(CLOUDFLARE_API.length), init);
  };
  return createWorkersAI({
    accountId: ep.accountId,
    apiKey: ep.apiToken,
    fetch: redirect,
  });
}

/** Creates the `workers-ai-provider` implementation. */
export function workersAiProvider(
  text: Endpoint,
  embed: Endpoint,
): Promise<Impl> {
  const model = provider(text)(TEXT_MODEL);
  // The API takes at most 100 texts per request (the provider assumes 3,000).
  const embedder = provider(embed).textEmbeddingModel(EMBED_MODEL, {
    maxEmbeddingsPerCall: EMBED_BATCH,
  });
  return Promise.resolve({
    name: "workers-ai-provider",
    ...aiSdkText(model),
    async embed(texts) {
      // Every batch at once unless told otherwise: the plugin's default instead.
      return (await embedMany({
        model: embedder,
        values: texts,
        maxParallelCalls: EMBED_CONCURRENCY,
      })).embeddings;
    },
  });
}
