import assert from "node:assert/strict";
import { cloudflareAI } from "../mod.ts";
import { base64 } from "../src/base64.ts";
import { mp3, tone, wav } from "../src/testing/audio.ts";
import { startEmulator } from "../src/testing/mod.ts";
import { audioBinding } from "./_audio_binding.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

const WHISPER = "@cf/openai/whisper";
const TINY = "@cf/openai/whisper-tiny-en";
const TURBO = "@cf/openai/whisper-large-v3-turbo";
const NOVA = "@cf/deepgram/nova-3";
const SAID = "Your order has shipped.";

const speech = mp3(SAID);
const audioPart = (bytes: Uint8Array = speech, type = "audio/mpeg") => ({
  media: { url: `data:${type};base64,${base64(bytes)}`, contentType: type },
});

Deno.test("whisper and whisper-tiny-en get the raw file with its type, never a JSON number array", async () => {
  await using app = await setup();
  for (const id of [WHISPER, TINY]) {
    app.emu.reset();
    const res = await app.ai.generate({ model: cloudflareAI.model(id), prompt: [audioPart()] });
    assert.equal(res.text, SAID);
    const [req] = modelRequests(app.emu);
    assert.equal(req.contentType, "audio/mpeg");
    assert.equal(req.bytes, speech.length, "the file's own bytes");
    assert.equal(req.body, undefined, "no JSON body");
    const custom = res.custom as { words: { word: string }[]; vtt: string; word_count: number };
    assert.equal(custom.word_count, 4);
    assert.match(custom.vtt, /^WEBVTT\n\n00:00:00\.000 --> /);
    assert.equal(custom.words[0].word, "Your");
    assert.equal(res.usage.inputAudioFiles, 1);
  }
});

Deno.test("whisper-large-v3-turbo gets base64 JSON; config is sent under its wire names; a text part is its initial prompt", async () => {
  await using app = await setup();
  const res = await app.ai.generate({
    model: cloudflareAI.model(TURBO),
    prompt: [{ text: "Order, shipped" }, audioPart()],
    config: { language: "en", vadFilter: true, prefix: "Your", task: "transcribe" },
  });
  assert.equal(res.text, SAID);
  const body = modelRequests(app.emu)[0].body as Record<string, unknown>;
  assert.equal(body.audio, base64(speech));
  assert.deepEqual({ ...body, audio: undefined }, {
    audio: undefined,
    language: "en",
    vad_filter: true,
    prefix: "Your",
    task: "transcribe",
    initial_prompt: "Order, shipped",
  });
  const custom = res.custom as { transcription_info: { language: string }; segments: unknown[] };
  assert.equal(custom.transcription_info.language, "en");
  assert.equal(custom.segments.length, 1);
  assert.equal(res.usage.custom?.inputAudioSeconds, 1.6);
});

Deno.test("nova-3 over REST gets the raw file and every option in the query string", async () => {
  await using app = await setup();
  const res = await app.ai.generate({
    model: cloudflareAI.model(NOVA),
    prompt: [audioPart()],
    config: { smartFormat: true, diarize: true, keyterm: ["order", "shipped"], mode: "general" },
  });
  assert.equal(res.text, SAID);
  const [req] = modelRequests(app.emu);
  assert.equal(req.contentType, "audio/mpeg");
  assert.equal(req.bytes, speech.length);
  assert.equal(
    req.search,
    "?smart_format=true&diarize=true&keyterm=order&keyterm=shipped&mode=general",
  );
  const channels = (res.custom as {
    results: { channels: { alternatives: { words: { speaker: number }[] }[] }[] };
  })
    .results.channels;
  assert.equal(channels[0].alternatives[0].words[0].speaker, 0, "diarize reached the model");
  // Without punctuate/smart_format Deepgram answers lower case: the option is what changed it.
  const plain = await app.ai.generate({ model: cloudflareAI.model(NOVA), prompt: [audioPart()] });
  assert.equal(plain.text, "your order has shipped");
});

