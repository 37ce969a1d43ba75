// Image-to-text: LLaVA and Moondream through genkit(), over REST and a binding.
import assert from "node:assert/strict";
import { cloudflareAI, type LocatedObject, type LocatedPoint } from "../mod.ts";
import { startEmulator } from "../src/testing/mod.ts";
import { bindingApp, dataUrlOf, mediaHost, PNG_BYTES, PNG_URL, pngHeader, wav } from "./_tasks.ts";
import { failure, modelRequests, setup } from "./_setup.ts";
import { publishedFile } from "./_published.ts";

const LLAVA = "@cf/llava-hf/llava-1.5-7b-hf";
const MOONDREAM = "@cf/moondream/moondream3.1-9B-A2B";

Deno.test("LLaVA gets the image, the question and the sampling config under their wire names", async () => {
  await using app = await setup();
  const image = pngHeader(800, 600);
  const { text } = await app.ai.generate({
    model: cloudflareAI.model(LLAVA, { maxOutputTokens: 64, temperature: 0.2, topP: 0.9 }),
    prompt: [{ text: "What is in the picture?" }, {
      media: { url: dataUrlOf(image, "image/png") },
    }],
    config: { topK: 20, seed: 7, repetitionPenalty: 1.1 },
  });
  assert.match(text, /^You asked: What is in the picture\? A 800x600 PNG picture/);
  const [sent] = modelRequests(app.emu);
  assert.deepEqual(sent.body, {
    image: [...image],
    prompt: "What is in the picture?",
    max_tokens: 64,
    temperature: 0.2,
    top_p: 0.9,
    top_k: 20,
    seed: 7,
    repetition_penalty: 1.1,
  });
});

Deno.test("LLaVA with only an image gets the raw image, its most compact input", async () => {
  await using app = await setup();
  const { text } = await app.ai.generate({
    model: cloudflareAI.model(LLAVA),
    prompt: [{ media: { url: PNG_URL } }],
  });
  assert.equal(text, "A 1x1 PNG picture, mostly red.");
  const [sent] = modelRequests(app.emu);
  assert.equal(sent.contentType, "image/png");
  assert.equal(sent.bytes, PNG_BYTES.length);
});

Deno.test("Moondream answers a question (query) with its reasoning, token counts and whole result", async () => {
  await using app = await setup();
  const res = await app.ai.generate({
    model: cloudflareAI.model(MOONDREAM, { temperature: 0.1, maxOutputTokens: 200 }),
    prompt: [{ text: "What colour is it?" }, { media: { url: PNG_URL } }],
  });
  assert.equal(res.text, "A 1x1 PNG picture, mostly red. That answers: What colour is it?");
  assert.equal(res.reasoning, 'Looking at the image to answer "What colour is it?".');
  // The emulator counts the answer's words as its output tokens.
  assert.equal(res.usage.outputTokens, 12);
  assert.equal(res.usage.totalTokens, res.usage.inputTokens! + 12);
  assert.equal(res.finishReason, "stop");
  assert.equal((res.custom as { metrics: { output_tokens: number } }).metrics.output_tokens, 12);
  const [sent] = modelRequests(app.emu);
  assert.deepEqual(sent.body, {
    task: "query",
    image: PNG_URL,
    question: "What colour is it?",
    temperature: 0.1,
    max_tokens: 200,
    stream: false,
  });
});

Deno.test("Moondream captions an image without a question, at the length asked; a cut answer finishes with length", async () => {
  await using app = await setup();
  const long = await app.ai.generate({
    model: cloudflareAI.model(MOONDREAM, { captionLength: "long" }),
    prompt: [{ media: { url: PNG_URL } }],
  });
  assert.equal(
    long.text,
    "A 1x1 PNG picture, mostly red. It is an emulated caption. Nothing else is in view.",
  );
  assert.equal(long.reasoning, "");
  assert.deepEqual(modelRequests(app.emu)[0].body, {
    task: "caption",
    image: PNG_URL,
    caption_length: "long",
    stream: false,
  });
  const cut = await app.ai.generate({
    model: cloudflareAI.model(MOONDREAM, { maxOutputTokens: 3 }),
    prompt: [{ media: { url: PNG_URL } }],
  });
  assert.equal(cut.text, "A 1x1 PNG");
  assert.equal(cut.finishReason, "length");
});

Deno.test("Moondream's detect task: the prompt's text is its target, the boxes a data part", async () => {
  await using app = await setup();
  const res = await app.ai.generate({
    model: cloudflareAI.model(MOONDREAM, { task: "detect", maxObjects: 2 }),
    prompt: [{ text: "cat" }, { media: { url: PNG_URL } }],
  });
  assert.deepEqual(modelRequests(app.emu)[0].body, {
    task: "detect",
    image: PNG_URL,
    target: "cat",
    max_objects: 2,
    stream: false,
  });
  const found = res.output as LocatedObject[];
  const objects = (res.custom as { objects: Record<string, number>[] }).objects;
  assert.ok(found.length >= 1 && found.length <= 2);
  assert.deepEqual(
    found,
    objects.map((o) => ({
      label: "cat",
      box: { xmin: o.x_min, ymin: o.y_min, xmax: o.x_max, ymax: o.y_max },
    })),
  );
  assert.equal(res.text, `${found.length} × cat`);
});

