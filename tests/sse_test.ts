import assert from "node:assert/strict";
import fc from "fast-check";
import { DONE, sseBatches } from "../src/client/sse.ts";

/** Serves `bytes` as a body delivered in the given pieces (one network read each). */
function bodyFrom(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const p of [...points, bytes.length]) {
    if (p > start) pieces.push(bytes.slice(start, p));
    start = Math.max(start, p);
  }
  return new ReadableStream({
    pull(controller) {
      const next = pieces.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

async function collect(batches: AsyncIterable<string[]>): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

const EVENTS = [
  { response: "", tool_calls: [], p: "abdefghijklmnoprstuvxyz12" },
  { response: "Grüße ", tool_calls: [], p: "abc" },
  { response: "日本語 ", tool_calls: [], p: "abdefghijklmnoprstuvxyz1234567890" },
  { response: "🙂 done", tool_calls: [] },
  { tool_calls: [], p: "abdefghijklmn" },
  { response: "", usage: { prompt_tokens: 169, completion_tokens: 48, total_tokens: 217 } },
];

function wire(eol: string, space: boolean): Uint8Array {
  const sep = space ? "data: " : "data:";
  const text = EVENTS.map((e) => `${sep}${JSON.stringify(e)}${eol}${eol}`).join("") +
    `${sep}${DONE}${eol}${eol}`;
  return new TextEncoder().encode(text);
}

const EXPECTED = [...EVENTS.map((e) => JSON.stringify(e)), DONE];

Deno.test("SSE parsing gives the same events for every split of the bytes (LF, CRLF, with and without a space)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("\n", "\r\n"),
      fc.boolean(),
      fc.array(fc.nat(2000), { maxLength: 40 }),
      async (eol, space, cuts) => {
        const got = await collect(sseBatches(bodyFrom(wire(eol, space), cuts)));
        assert.deepEqual(got, EXPECTED);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("SSE parsing survives splits inside every multi-byte character", async () => {
  const bytes = wire("\n", true);
  for (let i = 1; i < bytes.length; i++) {
    // Only cut where the byte is a UTF-8 continuation byte: inside a character.
    if ((bytes[i] & 0xc0) !== 0x80) continue;
    assert.deepEqual(await collect(sseBatches(bodyFrom(bytes, [i]))), EXPECTED);
  }
});

Deno.test("a bare [DONE] line without the data: field is still the end marker", async () => {
  const body = new Response('data: {"response":"Hi"}\n\n[DONE]\n\n').body!;
  assert.deepEqual(await collect(sseBatches(body)), ['{"response":"Hi"}', DONE]);
});

Deno.test("events that arrive in one network read come as one batch", async () => {
  const batches: string[][] = [];
  for await (const b of sseBatches(bodyFrom(wire("\n", true), []))) batches.push(b);
  assert.deepEqual(batches, [EXPECTED]);
});
