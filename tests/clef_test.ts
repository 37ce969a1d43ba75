// The Clef decision models through genkit(): the prompt is the state, the
// output schema's fields are the questions, the answers come back as
// response.output with Cloudflare's probabilities in response.custom; over
// REST and a binding, with every refusal before any request.
import assert from "node:assert/strict";
import { z } from "genkit";
import { cloudflareAI } from "../mod.ts";
import type { ClefCustom } from "../src/clef/config.ts";
import { PUBLISHED_SCHEMAS } from "../src/definitions/schemas.ts";
import { lookup } from "../src/families.ts";
import { startEmulator } from "../src/testing/mod.ts";
import { bindingApp, dataUrlOf, PNG_URL, wav } from "./_tasks.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

const CLEF = "@cf/cloudflare/clef";
const FLASH = "@cf/cloudflare/clef-flash";
const OMNI = "@cf/cloudflare/clef-omni";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;
const inputOf = (id: string) => PUBLISHED_SCHEMAS[id].input as Json;
/** The published question schema of a kind (`Noul`, `Choice`, `Score`), by its `type` enum. */
const questionSchema = (id: string, type: string) =>
  (inputOf(id).properties.questions.additionalProperties.oneOf as Json[])
    .find((q) => q.properties.type.enum[0] === type)!;

const Triage = z.object({
  spam: z.boolean().describe("Is this message unsolicited advertising or a scam?"),
  tone: z.enum(["calm", "annoyed", "angry"]).describe("How does the writer sound?"),
  urgency: z.number().int().min(1).max(5).describe("How urgently does this need a reply?"),
  risk: z.number().min(0).max(1).describe("How likely is this message to be fraud?"),
});
const MESSAGE = "My order #4411 arrived broken and I need a replacement before Friday.";

const envelope = (result: unknown) => ({
  body: JSON.stringify({ result, success: true, errors: [], messages: [] }),
  contentType: "application/json",
});

Deno.test("Clef asks each output field as the published question of its kind and maps the answers back", async () => {
  await using app = await setup();
  const res = await app.ai.generate({
    model: cloudflareAI.model(CLEF),
    prompt: MESSAGE,
    output: { schema: Triage },
  });
  const [sent] = modelRequests(app.emu);
  const body = sent.body as Json;
  // The selector matches the published pattern of the model's `model` field.
  assert.match(body.model, new RegExp(inputOf(CLEF).properties.model.pattern));
  assert.equal(body.state, MESSAGE);
  assert.deepEqual(Object.keys(body.questions), ["spam", "tone", "urgency", "risk"]);
  assert.deepEqual(body.questions.spam, {
    type: "noul",
    instructions: "Is this message unsolicited advertising or a scam?",
  });
  assert.deepEqual(body.questions.tone, {
    type: "choice",
    instructions: "How does the writer sound?",
    criteria: { calm: null, annoyed: null, angry: null },
  });
  assert.equal(body.questions.urgency.type, "score");
  assert.equal(body.questions.urgency.criteria.length, 5); // one level per whole number 1..5
  const levels = questionSchema(CLEF, "score").properties.criteria;
  for (const q of [body.questions.urgency, body.questions.risk]) {
    assert.ok(q.criteria.length >= levels.minItems && q.criteria.length <= levels.maxItems);
  }

  const output = res.output as z.infer<typeof Triage>;
  const { answers, model } = res.custom as ClefCustom;
  assert.equal(model, body.model);
  const spam = answers.spam as { noul: number };
  assert.equal(output.spam, spam.noul >= 0.5);
  const tone = answers.tone as { choice: string; probabilities: Record<string, number> };
  assert.equal(output.tone, tone.choice);
  assert.deepEqual(Object.keys(tone.probabilities).sort(), ["angry", "annoyed", "calm"]);
  const urgency = answers.urgency as { score: number; legend: Record<string, unknown> };
  assert.deepEqual(Object.keys(urgency.legend), ["0", "1", "2", "3", "4"]);
  assert.equal(output.urgency, Math.round(1 + urgency.score));
  assert.ok(Number.isInteger(output.urgency) && output.urgency >= 1 && output.urgency <= 5);
  const risk = answers.risk as { score: number; legend: Record<string, unknown> };
  const steps = Object.keys(risk.legend).length - 1;
  assert.ok(Math.abs(output.risk - risk.score / steps) < 1e-9);
  assert.ok(res.usage.inputTokens! > 0);
});

