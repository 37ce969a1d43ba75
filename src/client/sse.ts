/**
 * Server-sent events from a response body: a streaming `TextDecoder` for the
 * bytes (multi-byte characters split across network reads are reassembled) and
 * `eventsource-parser` for the event grammar (CRLF, `data:` without a space,
 * multi-line data).
 *
 * @module
 */
import { createParser } from "eventsource-parser";

/** Decoding options of a read that may end inside a multi-byte character. */
const STREAMING: { stream: boolean } = { stream: true };

/** The data line that ends every Workers AI stream. */
export const DONE = "[DONE]";

/**
 * The `data` of each server-sent event in `body`, one batch per network read
 * (`[DONE]` included; a bare `[DONE]` line without the `data:` field name, seen
 * in Cloudflare's own provider mocks, counts too):
 * events that arrived together are handed on together, so that the caller
 * pays one stream read and one generator step per read instead of per event.
 * Cancels the body when the iteration stops early.
 *
 * @example
 * ```ts
 * import { sseBatches } from "./sse.ts";
 * const body = new Response('data: {"response":"Hi"}\n\ndata: [DONE]\n\n').body!;
 * for await (const batch of sseBatches(body)) console.log(batch);
 * ```
 */
export async function* sseBatches(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<string[], void, undefined> {
  let batch: string[] = [];
  const parser = createParser({
    onEvent: (event) => batch.push(event.data),
    onError: (error) => {
      if (error.type === "unknown-field" && error.field?.trim() === DONE) batch.push(DONE);
    },
  });
  // A TextDecoder fed each read (not a TextDecoderStream piped in): one
  // stream less between the socket and the parser for every network read.
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        finished = true;
        // What an incomplete character left behind, as the stream's end shows it.
        const rest = decoder.decode();
        if (rest) parser.feed(rest);
      } else parser.feed(decoder.decode(value, STREAMING));
      if (batch.length > 0) {
        const out = batch;
        batch = [];
        yield out;
      }
      if (finished) return;
    }
  } finally {
    if (!finished) reader.cancel().catch(() => {});
  }
}
