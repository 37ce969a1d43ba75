// JSON mode: response_format, guided_json and the OpenAI envelope, per model.
import assert from "node:assert/strict";
import { startEmulator } from "../../src/testing/mod.ts";
import {
  call,
  errorOf,
  GPT_OSS,
  LLAMA,
  LLAMA_33,
  MISTRAL,
  post,
  QWEN3,
  run,
  SCOUT,
  user,
  VISION,
} from "./_helpers.ts";

const PERSON = {
  type: "object",
  properties: {
    name: { type: "string" },
    age: { type: "integer", minimum: 18 },
    address: { $ref: "#/$defs/address" },
    pets: { type: "array", items: { type: "string" } },
    role: { enum: ["admin", "user"] },
  },
  required: ["name"],
  $defs: {
    address: { type: "object", properties: { city: { type: "string" }, zip: { type: "number" } } },
  },
};
const PERSON_VALUE = {
  name: "Ada",
  age: 18,
  address: { city: "city-value", zip: 1 },
  pets: ["pets-value"],
  role: "admin",
};

Deno.test("JSON mode: response_format answers per model (string, object, number)", async () => {
  await using emu = await startEmulator();
  const rf = (json_schema: unknown) => ({
    messages: [user("describe name=Ada")],
    response_format: { type: "json_schema", json_schema },
  });
  let { body } = await call(emu, LLAMA_33, rf(PERSON));
  assert.equal(typeof body.result.response, "string");
  assert.deepEqual(JSON.parse(body.result.response), PERSON_VALUE);
  for (const model of [LLAMA, SCOUT, VISION]) {
    ({ body } = await call(emu, model, rf(PERSON)));
    assert.deepEqual(body.result.response, PERSON_VALUE, model);
  }
  for (const model of [LLAMA, LLAMA_33]) {
    ({ body } = await call(emu, model, rf({ type: "number" })));
    assert.equal(body.result.response, 1, model);
  }
  ({ body } = await call(emu, LLAMA, {
    messages: [user("x")],
    response_format: { type: "json_object" },
  }));
  assert.deepEqual(body.result.response, { answer: `Hello from ${LLAMA}! You said: x` });
  // qwen3-30b answers a chat.completion: the JSON text is the content.
  ({ body } = await call(emu, QWEN3, rf(PERSON)));
  assert.deepEqual(JSON.parse(body.result.choices[0].message.content), PERSON_VALUE);
  // An OpenAI envelope sent to a native model is misread: the answer ignores the inner schema.
  ({ body } = await call(emu, LLAMA, rf({ name: "person", schema: PERSON, strict: true })));
  assert.deepEqual(body.result.response, { name: "name-value", schema: {}, strict: true });
});

Deno.test("JSON mode: guided_json and the OpenAI envelope answer JSON text", async () => {
  await using emu = await startEmulator();
  let { body } = await call(emu, MISTRAL, {
    messages: [user("describe name=Ada")],
    guided_json: PERSON,
  });
  assert.deepEqual(JSON.parse(body.result.response), PERSON_VALUE);
  const envelope = {
    messages: [user("describe name=Ada")],
    response_format: {
      type: "json_schema",
      json_schema: { name: "person", schema: PERSON, strict: true },
    },
  };
  ({ body } = await call(emu, GPT_OSS, envelope));
  assert.deepEqual(JSON.parse(body.result.choices[0].message.content), PERSON_VALUE);
  const v1 = await (await post(emu, "/ai/v1/chat/completions", { model: LLAMA_33, ...envelope }))
    .json();
  assert.deepEqual(JSON.parse(v1.choices[0].message.content), PERSON_VALUE);
  // A bare schema where OpenAI input wants the envelope is refused.
  const e = await errorOf(
    await run(emu, GPT_OSS, {
      messages: [user("x")],
      response_format: { type: "json_schema", json_schema: PERSON },
    }),
  );
  assert.equal(e.code, 5006);
});

Deno.test("JSON mode: the wrong mechanism and streaming are refused", async () => {
  await using emu = await startEmulator();
  const msgs = [user("x")];
  const rf = { type: "json_schema", json_schema: PERSON };
  let e = await errorOf(await run(emu, MISTRAL, { messages: msgs, response_format: rf }));
  assert.equal(e.code, 5006);
  assert.match(e.message, /Additional or unevaluated properties '\/response_format'/);
  e = await errorOf(await run(emu, LLAMA_33, { messages: msgs, guided_json: PERSON }));
  assert.match(e.message, /Additional or unevaluated properties '\/guided_json'/);
  // Llama 3.2 3B's published input has no response_format, and no JSON mode page lists it.
  e = await errorOf(
    await run(emu, "@cf/meta/llama-3.2-3b-instruct", { messages: msgs, response_format: rf }),
  );
  assert.equal(e.code, 5006);
  for (
    const [model, body] of [
      [LLAMA_33, { response_format: rf }],
      [MISTRAL, { guided_json: PERSON }],
      [GPT_OSS, { response_format: { type: "json_object" } }],
    ] as const
  ) {
    e = await errorOf(await run(emu, model, { messages: msgs, stream: true, ...body }));
    assert.deepEqual(e, {
      status: 400,
      code: 5006,
      message: "AiError: Bad input: JSON Mode does not support streaming",
    });
  }
});
