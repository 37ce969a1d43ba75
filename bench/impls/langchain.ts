/**
 * `langchain`: `@langchain/cloudflare`. Its chat class takes a `baseUrl` and
 * uses the global `fetch`; its embeddings class takes only a Workers binding
 * (`env.AI`), so here it gets a minimal REST stand-in for one.
 *
 * @module
 */
import { ChatCloudflareWorkersAI, CloudflareWorkersAIEmbeddings } from "@langchain/cloudflare";
import { EMBED_CONCURRENCY, EMBED_MODEL, type Endpoint, type Impl, TEXT_MODEL } from "../common.ts";
import { langchainText } from "./langchain_text.ts";

/**
 * `ChatCloudflareWorkersAI` sends `{messages, stream}` and has no option for
 * `max_tokens`, so a long reply stops at the API's default of 256 tokens.
 * While one of its streams is being opened, the global `fetch` adds
 * `max_tokens` to the body; the extra parse and serialisation is charged to it.
 */
async function withMaxTokens<T>(
  maxTokens: number,
  run: () => Promise<T>,
): Promise<T> {
  const original = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    if (typeof init?.body === "string") {
      const body = JSON.parse(init.body);
      body.max_tokens = maxTokens;
      init = { ...init, body: JSON.stringify(body) };
    }
    return original(input, init);
  };
  try {
    return await run();
  } finally {
    globalThis.fetch = original;
  }
}

/** Creates the `langchain` implementation. */
export function langchain(text: Endpoint, embed: Endpoint): Promise<Impl> {
  const chat = new ChatCloudflareWorkersAI({
    model: TEXT_MODEL,
    cloudflareAccountId: text.accountId,
    cloudflareApiToken: text.apiToken,
    baseUrl: `${text.aiBase}/run`,
  });
  const embedHeaders = {
    authorization: `Bearer ${embed.apiToken}`,
    "content-type": "application/json",
  };
  // What a Workers binding's run() does, over REST: enough for the embeddings
  // class. Like a binding's, its errors carry no status and no headers.
  const send = embed.fetch ?? fetch;
  const binding = {
    async run(model: string, inputs: unknown) {
      const res = await send(`${embed.aiBase}/run/${model}`, {
        method: "POST",
        headers: embedHeaders,
        body: JSON.stringify(inputs),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      return JSON.parse(await res.text()).result;
    },
  };
  const embeddings = new CloudflareWorkersAIEmbeddings({
    // deno-lint-ignore no-explicit-any
    binding: binding as any,
    model: EMBED_MODEL,
    // Its AsyncCaller sends every batch at once unless told otherwise: the plugin's default.
    maxConcurrency: EMBED_CONCURRENCY,
  });
  return Promise.resolve({
    name: "langchain",
    ...langchainText(chat, withMaxTokens),
    embed(texts) {
      return embeddings.embedDocuments(texts);
    },
  });
}
