// Classification: a sentence (DistilBERT) and an image (ResNet-50) through
// genkit(), over REST and a binding; labels best first as a data part.
import assert from "node:assert/strict";
import { z } from "genkit";
import { type Classification, cloudflareAI } from "../mod.ts";
import { startEmulator } from "../src/testing/mod.ts";
import { bindingApp, dataUrlOf, mediaHost, PNG_BYTES, PNG_URL, pngHeader, wav } from "./_tasks.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

const SST = "@cf/huggingface/distilbert-sst-2-int8";
const RESNET = "@cf/microsoft/resnet-50";

Deno.test("DistilBERT classifies the prompt's text: labels best first as output, the top label as text", async () => {
  await using app = await setup();
  const happy = await app.ai.generate({
    model: cloudflareAI.model(SST),
    prompt: "I love it, great!",
  });
  const labels = happy.output as Classification[];
  // The model answers NEGATIVE before POSITIVE whatever the scores: the plugin sorts them.
  assert.deepEqual(labels.map((l) => l.label), ["POSITIVE", "NEGATIVE"]);
  assert.ok(labels[0].score > labels[1].score);
  assert.equal(happy.text, "POSITIVE");
  const sad = await app.ai.generate({
    model: cloudflareAI.model(SST),
    prompt: "Awful, I hate it.",
  });
  assert.equal(sad.text, "NEGATIVE");
  assert.equal((sad.output as Classification[])[0].label, "NEGATIVE");
  assert.deepEqual(modelRequests(app.emu)[0].body, { text: "I love it, great!" });
});

Deno.test("ResNet-50 gets the image as its raw bytes with their type, and answers labels best first", async () => {
  await using app = await setup();
  const res = await app.ai.generate({
    model: cloudflareAI.model(RESNET),
    prompt: [{ media: { url: PNG_URL, contentType: "image/png" } }],
  });
  const labels = res.output as Classification[];
  assert.equal(labels.length, 5);
  for (let i = 1; i < labels.length; i++) assert.ok(labels[i - 1].score >= labels[i].score);
  assert.equal(res.text, labels[0].label);
  const [sent] = modelRequests(app.emu);
  assert.equal(sent.contentType, "image/png");
  assert.equal(sent.bytes, PNG_BYTES.length, "the image itself, not a JSON array of its bytes");
});

Deno.test("a remote image is fetched through the hardened downloader; a private host is refused before any request", async () => {
  const host = mediaHost({ "photo.png": [pngHeader(64, 48), "image/png"] });
  await using app = await setup({ fetch: host.fetch });
  const res = await app.ai.generate({
    model: cloudflareAI.model(RESNET),
    prompt: [{ media: { url: "https://media.example/photo.png" } }],
  });
  assert.equal((res.output as Classification[]).length, 5);
  assert.deepEqual(host.asked, ["/photo.png"]);
  assert.equal(modelRequests(app.emu)[0].bytes, 33);

  app.emu.reset();
  const e = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model(RESNET),
      prompt: [{ media: { url: "http://127.0.0.1:9/cat.png" } }],
    })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /resnet-50/);
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("classification over a binding: { text } or { image: number[] } in, the bare array it resolves to out", async () => {
  await using emu = await startEmulator();
  const { ai, calls } = bindingApp(emu);
  const text = await ai.generate({ model: cloudflareAI.model(SST), prompt: "What a great day" });
  assert.equal(text.text, "POSITIVE");
  assert.deepEqual(calls[0].inputs, { text: "What a great day" });
  const image = await ai.generate({
    model: cloudflareAI.model(RESNET),
    prompt: [{ media: { url: PNG_URL } }],
  });
  assert.equal((image.output as Classification[]).length, 5);
  assert.deepEqual(calls[1].inputs, { image: [...PNG_BYTES] });
});

Deno.test("a classification request the model cannot take is refused before any request, naming the model", async () => {
  await using app = await setup();
  const tool = app.ai.defineTool(
    { name: "noop", description: "does nothing", inputSchema: z.object({}) },
    () => Promise.resolve("ok"),
  );
  const image = { media: { url: PNG_URL } };
  const cases: [string, unknown, RegExp][] = [
    [SST, { prompt: [{ text: "Nice" }, image] }, /takes text to classify, and no media/],
    [RESNET, { prompt: "A cat" }, /takes one image; the prompt has 0 media parts/],
    [RESNET, { prompt: [{ text: "What is it?" }, image] }, /takes one image, and no text/],
    [RESNET, { prompt: [image, image] }, /the prompt has 2 media parts/],
    [
      RESNET,
      { prompt: [{ media: { url: dataUrlOf(wav(0.1, 0), "audio/wav") } }] },
      /takes one image; the media part is audio\/wav/,
    ],
    [SST, { prompt: "Nice", config: { topK: 3 } }, /config\.topK is not supported .*no config/],
    [SST, { prompt: "Nice", tools: [tool] }, /takes no tools/],
    [
      SST,
      { prompt: "Nice", output: { schema: z.object({ mood: z.string() }) } },
      /fixed shape and cannot follow an output schema/,
    ],
    [SST, { prompt: "Nice", docs: [{ content: [{ text: "context" }] }] }, /takes no documents/],
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

Deno.test("a classifier the catalog does not know classifies what the prompt holds: an image, or else text", async () => {
  const id = "@cf/acme/classify-x";
  await using app = await setup({ tasks: { [id]: "Image Classification" }, maxRetries: 0 });
  await failure(() =>
    app.ai.generate({ model: `cloudflare-ai/${id}`, prompt: [{ media: { url: PNG_URL } }] })
  );
  await failure(() => app.ai.generate({ model: `cloudflare-ai/${id}`, prompt: "Lovely" }));
  const [image, text] = modelRequests(app.emu);
  assert.equal(image.contentType, "image/png");
  assert.deepEqual(text.body, { text: "Lovely" });
});

Deno.test("an answer that is not an array of labels is INTERNAL, naming the model", async () => {
  await using app = await setup();
  app.emu.fault({
    body: JSON.stringify({ result: { label: "POSITIVE" }, success: true, errors: [] }),
    contentType: "application/json",
  });
  const e = await failure(() => app.ai.generate({ model: cloudflareAI.model(SST), prompt: "Hi" }));
  assert.equal(e.status, "INTERNAL");
  assert.match(e.message, /distilbert-sst-2-int8 .*an array of labels/);
});