Deno.test("Moondream's point task: points as a data part; without text, its published default target", async () => {
  await using app = await setup();
  const res = await app.ai.generate({
    model: cloudflareAI.model(MOONDREAM),
    prompt: [{ media: { url: PNG_URL } }],
    config: { task: "point" },
    output: { format: "json" },
  });
  const sent = modelRequests(app.emu)[0].body as Record<string, unknown>;
  assert.deepEqual(sent, { task: "point", image: PNG_URL, stream: false });
  const target = publishedFile(MOONDREAM).schema!.input.properties as Record<
    string,
    { default?: unknown }
  >;
  const points = res.output as LocatedPoint[];
  const raw = (res.custom as { points: { x: number; y: number }[] }).points;
  assert.ok(points.length >= 1);
  assert.deepEqual(points, raw.map(({ x, y }) => ({ label: target.target.default, x, y })));
  assert.equal(res.text, `${points.length} × ${target.target.default}`);
});

Deno.test("a remote image is downloaded and sent to Moondream as a data URI, not as its URL", async () => {
  const host = mediaHost({ "dog.png": [PNG_BYTES, "image/png"] });
  await using app = await setup({ fetch: host.fetch });
  await app.ai.generate({
    model: cloudflareAI.model(MOONDREAM),
    prompt: [{ text: "Is it a dog?" }, { media: { url: "https://media.example/dog.png" } }],
  });
  assert.deepEqual(host.asked, ["/dog.png"]);
  assert.equal((modelRequests(app.emu)[0].body as { image: string }).image, PNG_URL);
});

Deno.test("image-to-text over a binding takes the same JSON (LLaVA's image as number[])", async () => {
  await using emu = await startEmulator();
  const { ai, calls } = bindingApp(emu);
  const llava = await ai.generate({
    model: cloudflareAI.model(LLAVA),
    prompt: [{ media: { url: PNG_URL } }],
  });
  assert.equal(llava.text, "A 1x1 PNG picture, mostly red.");
  assert.deepEqual(calls[0].inputs, { image: [...PNG_BYTES] });
  const moondream = await ai.generate({
    model: cloudflareAI.model(MOONDREAM),
    prompt: [{ text: "Colour?" }, { media: { url: PNG_URL } }],
  });
  assert.match(moondream.text, /That answers: Colour\?$/);
  assert.equal((calls[1].inputs as { stream: boolean }).stream, false);
});

Deno.test("an image-to-text request or config the model cannot take is refused before any request", async () => {
  await using app = await setup();
  const image = { media: { url: PNG_URL } };
  const question = { text: "What is it?" };
  const cases: [string, unknown, RegExp][] = [
    [
      LLAVA,
      { prompt: "Describe a cat" },
      /takes one image and, optionally, a question about it; the prompt has 0/,
    ],
    [LLAVA, { prompt: [image, image] }, /the prompt has 2 media parts/],
    [
      LLAVA,
      { prompt: [{ media: { url: dataUrlOf(wav(0.1, 0), "audio/wav") } }] },
      /the media part is audio\/wav/,
    ],
    // LLaVA's published fields have types and no ranges (max_tokens an integer, the rest numbers).
    [LLAVA, { prompt: [image], config: { topP: "high" } }, /topP = "high" .*a number/],
    [
      LLAVA,
      { prompt: [image], config: { maxOutputTokens: 1.5 } },
      /maxOutputTokens = 1\.5 .*whole number/,
    ],
    [
      LLAVA,
      { prompt: [image], config: { captionLength: "short" } },
      /captionLength is not supported .*captionLength is taken by @cf\/moondream/,
    ],
    [LLAVA, { prompt: [image], config: { max_tokens: 10 } }, /max_tokens is not supported/],
    [MOONDREAM, { prompt: [image], config: { temperature: 3 } }, /temperature = 3 .*from 0 to 2/],
    [MOONDREAM, { prompt: [image], config: { maxOutputTokens: 28673 } }, /from 1 to 28672/],
    [MOONDREAM, { prompt: [image], config: { maxObjects: 501 } }, /from 1 to 500/],
    [MOONDREAM, { prompt: [image], config: { task: "segment" } }, /task = "segment" .*"detect"/],
    [
      MOONDREAM,
      { prompt: [image], config: { topK: 5 } },
      /topK is not supported .*taken by @cf\/llava/,
    ],
    [
      MOONDREAM,
      { prompt: [question, image], config: { captionLength: "short" } },
      /captionLength applies to .*caption task, and this request is a query/,
    ],
    [
      MOONDREAM,
      { prompt: [image], config: { reasoning: false } },
      /reasoning applies to .*query task, and this request is a caption/,
    ],
    [
      MOONDREAM,
      { prompt: [question, image], config: { maxObjects: 3 } },
      /maxObjects applies to .*point and detect tasks/,
    ],
    [
      MOONDREAM,
      { prompt: [question, image], config: { task: "caption" } },
      /writes a caption from the image alone: remove the text/,
    ],
    [
      MOONDREAM,
      { prompt: [question, image], output: { format: "json" } },
      /answers its query task with text/,
    ],
  ];
  for (const [id, request, message] of cases) {
    const e = await failure(() =>
      app.ai.generate({ model: cloudflareAI.model(id), ...(request as object) } as never)
    );
    assert.equal(e.status, "INVALID_ARGUMENT", String(message));
    assert.match(e.message, message);
    assert.ok(e.message.includes(id), `names ${id}: ${e.message}`);
  }
  assert.equal(modelRequests(app.emu).length, 0);
});
