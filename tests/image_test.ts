// Image generation end to end: a real genkit() against the emulator over REST.
import assert from "node:assert/strict";
import { genkit } from "genkit";
import { cloudflareAI, type ImageModelId } from "../mod.ts";
import { IMAGE_MODELS } from "../src/models.ts";
import { type Fault, startEmulator } from "../src/testing/mod.ts";
import {
  dataUrlOf,
  decode,
  expectedType,
  FLUX2,
  IMG2IMG,
  INPAINT,
  LUCID,
  madeFrom,
  PHOENIX,
  png,
  prompt,
  SCHNELL,
  SDXL,
  SOURCE,
  toBase64,
} from "./_image.ts";
import { type App, eventually, failure, modelRequests, ownProperties, setup } from "./_setup.ts";

Deno.test("every catalog model generates an image through genkit(): one media part, a data URL typed from the answer", async () => {
  await using app = await setup();
  for (const spec of IMAGE_MODELS) {
    app.emu.reset();
    const res = await app.ai.generate({ model: cloudflareAI.model(spec.id), prompt: prompt(spec) });
    const media = res.media!;
    assert.equal(media.contentType, expectedType(spec.id), spec.id);
    const { type, bytes } = decode(media.url);
    assert.equal(type, expectedType(spec.id), spec.id);
    assert.match(madeFrom(bytes), new RegExp(`model=${spec.id} `), spec.id);
    assert.equal(res.finishReason, "stop");
    assert.equal(res.message!.content.length, 1);
    assert.deepEqual(res.usage, { inputImages: spec.needsImage ? 1 : 0, outputImages: 1 });
    const [sent] = modelRequests(app.emu);
    if (spec.request === "multipart") {
      assert.equal(sent.contentType, "multipart/form-data", spec.id);
      assert.deepEqual(sent.form, { prompt: "a cyberpunk lizard" }, spec.id);
    } else {
      const source = spec.needsImage ? { image_b64: toBase64(SOURCE) } : {};
      assert.deepEqual(sent.body, { prompt: "a cyberpunk lizard", ...source }, spec.id);
    }
  }
});

Deno.test("the action declares media output, single turn, and input images where the model takes them", async () => {
  await using app = await setup();
  for (const spec of IMAGE_MODELS) {
    const action = await app.ai.registry.lookupAction(`/model/cloudflare-ai/${spec.id}`);
    const supports = (action.__action.metadata!.model as { supports: Record<string, unknown> })
      .supports;
    assert.deepEqual(supports, {
      media: spec.maxImages > 0,
      output: ["media"],
      multiturn: false,
      tools: false,
      systemRole: false,
    }, spec.id);
  }
});

Deno.test("each model's config schema (the Developer UI's form) has only the keys it takes, with its ranges", async () => {
  await using app = await setup();
  const schemaOf = async (id: string) => {
    const action = await app.ai.registry.lookupAction(`/model/cloudflare-ai/${id}`);
    const model = action.__action.metadata!.model as { customOptions: unknown };
    const schema = model.customOptions as {
      properties: Record<string, { minimum?: number; maximum?: number }>;
      additionalProperties?: boolean;
    };
    // The request config every model takes is checked in tests/request_options_test.ts.
    return { ...schema, properties: ownProperties(schema.properties) };
  };
  // Expected ranges are the published definitions' (read here), except the minimum of 1 step,
  // the catalog's one deliberate narrowing where schnell publishes only a maximum.
  const published = async (name: string) =>
    JSON.parse(
      await Deno.readTextFile(
        new URL(`../src/definitions/published/${name}.json`, import.meta.url),
      ),
    ).schema.input.properties;
  const schnellJson = await published("flux-1-schnell");
  const schnell = await schemaOf(SCHNELL);
  assert.deepEqual(Object.keys(schnell.properties), ["steps", "numberOfImages"]);
  assert.deepEqual(
    [schnell.properties.steps.minimum, schnell.properties.steps.maximum],
    [1, schnellJson.steps.maximum],
  );
  assert.equal(schnell.additionalProperties, false);
  const klein = await schemaOf("@cf/black-forest-labs/flux-2-klein-4b");
  assert.deepEqual(Object.keys(klein.properties), [
    "width",
    "height",
    "guidance",
    "seed",
    "numberOfImages",
  ]);
  const sdxl = await schemaOf(SDXL);
  assert.deepEqual(Object.keys(sdxl.properties), [
    "width",
    "height",
    "steps",
    "guidance",
    "seed",
    "strength",
    "negativePrompt",
    "numberOfImages",
  ]);
  const sdxlJson = await published("stable-diffusion-xl-base-1.0");
  assert.equal(sdxl.properties.width.maximum, sdxlJson.width.maximum);
  assert.equal(sdxl.properties.width.minimum, sdxlJson.width.minimum);
  assert.equal(sdxl.properties.steps.maximum, sdxlJson.num_steps.maximum);
  assert.equal(sdxl.properties.guidance.maximum, undefined, "no guidance range is published");
  const phoenixJson = await published("phoenix-1.0");
  const phoenix = await schemaOf(PHOENIX);
  assert.equal(phoenix.properties.guidance.minimum, phoenixJson.guidance.minimum);
  assert.equal(phoenix.properties.steps.maximum, phoenixJson.num_steps.maximum);
  assert.equal(phoenix.properties.strength, undefined, "no source image, no strength");
});

