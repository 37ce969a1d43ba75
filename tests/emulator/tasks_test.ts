// The emulated translation, classification, detection, image-to-text and
// turn-detection models: their request schemas and answer shapes.
import assert from "node:assert/strict";
import { startEmulator } from "../../src/testing/mod.ts";
import { call, run, sseData } from "./_helpers.ts";

const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);

/** A PNG header of the given size: what the emulator reads of an image. */
function png(width: number, height: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(33);
  out.set(PNG.subarray(0, 16));
  new DataView(out.buffer).setUint32(16, width);
  new DataView(out.buffer).setUint32(20, height);
  return out;
}

/** Posts raw bytes to `/ai/run/{model}`. */
function runBytes(
  emu: { url: string; accountId: string; apiToken: string },
  model: string,
  bytes: Uint8Array,
  type: string,
) {
  return fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${model}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": type },
    body: bytes.slice(),
  });
}

/** The 5006 message of a refused request. */
async function refusal(res: Response): Promise<string> {
  const body = await res.json();
  assert.equal(res.status, 400);
  assert.equal(body.errors[0].code, 5006);
  return body.errors[0].message;
}

Deno.test("translation: M2M100 and IndicTrans2 take their own fields and nothing else", async () => {
  await using emu = await startEmulator();
  const m2m = await call(emu, "@cf/meta/m2m100-1.2b", { text: "Hi", target_lang: "de" });
  assert.deepEqual(m2m.body.result, { translated_text: "(en→de) Hi" });
  const indic = await call(emu, "@cf/ai4bharat/indictrans2-en-indic-1B", {
    text: ["One", "Two"],
    target_language: "ben_Beng",
  });
  assert.deepEqual(indic.body.result, {
    translations: ["(eng_Latn→ben_Beng) One", "(eng_Latn→ben_Beng) Two"],
  });
  assert.match(
    await refusal(
      await run(emu, "@cf/meta/m2m100-1.2b", { text: "Hi", target_lang: "de", to: "x" }),
    ),
    /Additional or unevaluated properties '\/to'/,
  );
  assert.match(
    await refusal(await run(emu, "@cf/meta/m2m100-1.2b", { text: "Hi" })),
    /'target_lang'/,
  );
  assert.match(
    await refusal(
      await run(emu, "@cf/ai4bharat/indictrans2-en-indic-1B", {
        text: "Hi",
        target_language: "fr",
      }),
    ),
    /enum values/,
  );
  assert.match(
    await refusal(
      await run(emu, "@cf/ai4bharat/indictrans2-en-indic-1B", {
        text: "Hi",
        target_language: "hin_Deva",
        source_language: "eng_Latn",
      }),
    ),
    /source_language/,
  );
});

Deno.test("text classification: a bare array in result, NEGATIVE then POSITIVE, scores from the words", async () => {
  await using emu = await startEmulator();
  const good = await call(emu, "@cf/huggingface/distilbert-sst-2-int8", {
    text: "great, I love it",
  });
  assert.equal(good.body.success, true);
  assert.ok(Array.isArray(good.body.result));
  assert.deepEqual(good.body.result.map((r: { label: string }) => r.label), [
    "NEGATIVE",
    "POSITIVE",
  ]);
  assert.ok(good.body.result[1].score > 0.9);
  const bad = await call(emu, "@cf/huggingface/distilbert-sst-2-int8", {
    text: "awful and boring",
  });
  assert.ok(bad.body.result[0].score > 0.9);
  const again = await call(emu, "@cf/huggingface/distilbert-sst-2-int8", {
    text: "great, I love it",
  });
  assert.deepEqual(again.body.result, good.body.result, "deterministic");
  assert.match(
    await refusal(await run(emu, "@cf/huggingface/distilbert-sst-2-int8", { text: "x", top_k: 1 })),
    /'\/top_k'/,
  );
  assert.match(
    await refusal(await run(emu, "@cf/huggingface/distilbert-sst-2-int8", { text: "" })),
    /minLength 1/,
  );
});

Deno.test("image classification and detection take the raw image or { image: number[] }, and answer bare arrays", async () => {
  await using emu = await startEmulator();
  for (const model of ["@cf/microsoft/resnet-50", "@cf/facebook/detr-resnet-50"]) {
    const raw = await (await runBytes(emu, model, PNG, "image/png")).json();
    const array = await call(emu, model, { image: [...PNG] });
    assert.ok(Array.isArray(raw.result) && raw.result.length > 0, model);
    assert.deepEqual(array.body.result, raw.result, `${model}: both forms are the same image`);
    const other = await (await runBytes(emu, model, png(300, 200), "image/png")).json();
    assert.notDeepEqual(other.result, raw.result, `${model}: the answer depends on the image`);
    assert.match(await refusal(await run(emu, model, { image: [...PNG], top_k: 3 })), /top_k/);
    assert.match(await refusal(await run(emu, model, { image: [300] })), /unsigned 8-bit/);
    assert.match(
      await refusal(await runBytes(emu, model, new TextEncoder().encode("hello"), "image/png")),
      /could not be decoded/,
    );
  }
  const labels = (await call(emu, "@cf/microsoft/resnet-50", { image: [...PNG] })).body.result;
  assert.equal(labels.length, 5);
  const boxes =
    (await (await runBytes(emu, "@cf/facebook/detr-resnet-50", png(640, 480), "image/png"))
      .json()).result;
  for (const o of boxes) {
    assert.equal(typeof o.label, "string");
    assert.ok(o.box.xmax <= 640 && o.box.ymax <= 480 && o.box.xmin <= o.box.xmax);
  }
});