Deno.test("Clef answers map exactly: yes at 0.5, the chosen option, the expected level on the field's range", async () => {
  await using app = await setup();
  const Schema = z.object({
    yes: z.boolean().describe("Yes?"),
    no: z.boolean().describe("No?"),
    pick: z.enum(["a", "b"]).describe("Which?"),
    stars: z.number().int().min(1).max(5).describe("Stars?"),
    share: z.number().min(0).max(1).describe("Share?"),
  });
  const answers = {
    yes: { type: "noul", noul: 0.5 },
    no: { type: "noul", noul: 0.49 },
    pick: { type: "choice", choice: "b", probabilities: { a: 0.3, b: 0.7 }, confidence: 0.7 },
    stars: {
      type: "score",
      score: 1.5,
      legend: { "0": "1", "1": "2", "2": "3", "3": "4", "4": "5" },
      probabilities: { "0": 0.1, "1": 0.4, "2": 0.4, "3": 0.1, "4": 0 },
      confidence: 0.4,
    },
    share: {
      type: "score",
      score: 3,
      legend: { "0": "0", "1": "0.25", "2": "0.5", "3": "0.75", "4": "1" },
      probabilities: { "0": 0, "1": 0, "2": 0, "3": 1, "4": 0 },
      confidence: 1,
    },
  };
  app.emu.fault(
    envelope({ model: "clef-flash", answers, usage: { input_tokens: 40, output_tokens: 5 } }),
  );
  const res = await app.ai.generate({
    model: cloudflareAI.model(FLASH),
    prompt: "Anything",
    output: { schema: Schema },
  });
  assert.deepEqual(res.output, { yes: true, no: false, pick: "b", stars: 3, share: 0.75 });
  assert.deepEqual((res.custom as ClefCustom).answers, answers);
  assert.deepEqual(res.usage, { inputTokens: 40, outputTokens: 5, totalTokens: 45 });

  // An answer to a question that was not asked that way is the model's fault: INTERNAL.
  app.emu.fault(
    envelope({
      model: "clef-flash",
      answers: { ...answers, pick: { type: "noul", noul: 1 } },
      usage: {},
    }),
  );
  const e = await failure(() =>
    app.ai.generate({ model: cloudflareAI.model(FLASH), prompt: "x", output: { schema: Schema } })
  );
  assert.equal(e.status, "INTERNAL");
  assert.match(e.message, /clef-flash.*"pick"/);
});

Deno.test("Clef's state is the prompt's text and data: one part alone, several as an array", async () => {
  await using app = await setup();
  const schema = z.object({ late: z.boolean().describe("Is the shipment late?") });
  const data = { shipped: "2026-11-30", promised: "2026-11-28" };
  await app.ai.generate({
    model: cloudflareAI.model(CLEF),
    prompt: [{ data }],
    output: { schema },
  });
  await app.ai.generate({
    model: cloudflareAI.model(CLEF),
    prompt: [{ text: "The shipment:" }, { data }, { media: { url: PNG_URL } }],
    output: { schema },
  });
  const [one, two] = modelRequests(app.emu).map((r) => r.body as Json);
  assert.deepEqual(one.state, data);
  assert.deepEqual(two.state, ["The shipment:", data]);
  assert.equal(two.images.length, 1);
  assert.equal(two.images[0].content_type, "image/png");
});

