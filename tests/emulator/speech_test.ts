// Speech-to-text and text-to-speech on /ai/run: the real request forms, the
// refusals of wrong ones, the answer forms, and valid, deterministic audio.
import assert from "node:assert/strict";
import { aac, flac, mp3, oggOpus, tone, wav } from "../../src/testing/audio.ts";
import { spokenText } from "../../src/testing/audio_read.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { errorOf, run } from "./_helpers.ts";

const SAID = "Meet me at noon.";

/** Posts raw bytes with a content type (and a query) to `/ai/run/{model}`. */
function runBytes(
  emu: Emulator,
  model: string,
  bytes: Uint8Array<ArrayBuffer>,
  type: string,
  query = "",
) {
  return fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${model}${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": type },
    body: bytes,
  });
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

Deno.test("whisper takes the raw file or { audio: number[] }, and refuses a base64 string with 5006", async () => {
  await using emu = await startEmulator();
  const file = mp3(SAID);
  const raw = await (await runBytes(emu, "@cf/openai/whisper", file, "audio/mpeg")).json();
  assert.equal(raw.result.text, SAID);
  assert.equal(raw.result.word_count, 4);
  assert.match(raw.result.vtt, /^WEBVTT/);
  const array = await (await run(emu, "@cf/openai/whisper-tiny-en", { audio: Array.from(file) }))
    .json();
  assert.equal(array.result.text, SAID);
  const str = await errorOf(await run(emu, "@cf/openai/whisper", { audio: b64(file) }));
  assert.deepEqual([str.status, str.code], [400, 5006]);
  assert.match(str.message, /Type mismatch of '\/audio', 'string' not in 'array'/);
  const extra = await errorOf(await run(emu, "@cf/openai/whisper", { audio: [1], language: "en" }));
  assert.match(extra.message, /Additional or unevaluated properties '\/language'/);
  const empty = await errorOf(
    await runBytes(emu, "@cf/openai/whisper", new Uint8Array(), "audio/mpeg"),
  );
  assert.equal(empty.code, 3003);
});

Deno.test("whisper-large-v3-turbo takes JSON base64 only, its fields typed (vad_filter a boolean)", async () => {
  await using emu = await startEmulator();
  const file = mp3(SAID);
  const ok = await (await run(emu, "@cf/openai/whisper-large-v3-turbo", {
    audio: b64(file),
    language: "fr",
    prefix: "Note:",
  })).json();
  assert.equal(ok.result.text, `Note: ${SAID}`);
  assert.equal(ok.result.transcription_info.language, "fr");
  assert.equal(ok.result.segments[0].words.length, 5);
  const bytes = await errorOf(
    await runBytes(emu, "@cf/openai/whisper-large-v3-turbo", file, "audio/mpeg"),
  );
  assert.deepEqual([bytes.status, bytes.code], [400, 5006]);
  const vad = await errorOf(
    await run(emu, "@cf/openai/whisper-large-v3-turbo", { audio: "AAAA", vad_filter: "true" }),
  );
  assert.match(vad.message, /Type mismatch of '\/vad_filter', 'string' not in 'boolean'/);
  const unknown = await errorOf(
    await run(emu, "@cf/openai/whisper-large-v3-turbo", { audio: "AAAA", temperature: 0 }),
  );
  assert.match(unknown.message, /'\/temperature'/);
});

Deno.test("nova-3 takes the raw file with its options in the query, checked against its schema", async () => {
  await using emu = await startEmulator();
  const file = wav(tone(8000), 8000, "linear16", SAID);
  const ok = await (await runBytes(
    emu,
    "@cf/deepgram/nova-3",
    file,
    "audio/wav",
    "?punctuate=true&detect_language=true&keyterm=a&keyterm=b",
  )).json();
  const channel = ok.result.results.channels[0];
  assert.equal(channel.alternatives[0].transcript, SAID);
  assert.equal(channel.detected_language, "en");
  const unknown = await errorOf(
    await runBytes(emu, "@cf/deepgram/nova-3", file, "audio/wav", "?voice=x"),
  );
  assert.deepEqual([unknown.code, /'\/voice'/.test(unknown.message)], [5006, true]);
  const badBool = await errorOf(
    await runBytes(emu, "@cf/deepgram/nova-3", file, "audio/wav", "?punctuate=yes"),
  );
  assert.equal(badBool.code, 5006);
  const twice = await errorOf(
    await runBytes(emu, "@cf/deepgram/nova-3", file, "audio/wav", "?mode=general&mode=finance"),
  );
  assert.equal(twice.code, 5006);
  const json = await errorOf(await run(emu, "@cf/deepgram/nova-3", { audio: b64(file) }));
  assert.equal(json.code, 5006);
});

