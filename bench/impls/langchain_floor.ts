/**
 * `langchain-floor`: a LangChain chat model that answers what the emulator
 * answers, in process: the framework's own cost under `langchain`. It is the
 * smallest subclass of the base class `ChatCloudflareWorkersAI` extends
 * (`SimpleChatModel`), with the same streaming path (one
 * `ChatGenerationChunk` per token, each announced with `handleLLMNewToken`),
 * and it is called the way the `langchain` implementation calls its model.
 *
 * @module
 */
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { SimpleChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import { type Impl, replyTokens } from "../common.ts";
import { langchainText, lastUserText } from "./langchain_text.ts";

class EchoChatModel extends SimpleChatModel {
  /** The reply's length cap, like the API's `max_tokens` (256 unless the caller sets it). */
  maxTokens = 256;

  _llmType(): string {
    return "echo";
  }

  _call(messages: BaseMessage[]): Promise<string> {
    return Promise.resolve(replyTokens(lastUserText(messages), this.maxTokens).join(""));
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    _options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    for (const token of replyTokens(lastUserText(messages), this.maxTokens)) {
      const chunk = new ChatGenerationChunk({
        message: new AIMessageChunk({ content: token }),
        text: token,
      });
      yield chunk;
      runManager?.handleLLMNewToken(chunk.text ?? "");
    }
  }
}

/** Creates the `langchain-floor` implementation. */
export function langchainFloor(): Promise<Impl> {
  const chat = new EchoChatModel({});
  return Promise.resolve({
    name: "langchain-floor",
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
