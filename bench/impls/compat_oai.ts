/**
 * `compat-oai`: Genkit's OpenAI-compatible plugin on the emulator's
 * `/ai/v1/chat/completions` and `/ai/v1/embeddings`, as a Genkit user
 * without this module would call Workers AI.
 *
 * @module
 */
import { defineCompatOpenAIEmbedder, openAICompatible } from "@genkit-ai/compat-oai";
import { genkit } from "genkit";
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
import { genkitText } from "./genkit_text.ts";

const NAME = "workers-ai-oai";

/** The OpenAI client's own `fetch` type (the web one, typed by its shims). */
type ClientFetch = NonNullable<Parameters<typeof openAICompatible>[0]["fetch"]>;

function app(ep: Endpoint, embedder: boolean) {
  const options = {
    name: NAME,
    apiKey: ep.apiToken,
    baseURL: `${ep.aiBase}/v1`,
    // Passed on to the OpenAI client; undefined leaves its default.
    fetch: ep.fetch as unknown as ClientFetch | undefined,
  };
  return genkit({
    promptDir: null,
    plugins: [
      openAICompatible({
        ...options,
        // The plugin resolves chat models on demand; embedders must be listed.
        initializer: (client) =>
          Promise.resolve(
            embedder
              ? [
                defineCompatOpenAIEmbedder({
                  name: EMBED_MODEL,
                  client,
                  pluginOptions: options,
                }),
              ]
              : [],
          ),
      }),
    ],
  });
}

/** Creates the `compat-oai` implementation. */
export function compatOai(text: Endpoint, embed: Endpoint): Promise<Impl> {
  const ai = app(text, false);
  const embedAi = app(embed, true);
  const model = `${NAME}/${TEXT_MODEL}`;
  const embedder = `${NAME}/${EMBED_MODEL}`;
  return Promise.resolve({
    name: "compat-oai",
    // compat-oai drops maxOutputTokens; unknown config keys pass through to the body.
    ...genkitText(ai, model, (maxTokens) => ({ max_tokens: maxTokens })),
    async embed(texts) {
      // ai.embedMany sends every text in one request and the endpoint takes
      // at most 100: the user code batches them, 100 a call, with as many
      // calls in flight as the plugin's default (EMBED_CONCURRENCY).
      const batches = await mapLimit(
        chunk(texts, EMBED_BATCH),
        EMBED_CONCURRENCY,
        async (batch) => {
          const res = await embedAi.embedMany({
            embedder,
            content: batch,
            // The OpenAI SDK asks for base64 unless told otherwise; Workers AI gives floats.
            options: { encodingFormat: "float" },
          });
          return res.map((e) => e.embedding);
        },
      );
      return batches.flat();
    },
  });
}
