/**
 * `genkit-raw`: Genkit's smallest model whose body is raw-fetch's code. An
 * `ai.defineModel` runner that takes the prompt's text and calls
 * {@link rawText} (the same request, the same parsing, each streamed delta
 * handed to `sendChunk`), driven through `ai.generate` / `ai.generateStream`
 * as the Genkit clients are. Its figure is Genkit's cost around a real
 * network call: a Genkit client's own cost is its figure minus this one.
 *
 * @module
 */
import { genkit } from "genkit";
import type { Endpoint, Impl } from "../common.ts";
import { genkitText } from "./genkit_text.ts";
import { rawText } from "./raw_text.ts";

const MODEL = "raw/chat";

/** Creates the `genkit-raw` implementation. */
export function genkitRaw(text: Endpoint): Promise<Impl> {
  const raw = rawText(text);
  const ai = genkit({ promptDir: null });
  ai.defineModel(
    {
      apiVersion: "v2",
      name: MODEL,
      supports: { multiturn: true, systemRole: true, media: false, tools: false },
    },
    async (request, { streamingRequested, sendChunk }) => {
      let prompt = "";
      for (const m of request.messages) {
        if (m.role === "user") prompt = m.content.map((p) => p.text ?? "").join("");
      }
      const maxTokens = (request.config as { maxOutputTokens?: number } | undefined)
        ?.maxOutputTokens;
      const reply = streamingRequested
        ? await raw.stream(
          prompt,
          maxTokens ?? 256,
          (delta) => sendChunk({ content: [{ text: delta }] }),
        )
        : await raw.generate(prompt);
      return { message: { role: "model", content: [{ text: reply }] }, finishReason: "stop" };
    },
  );
  return Promise.resolve({
    name: "genkit-raw",
    ...genkitText(ai, MODEL, (maxTokens) => ({ maxOutputTokens: maxTokens })),
    embedSkip: "a text floor: embed-10k's Genkit floor is genkit-floor",
  });
}