Deno.test("Clef Omni takes audio and video with the state; Clef refuses them before any request", async () => {
  await using app = await setup();
  const schema = z.object({ crying: z.boolean().describe("Is a baby crying?") });
  const clip = dataUrlOf(wav(0.2, 0), "audio/wav");
  const video = "data:video/mp4;base64,AAAAIGZ0eXBpc29tAAACAGlzb21pc28y";
  const prompt = [{ text: "Nursery monitor" }, { media: { url: clip } }, { media: { url: video } }];
  const res = await app.ai.generate({
    model: cloudflareAI.model(OMNI),
    prompt,
    output: { schema },
  });
  assert.equal(typeof (res.output as { crying: boolean }).crying, "boolean");
  const body = modelRequests(app.emu)[0].body as Json;
  assert.match(body.model, new RegExp(inputOf(OMNI).properties.model.pattern));
  assert.equal(body.audio[0].content_type, "audio/wav");
  assert.deepEqual(body.videos, [video]);

  for (const id of [CLEF, FLASH]) {
    assert.equal(inputOf(id).properties.audio, undefined); // not in Clef's published input
    for (const part of [prompt[1], prompt[2]]) {
      const e = await failure(() =>
        app.ai.generate({
          model: cloudflareAI.model(id),
          prompt: [prompt[0], part],
          output: { schema },
        })
      );
      assert.equal(e.status, "INVALID_ARGUMENT");
      assert.match(e.message, new RegExp(`${id} reads images.*clef-omni`));
    }
  }
  // More images than the published maxItems.
  const max = inputOf(CLEF).properties.images.maxItems as number;
  const images = Array.from({ length: max + 1 }, () => ({ media: { url: PNG_URL } }));
  const many = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model(CLEF),
      prompt: [{ text: "x" }, ...images],
      output: { schema },
    })
  );
  assert.match(many.message, new RegExp(`at most ${max} images`));
  assert.equal(modelRequests(app.emu).length, 1);
});

