/**
 * `ai-sdk-floor`: the Vercel AI SDK's `generateText` / `streamText` with the
 * SDK's own in-process mock model (`MockLanguageModelV4` from `ai/test`),
 * which answers what the emulator answers, with no network: the framework's
 * own cost under `workers-ai-provider`.
 *
 * @module
 */
import { MockLanguageModelV4 } from "ai/test";
import { type Impl, replyTokens } from "../common.ts";
import { aiSdkText } from "./ai_sdk_text.ts";

type MockOptions = NonNullable<ConstructorParameters<typeof MockLanguageModelV4>[0]>;
// deno-lint-ignore no-explicit-any
type CallOptions = Parameters<Extract<MockOptions["doGenerate"], (...args: any[]) => unknown>>[0];

/** The text of the last user message of a call. */
function lastUserText(options: CallOptions): string {
  let last = "";
  for (const m of options.prompt) {
    if (m.role !== "user") continue;
    last = m.content.map((p) => (p.type === "text" ? p.text : "")).join("");
  }
  return last;
}

function usage(options: CallOptions, outputTokens: number) {
  const words = lastUserText(options).trim().split(/\s+/).filter(Boolean).length;
  return {
    inputTokens: { total: words, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: outputTokens, text: undefined, reasoning: undefined },
  };
}

const STOP = { unified: "stop" as const, raw: "stop" };

/** Creates the `ai-sdk-floor` implementation. */
export function aiSdkFloor(): Promise<Impl> {
  const model: MockLanguageModelV4 = new MockLanguageModelV4({
    provider: "floor",
    modelId: "echo",
    doGenerate: (options) => {
      // The mock records every call; keep it from growing over a run.
      model.doGenerateCalls.length = 0;
      const tokens = replyTokens(lastUserText(options), options.maxOutputTokens);
      return Promise.resolve({
        content: [{ type: "text", text: tokens.join("") }],
        finishReason: STOP,
        usage: usage(options, tokens.length),
        warnings: [],
      });
    },
    doStream: (options) => {
      model.doStreamCalls.length = 0;
      const tokens = replyTokens(lastUserText(options), options.maxOutputTokens);
      // Every part at once, as genkit-floor's model sends every chunk at once.
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "text-start", id: "0" });
          for (const delta of tokens) controller.enqueue({ type: "text-delta", id: "0", delta });
          controller.enqueue({ type: "text-end", id: "0" });
          controller.enqueue({
            type: "finish",
            finishReason: STOP,
            usage: usage(options, tokens.length),
          });
          controller.close();
        },
      });
      return Promise.resolve({ stream });
    },
  });
  return Promise.resolve({
    name: "ai-sdk-floor",
    ...aiSdkText(model),
    embedSkip: "a text floor: embed-10k's Genkit floor is genkit-floor",
  });
}
