/**
 * `generate` and `stream` through the Vercel AI SDK: the same code for
 * `workers-ai-provider` and `ai-sdk-floor`, so that they differ only in the
 * model they call.
 *
 * @module
 */
import { generateText, type LanguageModel, streamText } from "ai";
import type { Impl } from "../common.ts";

/** The text half of an {@link Impl} for an AI SDK model. */
export function aiSdkText(model: LanguageModel): Pick<Impl, "generate" | "stream"> {
  return {
    async generate(prompt) {
      return (await generateText({ model, prompt })).text;
    },
    async stream(prompt, maxTokens, onText) {
      const result = streamText({ model, prompt, maxOutputTokens: maxTokens });
      let all = "";
      for await (const delta of result.textStream) {
        if (delta) {
          all += delta;
          onText(delta);
        }
      }
      return all;
    },
  };
}
