// Translation: M2M100 and IndicTrans2 through genkit(), over REST and a binding.
import assert from "node:assert/strict";
import { cloudflareAI } from "../mod.ts";
import { startEmulator } from "../src/testing/mod.ts";
import { bindingApp, PNG_URL } from "./_tasks.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

const M2M = "@cf/meta/m2m100-1.2b";
const INDIC = "@cf/ai4bharat/indictrans2-en-indic-1B";

Deno.test("M2M100 translates the prompt into targetLang, sourceLang sent as source_lang", async () => {
  await using app = await setup();
  const { text } = await app.ai.generate({
    model: cloudflareAI.model(M2M, { sourceLang: "de", targetLang: "fr" }),
    prompt: "Wo ist der Bahnhof?",
  });
  assert.equal(text, "(de→fr) Wo ist der Bahnhof?");
  const [sent] = modelRequests(app.emu);
  assert.deepEqual(sent.body, {
    text: "Wo ist der Bahnhof?",
    source_lang: "de",
    target_lang: "fr",
  });
});

Deno.test("M2M100 leaves the source language to the model's default (en) when none is given", async () => {
  await using app = await setup();
  const { text } = await app.ai.generate({
    model: cloudflareAI.model(M2M),
    prompt: "Good morning",
    config: { targetLang: "es" },
  });
  assert.equal(text, "(en→es) Good morning");
  assert.deepEqual(modelRequests(app.emu)[0].body, { text: "Good morning", target_lang: "es" });
});

Deno.test("IndicTrans2 takes target_language from its list and answers translations[0]", async () => {
  await using app = await setup();
  const { text } = await app.ai.generate({
    model: cloudflareAI.model(INDIC, { targetLang: "tam_Taml" }),
    prompt: "Hello",
  });
  assert.equal(text, "(eng_Latn→tam_Taml) Hello");
  assert.deepEqual(modelRequests(app.emu)[0].body, { text: "Hello", target_language: "tam_Taml" });
});

Deno.test("a translation request the model cannot take is refused before any request, naming the model", async () => {
  await using app = await setup();
  const cases: [unknown, RegExp][] = [
    [{ model: cloudflareAI.model(M2M), prompt: "Hi" }, /needs config\.targetLang/],
    [
      { model: cloudflareAI.model(INDIC, { targetLang: "fr" }), prompt: "Hi" },
      /targetLang = "fr" is not valid .*hin_Deva/,
    ],
    [
      {
        model: cloudflareAI.model(INDIC, { targetLang: "hin_Deva", sourceLang: "de" }),
        prompt: "Hi",
      },
      /sourceLang .*from English only/,
    ],
    [
      {
        model: cloudflareAI.model(M2M, { targetLang: "fr" }),
        prompt: [{ text: "Hi" }, { media: { url: PNG_URL } }],
      },
      /takes the text to translate, and no media/,
    ],
    [
      { model: cloudflareAI.model(M2M, { targetLang: "fr" }), prompt: "  " },
      /the prompt has no text/,
    ],
    [
      {
        model: cloudflareAI.model(M2M),
        prompt: "Hi",
        config: { targetLang: "fr", target_lang: "de" },
      },
      /config\.target_lang is not supported/,
    ],
    [
      {
        model: cloudflareAI.model(M2M),
        prompt: "Hi",
        config: { targetLang: "fr", temperature: 1 },
      },
      /config\.temperature is not supported .*takes sourceLang, targetLang/,
    ],
    [
      {
        model: cloudflareAI.model(M2M, { targetLang: "fr" }),
        messages: [{ role: "user", content: [{ text: "Hi" }] }, {
          role: "model",
          content: [{ text: "Salut" }],
        }],
        prompt: "Bye",
      },
      /single user message/,
    ],
    [
      { model: cloudflareAI.model(M2M, { targetLang: "fr" }), system: "Be formal.", prompt: "Hi" },
      /single user message/,
    ],
  ];
  for (const [request, message] of cases) {
    const e = await failure(() =>
      app.ai.generate(request as Parameters<typeof app.ai.generate>[0])
    );
    assert.equal(e.status, "INVALID_ARGUMENT", String(message));
    assert.match(e.message, message);
    assert.match(e.message, /@cf\//, "names the model");
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("translation works over a binding with the same body", async () => {
  await using emu = await startEmulator();
  const { ai, calls } = bindingApp(emu);
  const { text } = await ai.generate({
    model: cloudflareAI.model(M2M, { targetLang: "it" }),
    prompt: "Thank you",
  });
  assert.equal(text, "(en→it) Thank you");
  assert.deepEqual(calls[0].inputs, { text: "Thank you", target_lang: "it" });
});

Deno.test("an answer without the translation is an INTERNAL error naming the model, never empty text", async () => {
  await using app = await setup();
  app.emu.fault({
    body: JSON.stringify({ result: {}, success: true, errors: [] }),
    contentType: "application/json",
  });
  const e = await failure(() =>
    app.ai.generate({ model: cloudflareAI.model(M2M, { targetLang: "fr" }), prompt: "Hi" })
  );
  assert.equal(e.status, "INTERNAL");
  assert.match(e.message, /m2m100-1\.2b .*translated_text/);
});

Deno.test("the summarization model is retired: NOT_FOUND before any request, naming a text model", async () => {
  await using app = await setup();
  const e = await failure(() =>
    app.ai.generate({
      model: "cloudflare-ai/@cf/facebook/bart-large-cnn",
      prompt: "Summarise this.",
    })
  );
  assert.equal(e.status, "NOT_FOUND");
  assert.match(
    e.message,
    /bart-large-cnn was retired .*summari[sz]e.*@cf\/meta\/llama-3\.1-8b-instruct-fast/,
  );
  assert.equal(modelRequests(app.emu).length, 0);
});
