// Object detection: DETR through genkit(), over REST and a binding; the
// objects best first as a data part, a text part counting them.
import assert from "node:assert/strict";
import { cloudflareAI, type DetectedObject } from "../mod.ts";
import { startEmulator } from "../src/testing/mod.ts";
import { bindingApp, dataUrlOf, mediaHost, PNG_URL, pngHeader } from "./_tasks.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

const DETR = "@cf/facebook/detr-resnet-50";

/** The labels counted the way the answer's text says them. */
function counted(objects: DetectedObject[]): string {
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(o.label, (counts.get(o.label) ?? 0) + 1);
  return [...counts].map(([label, n]) => `${n} × ${label}`).join(", ");
}

Deno.test("DETR gets the raw image and answers objects best first, with boxes inside the image", async () => {
  await using app = await setup();
  const image = pngHeader(640, 480);
  const res = await app.ai.generate({
    model: cloudflareAI.model(DETR),
    prompt: [{ media: { url: dataUrlOf(image, "image/png") } }],
  });
  const objects = res.output as DetectedObject[];
  assert.ok(objects.length >= 1);
  for (let i = 1; i < objects.length; i++) assert.ok(objects[i - 1].score >= objects[i].score);
  for (const { box } of objects) {
    assert.ok(box.xmin >= 0 && box.xmin <= box.xmax && box.xmax <= 640, JSON.stringify(box));
    assert.ok(box.ymin >= 0 && box.ymin <= box.ymax && box.ymax <= 480, JSON.stringify(box));
  }
  assert.equal(res.text, counted(objects));
  const [sent] = modelRequests(app.emu);
  assert.equal(sent.contentType, "image/png");
  assert.equal(sent.bytes, image.length);
});

Deno.test("DETR sorts what the model answers in query order, and says so when it finds nothing", async () => {
  await using app = await setup();
  const answer = [
    { score: 0.61, label: "cup", box: { xmin: 1, ymin: 2, xmax: 3, ymax: 4 } },
    { score: 0.97, label: "cat", box: { xmin: 5, ymin: 6, xmax: 7, ymax: 8 } },
    { score: 0.88, label: "cup", box: { xmin: 9, ymin: 9, xmax: 10, ymax: 10 } },
  ];
  const envelope = (result: unknown) => ({
    body: JSON.stringify({ result, success: true, errors: [] }),
    contentType: "application/json",
  });
  app.emu.fault(envelope(answer));
  const res = await app.ai.generate({
    model: cloudflareAI.model(DETR),
    prompt: [{ media: { url: PNG_URL } }],
  });
  assert.deepEqual((res.output as DetectedObject[]).map((o) => o.score), [0.97, 0.88, 0.61]);
  assert.equal(res.text, "1 × cat, 2 × cup");

  app.emu.fault(envelope([]));
  const none = await app.ai.generate({
    model: cloudflareAI.model(DETR),
    prompt: [{ media: { url: PNG_URL } }],
  });
  assert.deepEqual(none.output, []);
  assert.equal(none.text, "no objects");

  app.emu.fault(envelope([{ score: 0.5, label: "cat" }]));
  const e = await failure(() =>
    app.ai.generate({ model: cloudflareAI.model(DETR), prompt: [{ media: { url: PNG_URL } }] })
  );
  assert.equal(e.status, "INTERNAL");
  assert.match(e.message, /detr-resnet-50 .*without label, score and box/);
});

Deno.test("DETR over a binding takes { image: number[] } and resolves to the bare array", async () => {
  await using emu = await startEmulator();
  const { ai, calls } = bindingApp(emu);
  const image = pngHeader(320, 200);
  const res = await ai.generate({
    model: cloudflareAI.model(DETR),
    prompt: [{ media: { url: dataUrlOf(image, "image/png") } }],
  });
  assert.ok((res.output as DetectedObject[]).length >= 1);
  assert.deepEqual(calls[0].inputs, { image: [...image] });
});

Deno.test("a detection request the model cannot take is refused before any request, naming the model", async () => {
  const host = mediaHost({ "page.html": [new TextEncoder().encode("<html>"), "text/html"] });
  await using app = await setup({ fetch: host.fetch });
  const image = { media: { url: PNG_URL } };
  const cases: [unknown, RegExp][] = [
    [{ prompt: [image, image] }, /takes one image; the prompt has 2 media parts/],
    [{ prompt: "Find the cats" }, /takes one image; the prompt has 0 media parts/],
    [{ prompt: [{ text: "Find the cats" }, image] }, /takes one image, and no text/],
    [{ prompt: [image], config: { threshold: 0.5 } }, /config\.threshold is not supported/],
    [
      { prompt: [{ media: { url: "data:image/png;base64,%%%" } }] },
      /not valid base64/,
    ],
  ];
  for (const [request, message] of cases) {
    const e = await failure(() =>
      app.ai.generate({ model: cloudflareAI.model(DETR), ...(request as object) } as never)
    );
    assert.equal(e.status, "INVALID_ARGUMENT", String(message));
    assert.match(e.message, message);
    assert.match(e.message, /detr-resnet-50/);
  }
  // A remote "image" that is a web page is refused after the download, still before any request.
  const page = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model(DETR),
      prompt: [{ media: { url: "https://media.example/page.html" } }],
    })
  );
  assert.equal(page.status, "INVALID_ARGUMENT");
  assert.deepEqual(host.asked, ["/page.html"]);
  assert.equal(modelRequests(app.emu).length, 0);
});