Deno.test("config keys go under each model's own wire names, numbers as form fields for FLUX.2", async () => {
  await using app = await setup();
  const config = { width: 512, height: 384, steps: 12, guidance: 6.5, seed: 42 };
  await app.ai.generate({
    model: cloudflareAI.model(SDXL),
    prompt: "a fox",
    config: { ...config, negativePrompt: "blurry" },
  });
  await app.ai.generate({ model: cloudflareAI.model(FLUX2), prompt: "a fox", config });
  await app.ai.generate({
    model: cloudflareAI.model(SCHNELL),
    prompt: "a fox",
    config: { steps: 6 },
  });
  await app.ai.generate({
    model: cloudflareAI.model(PHOENIX),
    prompt: "a fox",
    config: { steps: 30, guidance: 3, negativePrompt: "text" },
  });
  await app.ai.generate({
    model: cloudflareAI.model(LUCID),
    prompt: "a fox",
    config: { steps: 20 },
  });
  const [sdxl, flux2, schnell, phoenix, lucid] = modelRequests(app.emu);
  assert.deepEqual(sdxl.body, {
    prompt: "a fox",
    negative_prompt: "blurry",
    width: 512,
    height: 384,
    num_steps: 12,
    guidance: 6.5,
    seed: 42,
  });
  assert.deepEqual(flux2.form, {
    prompt: "a fox",
    width: "512",
    height: "384",
    steps: "12",
    guidance: "6.5",
    seed: "42",
  });
  assert.deepEqual(schnell.body, { prompt: "a fox", steps: 6 });
  assert.deepEqual(phoenix.body, {
    prompt: "a fox",
    negative_prompt: "text",
    num_steps: 30,
    guidance: 3,
  });
  assert.deepEqual(lucid.body, { prompt: "a fox", steps: 20 });
});

Deno.test("the prompt's text is sent exactly as written", async () => {
  await using app = await setup();
  const prompt = "  a lighthouse,\n\tat dusk — 灯台 🌅  ";
  await app.ai.generate({ model: cloudflareAI.model(SDXL), prompt });
  await app.ai.generate({ model: cloudflareAI.model(FLUX2), prompt });
  const [json, form] = modelRequests(app.emu);
  assert.equal((json.body as { prompt: string }).prompt, prompt);
  // multipart/form-data encoding (the HTML standard's, in every runtime and in
  // Workers) writes each line break of a field as CRLF; nothing else changes.
  assert.equal(form.form?.prompt, prompt.replaceAll("\n", "\r\n"));
});