Deno.test("Aura answers binary audio/mpeg; MeloTTS a JSON { audio } of base64 WAV; both carry the text", async () => {
  await using emu = await startEmulator();
  const aura = await run(emu, "@cf/deepgram/aura-2-en", { text: SAID, speaker: "thalia" });
  assert.equal(aura.headers.get("content-type"), "audio/mpeg");
  const audio = new Uint8Array(await aura.arrayBuffer());
  assert.equal(new TextDecoder().decode(audio.subarray(0, 3)), "ID3");
  assert.equal(spokenText(audio), SAID);
  const melo = await (await run(emu, "@cf/myshell-ai/melotts", { prompt: SAID, lang: "fr" }))
    .json();
  const wavBytes = Uint8Array.from(atob(melo.result.audio), (c) => c.charCodeAt(0));
  assert.equal(new TextDecoder().decode(wavBytes.subarray(8, 12)), "WAVE");
  assert.equal(spokenText(wavBytes), SAID);
  const again = await run(emu, "@cf/deepgram/aura-2-en", { text: SAID, speaker: "thalia" });
  assert.deepEqual(new Uint8Array(await again.arrayBuffer()), audio, "deterministic");
});

Deno.test("Aura and MeloTTS refuse unknown fields, other models' voices and missing text with 5006", async () => {
  await using emu = await startEmulator();
  const cases: [string, unknown, RegExp][] = [
    ["@cf/deepgram/aura-1", { text: SAID, voice: "luna" }, /'\/voice'/],
    [
      "@cf/deepgram/aura-2-es",
      { text: SAID, speaker: "luna" },
      /'\/speaker' is not one of the enum values 'sirio'/,
    ],
    ["@cf/deepgram/aura-1", { speaker: "luna" }, /required properties at '\/' are 'text'/],
    [
      "@cf/deepgram/aura-1",
      { text: SAID, encoding: "mp3", sample_rate: 8000 },
      /unsupported audio format combination/,
    ],
    ["@cf/myshell-ai/melotts", { text: SAID }, /'\/text'/],
    ["@cf/myshell-ai/melotts", { prompt: "" }, /shorter than minLength 1/],
  ];
  for (const [model, body, message] of cases) {
    const e = await errorOf(await run(emu, model, body));
    assert.deepEqual([e.status, e.code], [400, 5006], `${model} ${JSON.stringify(body)}`);
    assert.match(e.message, message);
  }
});

Deno.test("the audio is well formed in every format, and transcribing it gives the text back", () => {
  const rate = 16000;
  const wavFile = wav(tone(rate), rate, "mulaw", SAID);
  const view = new DataView(wavFile.buffer);
  assert.equal(view.getUint32(4, true), wavFile.length - 8, "RIFF size");
  const flacFile = flac(tone(rate), rate, SAID);
  assert.equal(new TextDecoder().decode(flacFile.subarray(0, 4)), "fLaC");
  const ogg = oggOpus(SAID);
  assert.equal(new TextDecoder().decode(ogg.subarray(0, 4)), "OggS");
  assert.equal(new TextDecoder().decode(ogg.subarray(28, 36)), "OpusHead");
  for (const file of [wavFile, flacFile, ogg, mp3(SAID), aac(SAID)]) {
    assert.equal(spokenText(file), SAID);
  }
  assert.equal(tone(rate).length, rate / 4, "a quarter of a second");
});

Deno.test("the model search lists the speech models under their tasks", async () => {
  await using emu = await startEmulator();
  // One task a query: the whole list is more than a page.
  const speech = await fetch(
    `${emu.url}/accounts/${emu.accountId}/ai/models/search?per_page=100&task=Text-to-Speech`,
    { headers: { authorization: `Bearer ${emu.apiToken}` } },
  );
  const asr = await fetch(
    `${emu.url}/accounts/${emu.accountId}/ai/models/search?per_page=100&task=${
      encodeURIComponent("Automatic Speech Recognition")
    }`,
    { headers: { authorization: `Bearer ${emu.apiToken}` } },
  );
  type Found = { result: { name: string; task: { name: string } }[] };
  const result = [
    ...((await speech.json()) as Found).result,
    ...((await asr.json()) as Found).result,
  ];
  const task = (id: string) => result.find((m) => m.name === id)?.task.name;
  assert.equal(task("@cf/openai/whisper"), "Automatic Speech Recognition");
  assert.equal(task("@cf/deepgram/nova-3"), "Automatic Speech Recognition");
  assert.equal(task("@cf/deepgram/aura-2-en"), "Text-to-Speech");
  assert.equal(task("@cf/myshell-ai/melotts"), "Text-to-Speech");
});
