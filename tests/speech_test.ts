import assert from "node:assert/strict";
import { cloudflareAI } from "../mod.ts";
import { mp3, tone, wav } from "../src/testing/audio.ts";
import { spokenText } from "../src/testing/audio_read.ts";
import { startEmulator } from "../src/testing/mod.ts";
import { TEST_ONLY } from "../src/speech/family.ts";
import { audioBinding } from "./_audio_binding.ts";
import { failure, modelRequests, ownProperties, setup } from "./_setup.ts";

const MELO = "@cf/myshell-ai/melotts";
const AURA_1 = "@cf/deepgram/aura-1";
const AURA_EN = "@cf/deepgram/aura-2-en";
const AURA_ES = "@cf/deepgram/aura-2-es";
const SAID = "Your order has shipped.";

function bytesOf(url: string): Uint8Array {
  const b64 = url.slice(url.indexOf(",") + 1);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

Deno.test("Aura speaks the prompt's text, sent as `text` with `speaker`; the answer is one audio/mpeg data URL", async () => {
  await using app = await setup();
  const res = await app.ai.generate({
    model: cloudflareAI.model(AURA_EN),
    prompt: SAID,
    config: { speaker: "luna", encoding: "mp3" },
  });
  assert.equal(res.media?.contentType, "audio/mpeg");
  assert.match(res.media!.url, /^data:audio\/mpeg;base64,/);
  assert.equal(spokenText(bytesOf(res.media!.url)), SAID);
  assert.deepEqual(modelRequests(app.emu)[0].body, {
    text: SAID,
    speaker: "luna",
    encoding: "mp3",
  });
  assert.equal(res.message?.content.length, 1);
});

Deno.test("MeloTTS gets `prompt` and `lang`; its JSON base64 audio is WAV, typed from the bytes", async () => {
  await using app = await setup();
  const res = await app.ai.generate({
    model: cloudflareAI.model(MELO),
    prompt: SAID,
    config: { lang: "en" },
  });
  assert.deepEqual(modelRequests(app.emu)[0].body, { prompt: SAID, lang: "en" });
  assert.equal(
    res.media?.contentType,
    "audio/wav",
    "documented as MP3, but the bytes are RIFF/WAVE",
  );
  assert.equal(spokenText(bytesOf(res.media!.url)), SAID);
});

Deno.test("MeloTTS answering binary is read too, the bytes deciding over the label", async () => {
  await using app = await setup();
  const file = wav(tone(8000), 8000, "linear16", SAID);
  app.emu.fault({ model: MELO, body: file, contentType: "audio/mpeg" });
  const res = await app.ai.generate({ model: cloudflareAI.model(MELO), prompt: SAID });
  assert.equal(res.media?.contentType, "audio/wav");
  assert.deepEqual(bytesOf(res.media!.url), file);
  app.emu.fault({ model: MELO, body: mp3(SAID), contentType: "application/octet-stream" });
  const again = await app.ai.generate({ model: cloudflareAI.model(MELO), prompt: SAID });
  assert.equal(again.media?.contentType, "audio/mpeg");
});

Deno.test("each Aura encoding comes back with its true type, raw samples with their rate", async () => {
  await using app = await setup();
  const cases: [Record<string, unknown>, string][] = [
    [{}, "audio/mpeg"],
    [{ encoding: "linear16" }, "audio/wav"],
    [{ encoding: "linear16", container: "none", sampleRate: 16000 }, "audio/L16;rate=16000"],
    [{ encoding: "linear16", container: "none" }, "audio/L16;rate=24000"],
    [{ encoding: "mulaw", container: "none" }, "audio/PCMU;rate=8000"],
    [{ encoding: "alaw", container: "wav", sampleRate: 16000 }, "audio/wav"],
    [{ encoding: "opus", bitRate: 12000 }, "audio/ogg"],
    [{ encoding: "flac", sampleRate: 22050 }, "audio/flac"],
    [{ encoding: "aac", bitRate: 64000 }, "audio/aac"],
  ];
  for (const [config, type] of cases) {
    const res = await app.ai.generate({ model: cloudflareAI.model(AURA_1), prompt: SAID, config });
    assert.equal(res.media?.contentType, type, JSON.stringify(config));
  }
});

Deno.test("over a binding: JSON inputs, the raw response asked for, the same audio back", async () => {
  await using emu = await startEmulator();
  const { ai, calls } = audioBinding(emu);
  for (const id of [MELO, AURA_1, AURA_EN, AURA_ES]) {
    const res = await ai.generate({ model: cloudflareAI.model(id), prompt: SAID });
    assert.equal(spokenText(bytesOf(res.media!.url)), SAID, id);
    assert.equal(res.media?.contentType, id === MELO ? "audio/wav" : "audio/mpeg");
  }
  assert.deepEqual(calls.map((c) => c.inputs), [
    { prompt: SAID },
    { text: SAID },
    { text: SAID },
    { text: SAID },
  ]);
  assert.ok(calls.every((c) => c.options.returnRawResponse === true));
});

Deno.test("voices, settings and prompts a model does not take are refused, naming the model, before any request", async () => {
  await using app = await setup();
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [AURA_ES, { prompt: SAID, config: { speaker: "luna" } }, /speaker = "luna" .* "sirio"/],
    [
      AURA_EN,
      { prompt: SAID, config: { voice: "luna" } },
      /config.voice is not supported.*it takes speaker/,
    ],
    [AURA_EN, { prompt: SAID, config: { lang: "en" } }, /config.lang is not supported/],
    [
      MELO,
      { prompt: SAID, config: { speaker: "luna" } },
      /config.speaker is not supported by @cf\/myshell-ai\/melotts: it takes lang/,
    ],
    [MELO, { prompt: SAID, config: { lang: "de" } }, /lang = "de"/],
    [
      AURA_1,
      { prompt: SAID, config: { sampleRate: 16000 } },
      /sampleRate 16000 does not go with encoding mp3 \(the default encoding\).*fixed at 22050/,
    ],
    [
      AURA_1,
      { prompt: SAID, config: { encoding: "mp3", bitRate: 64000 } },
      /bitRate 64000 .* 32000 or 48000/,
    ],
    [
      AURA_1,
      { prompt: SAID, config: { encoding: "opus", container: "wav" } },
      /container "wav" .* opus .* takes ogg/,
    ],
    [
      AURA_1,
      { prompt: SAID, config: { encoding: "flac", container: "none" } },
      /takes no container/,
    ],
    [AURA_1, { prompt: SAID, config: { encoding: "mulaw", sampleRate: 24000 } }, /8000, 16000/],
    [AURA_1, { prompt: SAID, config: { encoding: "aac", bitRate: 200000 } }, /4000 to 192000/],
    [AURA_1, { prompt: SAID, config: { encoding: "linear16", bitRate: 32000 } }, /has no bit rate/],
    // The published sample_rate is any number: Deepgram's rates per encoding decide.
    [
      AURA_1,
      { prompt: SAID, config: { encoding: "linear16", sampleRate: 7999.5 } },
      /sampleRate 7999.5 does not go with encoding linear16.*takes 8000, 16000, 24000/,
    ],
    [AURA_1, { prompt: SAID, config: { sampleRate: "8000" } }, /sampleRate = "8000" .* a number/],
    [AURA_1, { prompt: "   " }, /needs text to speak/],
    [
      AURA_1,
      { prompt: [{ text: SAID }, { media: { url: "data:audio/mpeg;base64,AAAA" } }] },
      /takes no media/,
    ],
    [
      AURA_1,
      { messages: [{ role: "model", content: [{ text: "Hi" }] }], prompt: SAID },
      /single user message/,
    ],
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

Deno.test("audio types from the bytes: ID3 and MPEG frames are MP3, ADTS (layer 00) is AAC even after ID3", () => {
  const { audioTypeOf } = TEST_ONLY;
  assert.equal(audioTypeOf(mp3(SAID)), "audio/mpeg");
  assert.equal(audioTypeOf(new Uint8Array([0xff, 0xf3, 0x40, 0xc4])), "audio/mpeg");
  assert.equal(audioTypeOf(new Uint8Array([0xff, 0xf1, 0x5c, 0x40])), "audio/aac");
  const tagged = new Uint8Array([...mp3("x").subarray(0, 10 + 40), 0xff, 0xf1, 0x50, 0x80]);
  tagged.set([0, 0, 0, 40], 6);
  assert.equal(audioTypeOf(tagged), "audio/aac");
  assert.equal(audioTypeOf(new Uint8Array([1, 2, 3, 4])), undefined);
});

Deno.test("text-to-speech models declare media out, and each lists only its own config keys", async () => {
  await using app = await setup();
  assert.deepEqual(cloudflareAI.model(AURA_EN).info?.supports, {
    media: false,
    output: ["media"],
    multiturn: false,
    tools: false,
    systemRole: false,
  });
  const keys = async (id: string) => {
    const action = await app.ai.registry.lookupAction(`/model/cloudflare-ai/${id}`);
    const model = action!.__action.metadata?.model as { customOptions?: { properties?: object } };
    return Object.keys(
      ownProperties((model.customOptions?.properties ?? {}) as Record<string, unknown>),
    ).sort();
  };
  assert.deepEqual(await keys(MELO), ["lang"]);
  assert.deepEqual(await keys(AURA_ES), [
    "bitRate",
    "container",
    "encoding",
    "sampleRate",
    "speaker",
  ]);
  assert.deepEqual(await keys("@cf/openai/whisper"), []);
});