Deno.test("a data: URL's base64 may be wrapped over lines, as MIME base64 is", async () => {
  await using app = await setup();
  const wrapped = base64(speech).replace(/.{76}/g, "$&\r\n");
  const url = `data:audio/mpeg;base64,${wrapped}`;
  const res = await app.ai.generate({
    model: cloudflareAI.model(WHISPER),
    prompt: [{ media: { url, contentType: "audio/mpeg" } }],
  });
  assert.equal(res.text, SAID);
  assert.equal(modelRequests(app.emu)[0].bytes, speech.length);
});

Deno.test("audio the emulator did not speak gets a deterministic transcript", async () => {
  await using app = await setup();
  const other = wav(tone(16000), 16000, "linear16", "").subarray(0, 44);
  const noise = Uint8Array.from({ length: 4000 }, (_, i) => (i * 7919) % 251);
  const a = await app.ai.generate({
    model: cloudflareAI.model(WHISPER),
    prompt: [audioPart(noise)],
  });
  const b = await app.ai.generate({
    model: cloudflareAI.model(WHISPER),
    prompt: [audioPart(noise)],
  });
  const c = await app.ai.generate({
    model: cloudflareAI.model(WHISPER),
    prompt: [audioPart(other, "audio/wav")],
  });
  assert.equal(a.text, b.text);
  assert.notEqual(a.text, c.text);
  assert.match(a.text, /^[A-Z][a-z ]+\.$/);
});

Deno.test("over a binding: whisper takes { audio: number[] }, turbo base64, nova-3 a stream beside its options", async () => {
  await using emu = await startEmulator();
  const { ai, calls } = audioBinding(emu);
  for (const id of [WHISPER, TINY, TURBO, NOVA]) {
    const config = id === NOVA ? { smartFormat: true, detectLanguage: true } : {};
    const res = await ai.generate({ model: cloudflareAI.model(id), prompt: [audioPart()], config });
    assert.equal(res.text, SAID, id);
  }
  const [whisper, tiny, turbo, nova] = calls;
  assert.deepEqual(whisper.inputs, { audio: Array.from(speech) });
  assert.deepEqual(tiny.inputs, { audio: Array.from(speech) });
  assert.equal(turbo.inputs.audio, base64(speech));
  const { audio, ...options } = nova.inputs as { audio: { contentType: string } };
  assert.equal(audio.contentType, "audio/mpeg");
  assert.deepEqual(options, { smart_format: true, detect_language: true });
  assert.equal(nova.options.returnRawResponse, true);
  assert.equal(emu.requests.at(-1)?.search, "?smart_format=true&detect_language=true");
});

Deno.test("over a binding, a failed nova-3 call is retried with the audio stream made anew", async () => {
  await using emu = await startEmulator();
  const { ai, calls } = audioBinding(emu);
  emu.fault({ model: NOVA, status: 429, code: 3040 });
  const res = await ai.generate({
    model: cloudflareAI.model(NOVA),
    prompt: [audioPart()],
    config: { punctuate: true },
  });
  assert.equal(res.text, SAID);
  assert.equal(calls.length, 2);
  assert.equal(emu.requests.at(-1)?.bytes, speech.length, "the retry sent the whole file again");
});

