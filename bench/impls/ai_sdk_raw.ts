/**
 * `ai-sdk-raw`: the AI SDK's smallest language model whose body is
 * raw-fetch's code: a plain `LanguageModelV4` object (no provider package)
 * whose `doGenerate` calls {@link rawText}'s request and whose `doStream`
 * turns raw-fetch's streamed deltas into the SDK's stream parts (one
 * `text-delta` per delta), driven through `generateText` / `streamText` as
 * `workers-ai-provider` is. A client's own cost on the AI SDK is its figure
 * minus this one.
 *
 * @module
 */
import type { LanguageModel } from "ai";
import type { Endpoint, Impl } from "../common.ts";
import { aiSdkText } from "./ai_sdk_text.ts";
import { type RawText, rawText } from "./raw_text.ts";

type ModelV4 = Extract<LanguageModel, { specificationVersion: "v4" }>;
type CallOptions = Parameters<ModelV4["doGenerate"]>[0];

/** The text of the last user message of a call. */
function lastUserText(options: CallOptions): string {
  let last = "";
  for (const m of options.prompt) {
    if (m.role !== "user") continue;
    last = m.content.map((p) => (p.type === "text" ? p.text : "")).join("");
  }
  return last;
}

const STOP = { unified: "stop" as const, raw: "stop" };
/** raw-fetch reads no usage: none is reported. */
const NO_USAGE = {
  inputTokens: {
    total: undefined,
    noCache: undefined,
    cacheRead: undefined,
    cacheWrite: undefined,
  },
  outputTokens: { total: undefined, text: undefined, reasoning: undefined },
};

/** The model: raw-fetch's requests behind the AI SDK's model interface. */
export function rawLanguageModel(raw: RawText): ModelV4 {
  return {
    specificationVersion: "v4",
    provider: "raw",
    modelId: "chat",
    supportedUrls: {},
    async doGenerate(options) {
      const text = await raw.generate(lastUserText(options));
      return {
        content: [{ type: "text", text }],
        finishReason: STOP,
        usage: NO_USAGE,
        warnings: [],
      };
    },
    doStream(options) {
      const prompt = lastUserText(options);
      const maxTokens = options.maxOutputTokens ?? 256;
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "text-start", id: "0" });
          raw.stream(
            prompt,
            maxTokens,
            (delta) => controller.enqueue({ type: "text-delta", id: "0", delta }),
          ).then(() => {
            controller.enqueue({ type: "text-end", id: "0" });
            controller.enqueue({ type: "finish", finishReason: STOP, usage: NO_USAGE });
            controller.close();
          }, (e) => controller.error(e));
        },
      });
      return Promise.resolve({ stream });
    },
  } as ModelV4;
}

/** Creates the `ai-sdk-raw` implementation. */
export function aiSdkRaw(text: Endpoint): Promise<Impl> {
  return Promise.resolve({
    name: "ai-sdk-raw",
    ...aiSdkText(rawLanguageModel(rawText(text))),
    embedSkip: "a text floor: embed-10k's Genkit floor is genkit-floor",
  });
}
