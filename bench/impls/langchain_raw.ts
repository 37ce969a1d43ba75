/**
 * `langchain-raw`: LangChain's smallest chat model whose body is raw-fetch's
 * code: a subclass of `SimpleChatModel` (the base class of
 * `ChatCloudflareWorkersAI`) whose `_call` is {@link rawText}'s request and
 * whose `_streamResponseChunks` yields one `ChatGenerationChunk` per
 * streamed delta of the same request (announced with `handleLLMNewToken`,
 * as that class does), driven through `invoke` / `stream` as `langchain` is.
 * A client's own cost on LangChain is its figure minus this one.
 *
 * @module
 */
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { SimpleChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import type { Endpoint, Impl } from "../common.ts";
import { langchainText, lastUserText } from "./langchain_text.ts";
import { type RawText, rawText } from "./raw_text.ts";

class RawChatModel extends SimpleChatModel {
  /** The stream's `max_tokens` (the API's default of 256 unless the caller sets it). */
  maxTokens = 256;
  readonly #raw: RawText;

  constructor(raw: RawText) {
    super({});
    this.#raw = raw;
  }

  _llmType(): string {
    return "raw";
  }

  _call(messages: BaseMessage[]): Promise<string> {
    return this.#raw.generate(lastUserText(messages));
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    _options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    for await (const delta of this.#raw.deltas(lastUserText(messages), this.maxTokens)) {
      const chunk = new ChatGenerationChunk({
        message: new AIMessageChunk({ content: delta }),
        text: delta,
      });
      yield chunk;
      runManager?.handleLLMNewToken(chunk.text ?? "");
    }
  }
}

/** Creates the `langchain-raw` implementation. */
export function langchainRaw(text: Endpoint): Promise<Impl> {
  const chat = new RawChatModel(rawText(text));
  return Promise.resolve({
    name: "langchain-raw",
    ...langchainText(chat, async (maxTokens, run) => {
      chat.maxTokens = maxTokens;
      try {
        return await run();
      } finally {
        chat.maxTokens = 256;
      }
    }),
    embedSkip: "a text floor: embed-10k's Genkit floor is genkit-floor",
  });
}