Deno.test("LLaVA: the raw image, or { image, prompt, … } with its sampling fields; max_tokens cuts", async () => {
  await using emu = await startEmulator();
  const LLAVA = "@cf/llava-hf/llava-1.5-7b-hf";
  const raw = await (await runBytes(emu, LLAVA, png(50, 40), "image/png")).json();
  assert.match(raw.result.description, /^A 50x40 PNG picture/);
  const asked = await call(emu, LLAVA, {
    image: [...png(50, 40)],
    prompt: "What is it?",
    temperature: 0.5,
    top_p: 0.9,
    top_k: 3,
    seed: 1,
    max_tokens: 4,
  });
  assert.equal(asked.body.result.description, "You asked: What is");
  assert.match(await refusal(await run(emu, LLAVA, { prompt: "x" })), /'image'/);
  assert.match(await refusal(await run(emu, LLAVA, { image: [...PNG], stream: true })), /stream/);
  assert.match(
    await refusal(await run(emu, LLAVA, { image: [...PNG], max_tokens: 1.5 })),
    /'integer'/,
  );
});

Deno.test("Moondream: query, caption, point and detect; streamed unless stream is false", async () => {
  await using emu = await startEmulator();
  const MOON = "@cf/moondream/moondream3.1-9B-A2B";
  const image = `data:image/png;base64,${btoa(String.fromCharCode(...PNG))}`;
  const query = await call(emu, MOON, { image, question: "Colour?", stream: false });
  assert.match(query.body.result.answer, /That answers: Colour\?/);
  assert.equal(query.body.result.caption, null);
  assert.ok(query.body.result.reasoning.text);
  assert.equal(typeof query.body.result.metrics.output_tokens, "number");
  const caption = await call(emu, MOON, {
    task: "caption",
    image,
    caption_length: "short",
    stream: false,
  });
  assert.equal(caption.body.result.caption, "A 1x1 PNG picture, mostly red.");
  const detect = await call(emu, MOON, { task: "detect", image, target: "cat" });
  assert.ok(detect.body.result.objects.length >= 1);
  const streamed = await run(emu, MOON, { task: "caption", image });
  assert.match(streamed.headers.get("content-type") ?? "", /text\/event-stream/);
  const events = sseData(await streamed.text());
  assert.equal(events.at(-1), "[DONE]");
  assert.match(
    await refusal(await run(emu, MOON, { task: "caption", stream: false })),
    /image is required/,
  );
  assert.match(
    await refusal(await run(emu, MOON, { image, temperature: 3, stream: false })),
    /greater than maximum 2/,
  );
  assert.match(await refusal(await run(emu, MOON, { image, prompt: "x" })), /'\/prompt'/);
});

Deno.test("Smart Turn: base64 audio (and dtype) in, { is_complete, probability } by how the audio ends", async () => {
  await using emu = await startEmulator();
  const SMART_TURN = "@cf/pipecat-ai/smart-turn-v2";
  // Raw 8-bit PCM: loud to the end, or silent (128) for its last half.
  const loud = Uint8Array.from({ length: 800 }, (_, i) => (i % 2 ? 30 : 226));
  const ending = loud.map((b, i) => (i >= 400 ? 128 : b));
  const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
  const talking = await call(emu, SMART_TURN, { audio: b64(loud), dtype: "uint8" });
  assert.equal(talking.body.result.is_complete, false);
  const done = await call(emu, SMART_TURN, { audio: b64(ending) });
  assert.equal(done.body.result.is_complete, true);
  assert.ok(done.body.result.probability > talking.body.result.probability);
  assert.match(
    await refusal(await run(emu, SMART_TURN, { audio: b64(loud), rate: 16000 })),
    /rate/,
  );
  assert.match(
    await refusal(await run(emu, SMART_TURN, { audio: b64(loud), dtype: "int16" })),
    /enum/,
  );
  assert.match(await refusal(await run(emu, SMART_TURN, { audio: "%%%" })), /base64/);
  assert.match(
    await refusal(await run(emu, SMART_TURN, { audio: { body: {}, contentType: "audio/wav" } })),
    /'object' not in 'string'/,
  );
});