Deno.test("a Clef request without questions it can ask is refused before any request, naming the field", async () => {
  await using app = await setup();
  const model = cloudflareAI.model(CLEF);
  const yes = z.boolean().describe("Yes?");
  const cases: [Json, RegExp][] = [
    [
      { prompt: "x" },
      /questions are the fields of the request's output schema; the request has none/,
    ],
    [
      { prompt: "x", output: { schema: z.object({ name: z.string().describe("Who?") }) } },
      /field "name": it is a string without enum/,
    ],
    [
      { prompt: "x", output: { schema: z.object({ n: z.number().describe("How many?") }) } },
      /field "n": it is a number without an inclusive minimum/,
    ],
    [
      { prompt: "x", output: { schema: z.object({ o: z.object({ yes }).describe("Nested") }) } },
      /field "o": it is a nested object/,
    ],
    [
      { prompt: "x", output: { schema: z.object({ l: z.array(yes).describe("List") }) } },
      /field "l": it is an array/,
    ],
    [
      { prompt: "x", output: { schema: z.object({ one: z.enum(["only"]).describe("One") }) } },
      /field "one": it has 1 enum values/,
    ],
    [
      { prompt: "x", output: { schema: z.object({ bare: z.boolean() }) } },
      /field "bare" has none: describe it/,
    ],
    [
      { prompt: "x", output: { schema: z.object({ "a b": yes }) } },
      /field "a b": a question's name/,
    ],
    [{ prompt: "x", output: { schema: z.object({}) } }, /takes 1 to 64 questions/],
    [{ prompt: "x", output: { schema: z.array(yes) } }, /an object of fields/],
    [
      { prompt: [{ media: { url: PNG_URL } }], output: { schema: z.object({ yes }) } },
      /no text or data part/,
    ],
    [
      { prompt: "x", output: { schema: z.object({ yes }) }, config: { temperature: 0 } },
      /config\.temperature is not supported/,
    ],
    [{
      prompt: "x",
      output: { schema: z.object({ yes }) },
      messages: [{ role: "user", content: [{ text: "earlier" }] }, {
        role: "model",
        content: [{ text: "ok" }],
      }],
    }, /single user message/],
    [
      { prompt: "x", system: "Be strict.", output: { schema: z.object({ yes }) } },
      /single user message/,
    ],
    [
      { prompt: "x", output: { schema: z.object({ yes }) }, docs: [{ content: [{ text: "d" }] }] },
      /takes no documents/,
    ],
  ];
  for (const [request, message] of cases) {
    const e = await failure(() => app.ai.generate({ model, ...request } as never));
    assert.equal(e.status, "INVALID_ARGUMENT", `${message}: ${e.message}`);
    assert.match(e.message, message);
    assert.match(e.message, /clef/);
  }
  const tool = app.ai.defineTool(
    { name: "lookup", description: "Looks up", inputSchema: z.object({}) },
    () => Promise.resolve("x"),
  );
  const e = await failure(() =>
    app.ai.generate({ model, prompt: "x", tools: [tool], output: { schema: z.object({ yes }) } })
  );
  assert.match(e.message, /takes no tools/);
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("Clef over a binding sends the same body and reads the bare result", async () => {
  await using emu = await startEmulator();
  const { ai, calls } = bindingApp(emu);
  const schema = z.object({ tone: z.enum(["calm", "angry"]).describe("How does it sound?") });
  const res = await ai.generate({
    model: cloudflareAI.model(CLEF),
    prompt: MESSAGE,
    output: { schema },
  });
  assert.deepEqual(calls[0].inputs, {
    model: "clef",
    state: MESSAGE,
    questions: {
      tone: {
        type: "choice",
        instructions: "How does it sound?",
        criteria: { calm: null, angry: null },
      },
    },
  });
  const { answers } = res.custom as ClefCustom;
  assert.equal((res.output as { tone: string }).tone, (answers.tone as { choice: string }).choice);
});

Deno.test("the Clef ids are the Clef family's, whatever task the model search files them under", () => {
  for (const id of [CLEF, FLASH, OMNI]) {
    // Cloudflare's published task for them is one the text family serves.
    assert.equal(PUBLISHED_SCHEMAS[id].task, "Text Generation");
    for (const hints of [{}, { task: "Text Generation" }]) {
      const { families, refusal } = lookup("model", id, hints);
      assert.deepEqual(families.map((f) => f.name), ["clef"]);
      assert.equal(refusal, undefined);
    }
  }
});

Deno.test("the emulator judges Clef bodies by the published input schema", async () => {
  await using emu = await startEmulator();
  const run = (body: unknown) =>
    fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${CLEF}`, {
      method: "POST",
      headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  const yes = { type: "noul", instructions: "Yes?" };
  const ok = await run({ model: "clef", state: "x", questions: { yes } });
  assert.equal(ok.success, true);
  const max = inputOf(CLEF).properties.questions.maxProperties as number;
  const tooMany = Object.fromEntries(Array.from({ length: max + 1 }, (_, i) => [`q${i}`, yes]));
  const bad = [
    { model: "clef", questions: { yes } }, // no state
    { model: "clef-omni", state: "x", questions: { yes } }, // another model's selector
    { model: "clef", state: "x", questions: {} },
    { model: "clef", state: "x", questions: tooMany },
    { model: "clef", state: "x", questions: { c: { type: "choice", instructions: "?" } } },
    {
      model: "clef",
      state: "x",
      questions: { s: { type: "score", instructions: "?", criteria: ["only"] } },
    },
    { model: "clef", state: "x", questions: { yes }, images: ["https://example.com/a.png"] },
  ];
  for (const body of bad) {
    const answer = await run(body);
    assert.equal(answer.success, false, JSON.stringify(body));
    assert.equal(answer.errors[0].code, 5006, JSON.stringify(answer));
  }
});