Deno.test("numberOfImages sends that many requests in parallel, image i with seed + i, one media part each", async () => {
  await using app = await setup({}, { serviceTimeMs: 40 });
  const res = await app.ai.generate({
    model: cloudflareAI.model(SDXL),
    prompt: "three cats",
    config: { numberOfImages: 3, seed: 10 },
  });
  const parts = res.message!.content;
  assert.equal(parts.length, 3);
  const seeds = modelRequests(app.emu).map((r) => (r.body as { seed: number }).seed).sort();
  assert.deepEqual(seeds, [10, 11, 12]);
  assert.equal(app.emu.maxInFlight, 3, "all three in flight at once");
  const made = parts.map((p) => madeFrom(decode(p.media!.url).bytes));
  assert.deepEqual(made.map((m) => /seed=(\d+)/.exec(m)?.[1]), ["10", "11", "12"]);
  assert.equal(new Set(parts.map((p) => p.media!.url)).size, 3, "three different images");
  assert.deepEqual(res.usage, { inputImages: 0, outputImages: 3 });
});

Deno.test("with numberOfImages, the first request that fails fails the call and stops the others", async () => {
  // The other requests would take ten seconds: they must be cancelled, not waited for.
  const slow = (r: { body: unknown }) => (r.body as { seed?: number })?.seed === 10 ? 0 : 10_000;
  const seen: { emu?: App["emu"] } = {};
  const refuseSeed10: typeof fetch = async (input, init) => {
    if (JSON.parse(String(init?.body ?? "{}")).seed !== 10) return await fetch(input, init);
    // Refused once the two others are being answered.
    await eventually(() => seen.emu?.inFlight === 2, 8000);
    const envelope = { success: false, errors: [{ code: 5006, message: "AiError: Bad input" }] };
    return Response.json(envelope, { status: 400 });
  };
  await using app = await setup({ fetch: refuseSeed10 }, { serviceTimeMs: slow });
  seen.emu = app.emu;
  const e = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model(SDXL),
      prompt: "three cats",
      config: { numberOfImages: 3, seed: 10 },
    })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /Cloudflare error 5006/);
  const seeds = app.emu.requests.map((r) => (r.body as { seed: number }).seed).sort();
  assert.deepEqual(seeds, [11, 12]);
  await eventually(() => app.emu.requests.every((r) => r.aborted) && app.emu.inFlight === 0);
});

Deno.test("image-to-image: the first media part is the source image, sent as image_b64, and the answer depends on it", async () => {
  await using app = await setup();
  const red = png(255, 0, 0);
  const blue = png(0, 0, 255);
  const edit = (source: Uint8Array) =>
    app.ai.generate({
      model: cloudflareAI.model(IMG2IMG),
      prompt: [{ text: "make it a painting" }, { media: { url: dataUrlOf(source) } }],
      config: { strength: 0.6, seed: 1 },
    });
  const fromRed = await edit(red);
  const fromBlue = await edit(blue);
  const again = await edit(red);
  const [sent] = modelRequests(app.emu);
  assert.deepEqual(sent.body, {
    prompt: "make it a painting",
    strength: 0.6,
    seed: 1,
    image_b64: toBase64(red),
  });
  assert.notEqual(fromRed.media!.url, fromBlue.media!.url, "a different source, a different image");
  assert.equal(fromRed.media!.url, again.media!.url, "the same source, the same image");
  assert.match(madeFrom(decode(fromRed.media!.url).bytes), /inputs=image_b64:[0-9a-f]{8}/);
  assert.deepEqual(fromRed.usage, { inputImages: 1, outputImages: 1 });
});

Deno.test('inpainting: the media part with metadata { type: "mask" } is sent as mask, the mask image\'s bytes', async () => {
  await using app = await setup();
  const source = png(200, 200, 200);
  const mask = png(255, 255, 255);
  const res = await app.ai.generate({
    model: cloudflareAI.model(INPAINT),
    prompt: [
      { media: { url: dataUrlOf(mask) }, metadata: { type: "mask" } },
      { text: "a red door" },
      { media: { url: dataUrlOf(source), contentType: "image/png" } },
    ],
  });
  const body = modelRequests(app.emu)[0].body as Record<string, unknown>;
  assert.equal(body.image_b64, toBase64(source));
  assert.deepEqual(body.mask, Array.from(mask));
  assert.equal(body.prompt, "a red door");
  assert.match(madeFrom(decode(res.media!.url).bytes), /inputs=image_b64:\w+,mask:\w+/);
  assert.deepEqual(res.usage, { inputImages: 2, outputImages: 1 });
});

