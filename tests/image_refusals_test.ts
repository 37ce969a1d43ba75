// Image generation: every request a model cannot take is refused with
// INVALID_ARGUMENT, naming the model, before any request is sent.
import assert from "node:assert/strict";
import type { GenerateOptions } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { encodePng } from "../src/testing/png.ts";
import { type App, failure, modelRequests, setup } from "./_setup.ts";

const SCHNELL = "@cf/black-forest-labs/flux-1-schnell";
const FLUX2 = "@cf/black-forest-labs/flux-2-dev";
const KLEIN = "@cf/black-forest-labs/flux-2-klein-4b";
const SDXL = "@cf/stabilityai/stable-diffusion-xl-base-1.0";
const IMG2IMG = "@cf/runwayml/stable-diffusion-v1-5-img2img";
const INPAINT = "@cf/runwayml/stable-diffusion-v1-5-inpainting";
const PHOENIX = "@cf/leonardo/phoenix-1.0";

const PNG = encodePng({ width: 2, height: 2, row: (_, rgb) => rgb.fill(128) });
const image = { media: { url: `data:image/png;base64,${btoa(String.fromCharCode(...PNG))}` } };
const mask = { ...image, metadata: { type: "mask" } };

/** Runs a generate that must be refused before any request, and returns the error. */
async function refused(app: App, model: string, options: Omit<GenerateOptions, "model">) {
  app.emu.reset();
  const e = await failure(() =>
    app.ai.generate({ model: cloudflareAI.model(model), ...options } as GenerateOptions)
  );
  assert.equal(e.status, "INVALID_ARGUMENT", `${model}: ${e.message}`);
  assert.ok(e.message.includes(model), `names the model: ${e.message}`);
  assert.equal(modelRequests(app.emu).length, 0, `no request sent: ${e.message}`);
  return e;
}

Deno.test("flux-1-schnell's width and height are refused before sending (Cloudflare answers them with 5006)", async () => {
  await using app = await setup();
  const e = await refused(app, SCHNELL, { prompt: "x", config: { width: 512, height: 512 } });
  assert.match(e.message, /config\.width is not supported/);
  assert.match(e.message, /5006/);
  // Its schema takes prompt and steps only: a seed is refused too.
  await refused(app, SCHNELL, { prompt: "x", config: { seed: 7 } });
});

Deno.test("FLUX.2 klein's steps are fixed at 4: config.steps is refused", async () => {
  await using app = await setup();
  const e = await refused(app, KLEIN, { prompt: "x", config: { steps: 4 } });
  assert.match(e.message, /fixed at 4/);
});

Deno.test("each value is checked against the model's published range", async () => {
  await using app = await setup();
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [SCHNELL, { steps: 9 }, /config\.steps = 9 is not valid .* from 1 to 8/],
    [SDXL, { steps: 21 }, /from 1 to 20/],
    [SDXL, { width: 255 }, /config\.width = 255 .* from 256 to 2048/],
    [SDXL, { height: 512.5 }, /a whole number/],
    [FLUX2, { width: 1921 }, /from 256 to 1920/],
    [PHOENIX, { guidance: 1.5 }, /config\.guidance = 1\.5 .* from 2 to 10/],
    [PHOENIX, { steps: "20" }, /config\.steps = "20"/],
    [SDXL, { guidance: Number.NaN }, /config\.guidance/],
    [SDXL, { numberOfImages: 5 }, /config\.numberOfImages = 5 .* from 1 to 4/],
    [SDXL, { numberOfImages: 0 }, /from 1 to 4/],
    // Phoenix publishes seed minimum 0; SDXL's seed is any integer.
    [PHOENIX, { seed: -1 }, /config\.seed = -1 .* at least 0/],
    [SDXL, { seed: 1.5 }, /config\.seed = 1\.5 .* a whole number/],
    [SDXL, { seed: Number.MAX_SAFE_INTEGER, numberOfImages: 2 }, /image i is made with seed \+ i/],
    [SDXL, { negativePrompt: "" }, /non-empty string/],
  ];
  for (const [model, config, message] of cases) {
    const e = await refused(app, model, { prompt: "x", config });
    assert.match(e.message, message, JSON.stringify(config));
  }
});

