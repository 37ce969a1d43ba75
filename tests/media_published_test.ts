// The media families (image generation, text-to-speech, speech-to-text)
// judged by Cloudflare's published model definitions, read here from the
// snapshot's JSON files: every published media model is served; every
// documented parameter goes out under its published name at both ends of its
// published range (the emulator records it, and judges each request by the
// published schema); one step past either end is refused before any request.
import assert from "node:assert/strict";
import type { Part } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { base64 } from "../src/base64.ts";
import { mp3, tone, wav } from "../src/testing/audio.ts";
import { startEmulator } from "../src/testing/mod.ts";
import type { RecordedRequest } from "../src/testing/types.ts";
import { dataUrlOf, SOURCE } from "./_image.ts";
import { audioBinding } from "./_audio_binding.ts";
import { type App, failure, modelRequests, setup } from "./_setup.ts";

const MEDIA_TASKS = ["Text-to-Image", "Text-to-Speech", "Automatic Speech Recognition"];
const DIR = new URL("../src/definitions/published/", import.meta.url);
const NEMOTRON = "@cf/nvidia/nemotron-speech-streaming-en-0.6b";
const SAID = "Your order has shipped.";

interface Definition {
  id: string;
  task: string;
  properties: Record<string, unknown>;
  schema: { input: Record<string, unknown> };
}

interface Param {
  type: string;
  minimum?: number;
  maximum?: number;
  enum?: (string | number | boolean)[];
  default?: unknown;
}

