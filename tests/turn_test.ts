// Turn detection: Smart Turn v2 through genkit(), over REST and a binding.
import assert from "node:assert/strict";
import { cloudflareAI, type TurnDetection } from "../mod.ts";
import { base64 } from "../src/base64.ts";
import { startEmulator } from "../src/testing/mod.ts";
import { bindingApp, dataUrlOf, PNG_URL, wav } from "./_tasks.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

const SMART_TURN = "@cf/pipecat-ai/smart-turn-v2";
const speech = (silentTail: number) => ({
  media: { url: dataUrlOf(wav(0.5, silentTail), "audio/wav") },
});

Deno.test("Smart Turn gets the audio as base64 and answers { isComplete, probability } with complete/incomplete", async () => {
  await using app = await setup();
  const done = await app.ai.generate({
    model: cloudflareAI.model(SMART_TURN),
    prompt: [speech(0.3)],
  });
  const verdict = done.output as TurnDetection;
  assert.equal(verdict.isComplete, true);
  assert.ok(verdict.probability > 0.5);
  assert.equal(done.text, "complete");
  assert.deepEqual(modelRequests(app.emu)[0].body, { audio: base64(wav(0.5, 0.3)) });

  const talking = await app.ai.generate({
    model: cloudflareAI.model(SMART_TURN, { dtype: "uint8" }),
    prompt: [speech(0)],
  });
  assert.equal((talking.output as TurnDetection).isComplete, false);
  assert.equal(talking.text, "incomplete");
  assert.equal((modelRequests(app.emu)[1].body as { dtype: string }).dtype, "uint8");
});

Deno.test("over a binding the audio goes as a stream with its type, made anew for a retried call", async () => {
  await using emu = await startEmulator();
  const { ai, calls } = bindingApp(emu);
  emu.fault({ status: 429, code: 3040 });
  const res = await ai.generate({ model: cloudflareAI.model(SMART_TURN), prompt: [speech(0)] });
  assert.equal(calls.length, 2, "retried once after the capacity error");
  for (const call of calls) {
    const audio = (call.inputs as { audio: { body: unknown; contentType: string } }).audio;
    assert.ok(audio.body instanceof ReadableStream);
    assert.equal(audio.contentType, "audio/wav");
  }
  // Had the retry sent the first, already read, stream, the model would have heard silence.
  assert.equal(res.text, "incomplete");
});

Deno.test("a turn-detection request the model cannot take is refused before any request, naming the model", async () => {
  await using app = await setup();
  const cases: [unknown, RegExp][] = [
    [{ prompt: "Are you done?" }, /takes one audio part; the prompt has 0 media parts/],
    [{ prompt: [{ text: "Done?" }, speech(0)] }, /takes one audio part, and no text/],
    [{ prompt: [speech(0), speech(0.5)] }, /the prompt has 2 media parts/],
    [{ prompt: [{ media: { url: PNG_URL } }] }, /the media part is image\/png/],
    [
      { prompt: [speech(0)], config: { dtype: "int16" } },
      /dtype = "int16" is not valid .*"float32"/,
    ],
    [
      { prompt: [speech(0)], config: { threshold: 0.7 } },
      /config\.threshold is not supported .*takes dtype/,
    ],
  ];
  for (const [request, message] of cases) {
    const e = await failure(() =>
      app.ai.generate({ model: cloudflareAI.model(SMART_TURN), ...(request as object) } as never)
    );
    assert.equal(e.status, "INVALID_ARGUMENT", String(message));
    assert.match(e.message, message);
    assert.match(e.message, /smart-turn-v2/);
  }
  assert.equal(modelRequests(app.emu).length, 0);
});