Deno.test("bad prompts and config are refused, naming the model, before any request", async () => {
  await using app = await setup();
  const image = { media: { url: "data:image/png;base64,iVBORw0KGgo=", contentType: "image/png" } };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [WHISPER, { prompt: [audioPart(), audioPart()] }, /one audio part.*2 media parts/],
    [WHISPER, { prompt: [image] }, /transcribes audio; the media part is of type image\/png/],
    [WHISPER, { prompt: "just text" }, /one audio part.*0 media parts/],
    [WHISPER, { prompt: [{ text: "names: Ada" }, audioPart()] }, /takes no prompt text/],
    [WHISPER, {
      prompt: [{ media: { url: "data:audio/mpeg;base64,@@@@", contentType: "audio/mpeg" } }],
    }, /not valid base64/],
    [NOVA, { prompt: [{ text: "names: Ada" }, audioPart()] }, /keyterm boosts terms/],
    [
      TURBO,
      { prompt: [{ text: "a" }, audioPart()], config: { initialPrompt: "b" } },
      /initial prompt twice/,
    ],
    [
      WHISPER,
      { prompt: [audioPart()], config: { language: "en" } },
      /config.language is not supported by @cf\/openai\/whisper: it takes no config options/,
    ],
    [TURBO, { prompt: [audioPart()], config: { beamSize: "two" } }, /config\.beamSize/],
    [TURBO, { prompt: [audioPart()], config: { language: "english" } }, /ISO 639-1/],
    [TURBO, { prompt: [audioPart()], config: { vadFilter: "true" } }, /vadFilter .* true or false/],
    [TURBO, { prompt: [audioPart()], config: { task: "summarize" } }, /"transcribe", "translate"/],
    [
      TURBO,
      { prompt: [audioPart()], config: { smartFormat: true } },
      /smartFormat is not supported by @cf\/openai\/whisper-large-v3-turbo/,
    ],
    [
      NOVA,
      { prompt: [audioPart()], config: { interimResults: true } },
      /realtime WebSocket sessions only/,
    ],
    [NOVA, { prompt: [audioPart()], config: { mode: "legal" } }, /"general", "medical", "finance"/],
    [NOVA, { prompt: [audioPart()], config: { keyterm: [] } }, /keyterm/],
    [NOVA, { prompt: [audioPart()], config: { language: "en us" } }, /BCP-47/],
    [NOVA, { prompt: [audioPart()], config: { apiKey: "x" } }, /apiKey is not accepted/],
    [WHISPER, {
      messages: [{ role: "system", content: [{ text: "be exact" }] }],
      prompt: [audioPart()],
    }, /single user message/],
  ];
  for (const [id, request, message] of cases) {
    const e = await failure(() =>
      app.ai.generate({ model: cloudflareAI.model(id), ...request } as never)
    );
    assert.equal(e.status, "INVALID_ARGUMENT", `${id} ${message}: ${e.message}`);
    assert.match(e.message, message);
    assert.ok(e.message.includes(id), `names the model: ${e.message}`);
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("realtime-only models are refused: realtime WebSocket sessions are not supported yet", async () => {
  await using app = await setup();
  // flux's published input has no audio field, only WebSocket session settings.
  const flux = JSON.parse(
    await Deno.readTextFile(new URL("../src/definitions/published/flux.json", import.meta.url)),
  );
  assert.equal(flux.properties.realtime, true);
  assert.equal(flux.schema.input.properties.audio, undefined);
  for (const id of [flux.id]) {
    const e = await failure(() =>
      app.ai.generate({ model: cloudflareAI.model(id), prompt: [audioPart()] })
    );
    assert.equal(e.status, "UNIMPLEMENTED");
    assert.match(e.message, /realtime WebSocket sessions are not supported yet/);
    assert.ok(e.message.includes(id));
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("audio over the request limit is refused before sending, with the limit in the message", async () => {
  // Base64 JSON leaves turbo 75,000,000 bytes of audio in a request of 100,000,000.
  await using app = await setup({
    mediaDownloads: { maxBytes: 80_000_000, maxTotalBytes: 80_000_000 },
  });
  const big = new Uint8Array(75_000_001);
  const e = await failure(() =>
    app.ai.generate({ model: cloudflareAI.model(TURBO), prompt: [audioPart(big)] })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /75000001 bytes: too large for one request.*100 MB \(100000000 bytes\)/);
  assert.match(e.message, /@cf\/openai\/whisper-large-v3-turbo/);
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("transcription models declare audio in, text out, single turn, no tools", () => {
  const turbo = cloudflareAI.model(TURBO);
  assert.deepEqual(turbo.info?.supports, {
    media: true,
    output: ["text"],
    multiturn: false,
    tools: false,
    systemRole: false,
  });
});