/** Every published definition of a media task, by id. */
async function mediaDefinitions(): Promise<Definition[]> {
  const out: Definition[] = [];
  for await (const entry of Deno.readDir(DIR)) {
    if (!entry.name.endsWith(".json")) continue;
    const d = JSON.parse(await Deno.readTextFile(new URL(entry.name, DIR))) as Definition;
    if (MEDIA_TASKS.includes(d.task)) out.push(d);
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** Input fields that carry the content (prompt, audio, images), not config. */
const CONTENT = new Set(["prompt", "text", "audio", "image", "image_b64", "mask", "multipart"]);

/**
 * The plugin's config key of a published name: the camelCase of the name,
 * except where the plugin's public config names it otherwise.
 */
const KEYS: Record<string, string> = { num_steps: "steps", negative_prompt: "negativePrompt" };
const keyOf = (wire: string) =>
  KEYS[wire] ?? wire.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Published names deliberately not sent, with the reason:
 * - nova-3's interim_results, endpointing, vad_events and utterance_end_ms
 *   apply to Deepgram's streaming (WebSocket) sessions only, which the plugin
 *   does not open: refused before any request.
 * - lucid-origin publishes both num_steps and steps (1-40 each); config.steps
 *   is sent as steps, checked below.
 */
const REFUSED: Record<string, string[]> = {
  "@cf/deepgram/nova-3": ["interim_results", "endpointing", "vad_events", "utterance_end_ms"],
};
const SKIPPED: Record<string, string[]> = { "@cf/leonardo/lucid-origin": ["num_steps"] };

/**
 * Values that must go with another to be taken: Deepgram's audio formats
 * (its TTS media output settings): a container other than mp3's none, and a
 * sample rate, need an encoding that has them.
 */
function companions(wire: string, value: unknown): Record<string, unknown> {
  if (wire === "container") return { encoding: value === "ogg" ? "opus" : "linear16" };
  if (wire === "sample_rate") return { encoding: "linear16" };
  return {};
}

/** A value inside a parameter with no published range (or a string). */
function sample(wire: string, p: Param): unknown {
  if (p.type === "boolean") return true;
  // Deepgram's documented rates: 24000 for linear16, 48000 bit/s for mp3.
  if (wire === "sample_rate") return 24000;
  if (wire === "bit_rate") return 48000;
  if (p.default !== undefined) return p.default;
  if (p.type === "string") return wire === "language" ? "en" : "word";
  if (p.type === "integer") return p.minimum ?? (p.maximum !== undefined ? p.maximum - 1 : 7);
  return p.minimum ?? (p.maximum !== undefined ? p.maximum - 0.5 : 0.5);
}

/** The values to send in range, and the ones one step past it. */
function probes(wire: string, p: Param): { good: unknown[]; bad: unknown[] } {
  if (p.enum) return { good: [p.enum[0], p.enum[p.enum.length - 1]], bad: ["not-a-value"] };
  if (p.type !== "integer" && p.type !== "number") return { good: [sample(wire, p)], bad: [] };
  const step = p.type === "integer" ? 1 : 0.5;
  const good: unknown[] = [];
  const bad: unknown[] = [];
  if (p.minimum !== undefined) good.push(p.minimum), bad.push(p.minimum - step);
  if (p.maximum !== undefined) good.push(p.maximum), bad.push(p.maximum + step);
  if (good.length === 0) good.push(sample(wire, p));
  if (p.type === "integer") bad.push(1.5);
  return { good, bad };
}

/** A prompt the model takes, by its task and published input fields. */
function promptFor(d: Definition): Part[] {
  if (d.task === "Text-to-Image") {
    const source = "image_b64" in (d.schema.input.properties as object);
    return source
      ? [{ text: "a fox" }, { media: { url: dataUrlOf(SOURCE) } }]
      : [{ text: "a fox" }];
  }
  if (d.task === "Text-to-Speech") return [{ text: SAID }];
  const audio = base64(mp3(SAID));
  return [{ media: { url: `data:audio/mpeg;base64,${audio}`, contentType: "audio/mpeg" } }];
}

/**
 * What the request sent under `wire`, and what `value` looks like there: a
 * form field or a query option is text, a JSON field is the value itself.
 */
function sent(r: RecordedRequest, wire: string, value: unknown): [unknown, unknown] {
  if (r.form) return [r.form[wire], String(value)];
  const query = new URLSearchParams(r.search);
  if (query.has(wire)) return [query.get(wire), String(value)];
  return [(r.body as Record<string, unknown> | undefined)?.[wire], value];
}

async function generate(app: App, d: Definition, config: Record<string, unknown>) {
  return await app.ai.generate({
    model: cloudflareAI.model(d.id),
    prompt: promptFor(d),
    config,
  });
}

Deno.test("every published image, speech and transcription model is served; flux, realtime only, is refused with its reason", async () => {
  await using app = await setup();
  const definitions = await mediaDefinitions();
  assert.ok(definitions.length >= 20, `media definitions read: ${definitions.length}`);
  for (const d of definitions) {
    app.emu.reset();
    const action = await app.ai.registry.lookupAction(`/model/cloudflare-ai/${d.id}`);
    assert.ok(action, `${d.id} is a registered model`);
    const input = d.schema.input.properties as Record<string, unknown> | undefined;
    if (d.properties.realtime === true && !input?.audio && !input?.text) {
      // Published realtime with no audio field: WebSocket sessions only.
      const e = await failure(() => generate(app, d, {}));
      assert.equal(e.status, "UNIMPLEMENTED", d.id);
      assert.match(e.message, /published definition takes no audio over HTTP/);
      assert.equal(modelRequests(app.emu).length, 0);
      continue;
    }
    const res = await generate(app, d, {});
    assert.ok(res.media || res.text, d.id);
    assert.equal(modelRequests(app.emu).length, 1, d.id);
  }
});

Deno.test("every published parameter goes out under its published name at both ends of its range; one step past is refused before any request", async () => {
  await using app = await setup();
  let models = 0;
  let sentCount = 0;
  let refusedCount = 0;
  for (const d of await mediaDefinitions()) {
    const props = d.schema.input.properties as Record<string, Param> | undefined;
    if (!props || d.properties.realtime === true && !props.audio && !props.text) continue;
    models++;
    for (const [wire, p] of Object.entries(props)) {
      if (CONTENT.has(wire) || wire === "required" || SKIPPED[d.id]?.includes(wire)) continue;
      if (typeof p !== "object" || !["boolean", "string", "number", "integer"].includes(p.type)) {
        continue;
      }
      const key = keyOf(wire);
      const { good, bad } = probes(wire, p);
      if (REFUSED[d.id]?.includes(wire)) bad.splice(0, bad.length, ...good), good.length = 0;
      for (const value of good) {
        app.emu.reset();
        const extra = companions(wire, value);
        await generate(app, d, { [key]: value, ...extra });
        const [r] = modelRequests(app.emu);
        const [got, expected] = sent(r, wire, value);
        assert.equal(got, expected, `${d.id} ${wire}=${value}`);
        sentCount++;
      }
      for (const value of bad) {
        app.emu.reset();
        const e = await failure(() =>
          generate(app, d, { [key]: value, ...companions(wire, value) })
        );
        assert.equal(e.status, "INVALID_ARGUMENT", `${d.id} ${wire}=${value}: ${e.message}`);
        assert.ok(e.message.includes(d.id), e.message);
        assert.ok(e.message.includes(`config.${key}`), e.message);
        assert.equal(modelRequests(app.emu).length, 0, `${d.id} ${wire}=${value} not sent`);
        refusedCount++;
      }
    }
  }
  assert.ok(models > 0 && sentCount > 0 && refusedCount > 0);
  console.log(`media contract: ${models} models, ${sentCount} sent, ${refusedCount} refused`);
});

Deno.test("the deliberate narrowings of published ranges are refused before any request", async () => {
  await using app = await setup();
  const sdxl = "@cf/stabilityai/stable-diffusion-xl-base-1.0";
  const withSource: Part[] = [{ text: "a fox" }, { media: { url: dataUrlOf(SOURCE) } }];
  const cases: [string, Record<string, unknown>, RegExp][] = [
    // The published num_steps / steps have a maximum only; a diffusion needs a step.
    [sdxl, { steps: 0 }, /config\.steps = 0 .* from 1 to 20/],
    ["@cf/black-forest-labs/flux-1-schnell", { steps: 0 }, /from 1 to 8/],
    // strength is published with a default only; it is a fraction of the diffusion.
    [sdxl, { strength: 1.5 }, /config\.strength = 1\.5 .* from 0 to 1/],
    // FLUX.2's form fields come from Cloudflare's changelog (width 256 to 1920).
    ["@cf/black-forest-labs/flux-2-dev", { width: 1921 }, /from 256 to 1920/],
  ];
  for (const [id, config, message] of cases) {
    app.emu.reset();
    const e = await failure(() =>
      app.ai.generate({ model: cloudflareAI.model(id), prompt: withSource.slice(0, 1), config })
    );
    assert.equal(e.status, "INVALID_ARGUMENT", e.message);
    assert.match(e.message, message);
    assert.equal(modelRequests(app.emu).length, 0);
  }
  // The other end of strength goes out with a source image.
  await app.ai.generate({
    model: cloudflareAI.model(sdxl),
    prompt: withSource,
    config: { strength: 0 },
  });
  assert.equal((modelRequests(app.emu)[0].body as { strength: number }).strength, 0);
});

Deno.test("nemotron speech is served over HTTP: base64 audio JSON with its options, as Cloudflare's types give it", async () => {
  await using app = await setup();
  const file = wav(tone(16000), 16000, "linear16", SAID);
  const res = await app.ai.generate({
    model: cloudflareAI.model(NEMOTRON),
    prompt: [{ media: { url: `data:audio/wav;base64,${base64(file)}`, contentType: "audio/wav" } }],
    config: { encoding: "wav", sampleRate: 16000, channels: 1 },
  });
  assert.equal(res.text, SAID);
  const [r] = modelRequests(app.emu);
  assert.equal(r.contentType, "application/json");
  assert.deepEqual(r.body, {
    audio: base64(file),
    encoding: "wav",
    sample_rate: 16000,
    channels: 1,
  });
  assert.equal(typeof res.usage.custom?.inputAudioSeconds, "number");
  // The types' encoding enum: wav, flac, ogg, linear16.
  app.emu.reset();
  const e = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model(NEMOTRON),
      prompt: [{ media: { url: `data:audio/wav;base64,${base64(file)}` } }],
      config: { encoding: "mp3" },
    })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /"wav", "flac", "ogg", "linear16"/);
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("nemotron speech over a binding gets the same base64 JSON", async () => {
  await using emu = await startEmulator();
  const { ai, calls } = audioBinding(emu);
  const file = mp3(SAID);
  const res = await ai.generate({
    model: cloudflareAI.model(NEMOTRON),
    prompt: [{ media: { url: `data:audio/mpeg;base64,${base64(file)}` } }],
  });
  assert.equal(res.text, SAID);
  assert.deepEqual(calls.map((c) => c.inputs), [{ audio: base64(file) }]);
});