Deno.test("FLUX.2 takes reference images as input_image_0, input_image_1, … in order, in a multipart form", async () => {
  await using app = await setup();
  const first = png(10, 20, 30, 8);
  const second = png(40, 50, 60, 16);
  const res = await app.ai.generate({
    model: cloudflareAI.model("@cf/black-forest-labs/flux-2-klein-9b"),
    prompt: [
      { text: "take the subject of image 1 and style it like image 0" },
      { media: { url: dataUrlOf(first) } },
      { media: { url: dataUrlOf(second) } },
    ],
    config: { width: 512, height: 256 },
  });
  const [sent] = modelRequests(app.emu);
  assert.match(sent.headers["content-type"], /^multipart\/form-data; boundary=/);
  const file = (f: unknown) => ({ ...(f as object) });
  assert.deepEqual(file(sent.form?.input_image_0), {
    type: "image/png",
    size: first.length,
    name: "input_image_0.png",
  });
  assert.deepEqual(file(sent.form?.input_image_1), {
    type: "image/png",
    size: second.length,
    name: "input_image_1.png",
  });
  assert.equal(sent.form?.width, "512");
  assert.match(madeFrom(decode(res.media!.url).bytes), /inputs=input_image_0:.+,input_image_1:/);
});

Deno.test("http(s) input images are fetched with the hardened downloader", async () => {
  const source = png(1, 2, 3);
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(source, { headers: { "content-type": "image/png" } }),
  );
  const url = `http://127.0.0.1:${server.addr.port}/source.png`;
  // Loopback is refused unless the app allows private hosts.
  await using closed = await setup();
  const refused = await failure(() =>
    closed.ai.generate({
      model: cloudflareAI.model(IMG2IMG),
      prompt: [{ text: "x" }, { media: { url } }],
    })
  );
  assert.equal(refused.status, "INVALID_ARGUMENT");
  assert.equal(modelRequests(closed.emu).length, 0);
  await using app = await setup({ mediaDownloads: { allowPrivateHosts: true } });
  await app.ai.generate({
    model: cloudflareAI.model(IMG2IMG),
    prompt: [{ text: "x" }, { media: { url } }],
  });
  assert.equal(
    (modelRequests(app.emu)[0].body as { image_b64: string }).image_b64,
    toBase64(source),
  );
});

Deno.test("a content-filter refusal is an error naming the model and saying what to do", async () => {
  await using app = await setup();
  const e = await failure(() =>
    app.ai.generate({ model: cloudflareAI.model(SCHNELL), prompt: "something nsfw" })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /Cloudflare error 3030/);
  assert.match(e.message, new RegExp(`${SCHNELL}'s content filter refused the prompt`));
});

Deno.test("an empty image, or an answer without one, is an error naming the model, never an empty success", async () => {
  await using app = await setup({ maxRetries: 0 });
  const cases: [string, Fault, RegExp][] = [
    [SDXL, { body: new Uint8Array(0), contentType: "image/png" }, /with an empty image/],
    [
      SDXL,
      { body: new TextEncoder().encode("GIF? no"), contentType: "application/octet-stream" },
      /not a PNG, JPEG, GIF or WebP/,
    ],
    [SCHNELL, {
      body: '{"result":{"image":""},"success":true,"errors":[]}',
      contentType: "application/json",
    }, /with an empty image/],
    [SCHNELL, {
      body: '{"result":{"nsfw":true},"success":true,"errors":[]}',
      contentType: "application/json",
    }, /no image \(an answer with nsfw\)/],
    [LUCID, {
      body: `{"result":{"image":"${btoa("hello")}"},"success":true}`,
      contentType: "application/json",
    }, /base64 of 5 bytes that are not/],
  ];
  for (const [model, fault, message] of cases) {
    app.emu.fault({ ...fault, model });
    const e = await failure(() =>
      app.ai.generate({ model: cloudflareAI.model(model), prompt: "a cat" })
    );
    assert.equal(e.status, "INTERNAL", model);
    assert.match(e.message, new RegExp(model.replaceAll(".", "\\.")), model);
    assert.match(e.message, message, model);
  }
});

