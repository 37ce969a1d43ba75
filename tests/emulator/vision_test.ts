// Image input: content parts and the image field.
import assert from "node:assert/strict";
import { startEmulator } from "../../src/testing/mod.ts";
import { call, errorOf, LLAMA, LLAMA_33, MISTRAL, run, user, VISION } from "./_helpers.ts";

const GEMMA_3 = "@cf/google/gemma-3-12b-it";

/** A 1x1 PNG. */
const PNG_B64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const PNG_URL = `data:image/png;base64,${PNG_B64}`;
const PNG_BYTES = Array.from(atob(PNG_B64), (c) => c.charCodeAt(0));

Deno.test("images: content parts on vision models, the image field on llama-3.2-vision", async () => {
  await using emu = await startEmulator();
  const parts = [
    { type: "text", text: "what is this" },
    { type: "image_url", image_url: { url: PNG_URL } },
    { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQ" } },
  ];
  const suffix = ` [saw 2 image(s): image/png ${PNG_BYTES.length} bytes, image/jpeg 6 bytes]`;
  // The models whose published message content takes an array of parts.
  for (const model of [MISTRAL, GEMMA_3]) {
    const { body } = await call(emu, model, { messages: [user(parts)] });
    assert.equal(body.result.response, `Hello from ${model}! You said: what is this${suffix}`);
  }
  const gemma4 = await call(emu, "@cf/google/gemma-4-26b-a4b-it", { messages: [user(parts)] });
  assert.match(gemma4.body.result.choices[0].message.content, /\[saw 2 image\(s\): /);
  for (const image of [PNG_URL, PNG_BYTES]) {
    const { body } = await call(emu, VISION, { prompt: "describe", image });
    assert.equal(
      body.result.response,
      `Hello from ${VISION}! You said: describe [saw 1 image(s): image/png ${PNG_BYTES.length} bytes]`,
    );
  }
});

Deno.test("images: refused forms", async () => {
  await using emu = await startEmulator();
  const withUrl = (url: string) => [
    user([{ type: "text", text: "x" }, { type: "image_url", image_url: { url } }]),
  ];
  for (
    const url of [
      "https://example.com/cat.png",
      "data:image/png;base64,***",
      "data:text/plain;base64,aGk=",
    ]
  ) {
    const e = await errorOf(await run(emu, MISTRAL, { messages: withUrl(url) }));
    assert.equal(e.code, 5006, url);
    // Its published pattern (`^data:*`) refuses an https URL; the service refuses the rest.
    assert.match(
      e.message,
      /does not match pattern '\^data:\*'|image uri with data \(e\.g\. data:image\/jpeg;base64,\/9j\/\.\.\.\)/,
    );
  }
  // Llama 3.1 8B publishes string contents only.
  const published = JSON.parse(
    await Deno.readTextFile(
      new URL("../../src/definitions/published/llama-3.1-8b-instruct-fast.json", import.meta.url),
    ),
  );
  const chat = published.schema.input.oneOf.find((b: { properties: object }) =>
    "messages" in b.properties
  );
  assert.deepEqual(chat.properties.messages.items.properties.content.type, "string");
  const parts = await errorOf(await run(emu, LLAMA, { messages: withUrl(PNG_URL) }));
  assert.equal(parts.status, 400);
  assert.equal(parts.code, 5006);
  assert.match(parts.message, /Type mismatch of '\/messages\/0\/content', 'array' not in 'string'/);
  let e = await errorOf(await run(emu, LLAMA_33, { prompt: "x", image: PNG_BYTES }));
  assert.match(e.message, /Additional or unevaluated properties '\/image'/);
  e = await errorOf(await run(emu, VISION, { prompt: "x", image: [1, 256] }));
  assert.match(e.message, /Value 256 at '\/image\/1' is greater than maximum 255/);
  e = await errorOf(await run(emu, VISION, { prompt: "x", image: "https://example.com/a.png" }));
  assert.equal(e.code, 5006);
});