Deno.test("a key the model does not take is refused, naming what to use", async () => {
  await using app = await setup();
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [FLUX2, { negativePrompt: "blur" }, /not supported .* it takes only width, height, steps/],
    [SCHNELL, { guidance: 3 }, /config\.guidance is not supported/],
    [SDXL, { num_steps: 10 }, /use config\.steps instead/],
    [SDXL, { negative_prompt: "x" }, /use config\.negativePrompt instead/],
    [SDXL, { prompt: "other" }, /sent as written/],
    [SDXL, { image_b64: "AAAA" }, /a media part in the prompt/],
    [SDXL, { mask: [1] }, /metadata: \{ type: "mask" \}/],
    [FLUX2, { input_image_0: "x" }, /media parts in the prompt/],
    [SDXL, { temperature: 0.5 }, /config\.temperature is not supported/],
    [SDXL, { apiKey: "secret" }, /traces/],
    [SDXL, { version: "1" }, /no versions/],
  ];
  for (const [model, config, message] of cases) {
    const e = await refused(app, model, { prompt: "x", config });
    assert.match(e.message, message, JSON.stringify(config));
  }
  // A string given as config arrives spread into numbered keys.
  const e = await refused(app, SDXL, { prompt: "x", config: "steps=4" as never });
  assert.match(e.message, /must be an object of named parameters/);
});

Deno.test("more input images than the model takes, or a mask for a model that does not inpaint, is refused", async () => {
  await using app = await setup();
  const text = { text: "x" };
  const cases: [string, unknown[], RegExp][] = [
    [SCHNELL, [text, image], /takes no input images; the prompt has 1/],
    [PHOENIX, [text, image], /takes no input images/],
    [SDXL, [text, image, image], /takes at most 1 input image; the prompt has 2/],
    [FLUX2, [text, image, image, image, image, image], /at most 4 input images; the prompt has 5/],
    [SDXL, [text, image, mask], /does not inpaint/],
    [IMG2IMG, [text, image, mask], /does not inpaint.*stable-diffusion-v1-5-inpainting/],
    [FLUX2, [text, image, mask], /does not inpaint/],
    [INPAINT, [text, image, mask, mask], /takes one mask; the prompt has 2/],
    [INPAINT, [text, mask], /needs the source image .* besides the mask/],
    [IMG2IMG, [text], /needs the source image/],
    [SDXL, [text, { media: { url: "data:audio/mpeg;base64,AAAA" } }], /takes images/],
  ];
  for (const [model, prompt, message] of cases) {
    const e = await refused(app, model, { prompt: prompt as never });
    assert.match(e.message, message, model);
  }
  // strength is image-to-image only.
  const e = await refused(app, SDXL, { prompt: "x", config: { strength: 0.5 } });
  assert.match(e.message, /applies to image-to-image only/);
});

Deno.test("an image model takes one user message of text: no history, system, tools, output format or empty prompt", async () => {
  await using app = await setup();
  await refused(app, SDXL, { prompt: " \n " });
  await refused(app, SDXL, { prompt: [image] as never, config: {} });
  await refused(app, SDXL, { system: "be brief", prompt: "x" });
  await refused(app, SDXL, {
    messages: [{ role: "user", content: [{ text: "a" }] }, {
      role: "model",
      content: [{ text: "b" }],
    }],
    prompt: "x",
  });
  const tool = app.ai.defineTool(
    { name: "t", description: "a tool" },
    () => Promise.resolve("ok"),
  );
  await refused(app, SDXL, { prompt: "x", tools: [tool] });
  const e = await refused(app, SDXL, { prompt: "x", output: { format: "json" } });
  assert.match(e.message, /cannot give output format "json" \(it gives media\)/);
  const long = await refused(app, SCHNELL, { prompt: "a".repeat(2049) });
  assert.match(long.message, /2049 characters long; the model takes at most 2048/);
});
