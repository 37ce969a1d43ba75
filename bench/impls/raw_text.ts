/**
 * raw-fetch's text code: one chat request with `fetch` + `JSON.parse`, and
 * one streamed through `TextDecoderStream` + `eventsource-parser`. `raw-fetch`
 * calls it directly; the raw floors (`genkit-raw`, `ai-sdk-raw`,
 * `langchain-raw`) call the very same functions from inside each
 * framework's smallest model, so that a client's figure minus its
 * framework's raw floor is what the client adds around the same request.
 *
 * @module
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import { type Endpoint, TEXT_MODEL } from "../common.ts";

/** The text requests of raw-fetch. */
export interface RawText {
  /** One non-streaming chat request; the reply text. */
  generate(prompt: string): Promise<string>;
  /** One streamed chat request of at most `maxTokens` tokens; each text delta to `onText`. */
  stream(prompt: string, maxTokens: number, onText: (delta: string) => void): Promise<string>;
  /** The same streamed request as {@link stream}, its text deltas as an async iterable. */
  deltas(prompt: string, maxTokens: number): AsyncGenerator<string>;
}

/** The request headers of an endpoint. */
export function headersFor(ep: Endpoint): Record<string, string> {
  return {
    authorization: `Bearer ${ep.apiToken}`,
    "content-type": "application/json",
  };
}

/** POSTs a JSON body; throws on an HTTP error. */
export async function post(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<Response> {
  const res = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return res;
}

/** raw-fetch's text requests against `ep`. */
export function rawText(ep: Endpoint): RawText {
  const url = `${ep.aiBase}/run/${TEXT_MODEL}`;
  const headers = headersFor(ep);
  return {
    async generate(prompt) {
      const res = await post(url, headers, {
        messages: [{ role: "user", content: prompt }],
      });
      const envelope = JSON.parse(await res.text());
      return envelope.result.response as string;
    },
    async stream(prompt, maxTokens, onText) {
      const res = await post(url, headers, {
        messages: [{ role: "user", content: prompt }],
        max_tokens: maxTokens,
        stream: true,
      });
      const events = res.body!
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream());
      let all = "";
      for await (const event of events) {
        if (event.data === "[DONE]") break;
        const data = JSON.parse(event.data);
        const delta = data.response;
        if (typeof delta === "string" && delta !== "") {
          all += delta;
          onText(delta);
        }
      }
      return all;
    },
    async *deltas(prompt, maxTokens) {
      const res = await post(url, headers, {
        messages: [{ role: "user", content: prompt }],
        max_tokens: maxTokens,
        stream: true,
      });
      const events = res.body!
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream());
      for await (const event of events) {
        if (event.data === "[DONE]") break;
        const data = JSON.parse(event.data);
        const delta = data.response;
        if (typeof delta === "string" && delta !== "") yield delta;
      }
    },
  };
}