Deno.test("FLUX.2 through AI Gateway is sent anyway, and the gateway's 500/7000 is explained", async () => {
  await using emu = await startEmulator();
  const ai = genkit({
    promptDir: null,
    plugins: [cloudflareAI({
      accountId: emu.accountId,
      apiToken: emu.apiToken,
      gateway: { id: "gw", baseUrl: emu.gatewayUrl },
      retryDelayMs: 1,
    })],
  });
  // What the gateway answers a multipart body (cloudflare-docs issue #33336), on every retry.
  emu.fault({ model: FLUX2, status: 500, code: 7000, message: "Internal server error", times: 3 });
  const e = await failure(() => ai.generate({ model: cloudflareAI.model(FLUX2), prompt: "a dog" }));
  assert.match(e.message, /Cloudflare error 7000/);
  assert.match(e.message, /FLUX\.2 through AI Gateway is a known Cloudflare limitation/);
  assert.match(e.message, /without the gateway/);
  const sent = modelRequests(emu);
  assert.equal(sent[0].route, "gateway");
  assert.equal(sent[0].contentType, "multipart/form-data");
  // Other models through the gateway are not affected.
  const ok = await ai.generate({ model: cloudflareAI.model(SCHNELL), prompt: "a dog" });
  assert.equal(ok.media!.contentType, "image/jpeg");
});

Deno.test("an unknown Text-to-Image id is served with conservative settings: a bare prompt, either answer form read", async () => {
  const id = "@cf/acme/paint-9";
  await using app = await setup({ tasks: { [id]: "Text-to-Image" } });
  const e = await failure(() =>
    app.ai.generate({ model: `cloudflare-ai/${id}`, prompt: "x", config: { width: 512 } })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /it takes only numberOfImages/);
  assert.equal(modelRequests(app.emu).length, 0);
  const jpeg = (await app.ai.generate({ model: cloudflareAI.model(SCHNELL), prompt: "x" })).media!;
  app.emu.reset();
  app.emu.fault({ model: id, body: png(1, 1, 1), contentType: "image/png" });
  const binary = await app.ai.generate({ model: `cloudflare-ai/${id}`, prompt: "a cat" });
  assert.equal(binary.media!.contentType, "image/png");
  assert.deepEqual(modelRequests(app.emu)[0].body, { prompt: "a cat" });
  const b64 = jpeg.url.slice(jpeg.url.indexOf(",") + 1);
  app.emu.fault({
    model: id,
    body: JSON.stringify({ result: { image: b64 }, success: true, errors: [] }),
    contentType: "application/json",
  });
  const json = await app.ai.generate({ model: `cloudflare-ai/${id}`, prompt: "a cat" });
  assert.equal(json.media!.contentType, "image/jpeg", "typed by its magic numbers");
});

// Compile-time: a missing or extra id here fails type-checking; at run time
// the same ids must be the catalog's.
const IMAGE_IDS: Record<ImageModelId, true> = {
  "@cf/black-forest-labs/flux-1-schnell": true,
  "@cf/black-forest-labs/flux-2-dev": true,
  "@cf/black-forest-labs/flux-2-klein-4b": true,
  "@cf/black-forest-labs/flux-2-klein-9b": true,
  "@cf/stabilityai/stable-diffusion-xl-base-1.0": true,
  "@cf/bytedance/stable-diffusion-xl-lightning": true,
  "@cf/runwayml/stable-diffusion-v1-5-img2img": true,
  "@cf/runwayml/stable-diffusion-v1-5-inpainting": true,
  "@cf/lykon/dreamshaper-8-lcm": true,
  "@cf/leonardo/lucid-origin": true,
  "@cf/leonardo/phoenix-1.0": true,
};

Deno.test("ImageModelId names exactly the image catalog, and references to them take the image config", () => {
  assert.deepEqual(Object.keys(IMAGE_IDS).sort(), IMAGE_MODELS.map((m) => m.id).sort());
  const ref = cloudflareAI.model(SCHNELL, { steps: 4, numberOfImages: 2 });
  // @ts-expect-error: temperature is a text option, not an image one
  cloudflareAI.model(SCHNELL, { temperature: 1 });
  assert.deepEqual(ref.config, { steps: 4, numberOfImages: 2 });
  assert.deepEqual(ref.info?.supports?.output, ["media"]);
});
