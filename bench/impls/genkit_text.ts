/**
 * `generate` and `stream` through a Genkit app: the same code for the three
 * Genkit implementations, so that they differ only in the model they call.
 *
 * @module
 */
import type { GenerateOptions, Genkit } from "genkit";
import type { Impl } from "../common.ts";

/** The text half of an {@link Impl} for a Genkit app and model. */
export function genkitText(
  ai: Genkit,
  model: GenerateOptions["model"],
  streamConfig: (maxTokens: number) => Record<string, unknown>,
): Pick<Impl, "generate" | "stream"> {
  return {
    async generate(prompt) {
      return (await ai.generate({ model, prompt })).text;
    },
    async stream(prompt, maxTokens, onText) {
      const { stream, response } = ai.generateStream({
        model,
        prompt,
        config: streamConfig(maxTokens),
      });
      for await (const c of stream) {
        const delta = c.text;
        if (delta) onText(delta);
      }
      return (await response).text;
    },
  };
}
