/**
 * Server-sent events from a response body: `TextDecoderStream` for the bytes
 * (multi-byte characters split across network reads are reassembled) and
 * `eventsource-parser` for the event grammar (CRLF, `data:` without a space,
 * multi-line data).
 *
 * @module
 */
import { createParser, type EventSourceParser } from "eventsource-parser";

/** The data line that ends every Workers AI stream. */
export const DONE = "[DONE]";

/**
 * A stream of the `data` of each server-sent event in `body`, in order.
 *
 * A bare `[DONE]` line without the `data:` field name (seen in Cloudflare's
 * own provider mocks) is passed on as `[DONE]` too, since it carries the same
 * meaning.
 *
 * @example
 * ```ts
 * import { sseData } from "./sse.ts";
 * const body = new Response('data: {"response":"Hi"}\n\ndata: [DONE]\n\n').body!;
 * for await (const data of sseData(body)) console.log(data);
 * ```
 */
export function sseData(body: ReadableStream<Uint8Array>): ReadableStream<string> {
  let parser: EventSourceParser;
  return body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(
      new TransformStream<string, string>({
        start(controller) {
          parser = createParser({
            onEvent: (event) => controller.enqueue(event.data),
            onError: (error) => {
              if (error.type === "unknown-field" && error.field?.trim() === DONE) {
                controller.enqueue(DONE);
              }
            },
          });
        },
        transform(chunk) {
          parser.feed(chunk);
        },
      }),
    );
}
