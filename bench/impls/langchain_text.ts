/**
 * `generate` and `stream` through a LangChain chat model: the same code for
 * `langchain` and `langchain-floor`, so that they differ only in the model
 * they call and how each is given the stream's `max_tokens`.
 *
 * @module
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type BaseMessage, HumanMessage } from "@langchain/core/messages";
import type { Impl } from "../common.ts";

/** Runs `run` with the model set to answer at most `maxTokens` tokens. */
export type WithMaxTokens = <T>(maxTokens: number, run: () => Promise<T>) => Promise<T>;

/** The text half of an {@link Impl} for a LangChain chat model. */
export function langchainText(
  chat: BaseChatModel,
  withMaxTokens: WithMaxTokens,
): Pick<Impl, "generate" | "stream"> {
  return {
    async generate(prompt) {
      const reply = await chat.invoke([new HumanMessage(prompt)]);
      return reply.content as string;
    },
    stream(prompt, maxTokens, onText) {
      return withMaxTokens(maxTokens, async () => {
        const stream = await chat.stream([new HumanMessage(prompt)]);
        let all = "";
        for await (const c of stream) {
          const delta = c.content;
          if (typeof delta === "string" && delta !== "") {
            all += delta;
            onText(delta);
          }
        }
        return all;
      });
    },
  };
}

/** The text of the last human message. */
export function lastUserText(messages: BaseMessage[]): string {
  let last = "";
  for (const m of messages) {
    if (m._getType() === "human" && typeof m.content === "string") last = m.content;
  }
  return last;
}
