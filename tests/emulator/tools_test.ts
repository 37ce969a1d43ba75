// Function calling: each model's tool-call shape, streamed or not, and its validation.
import assert from "node:assert/strict";
import { startEmulator } from "../../src/testing/mod.ts";
import {
  call,
  errorOf,
  GPT_OSS,
  LLAMA_33,
  MISTRAL,
  post,
  QWEN3,
  run,
  SCOUT,
  sseData,
  user,
} from "./_helpers.ts";

const WEATHER_PARAMS = {
  type: "object",
  properties: {
    city: { type: "string", description: "City name" },
    days: { type: "integer", description: "Days ahead" },
    unit: { type: "string", enum: ["c", "f"], description: "Unit" },
    verbose: { type: "boolean", description: "More detail" },
    tags: { type: "array", items: { type: "string" }, description: "Tags" },
    options: { type: "object", properties: {}, description: "Options" },
  },
  required: ["city"],
};
const FLAT_WEATHER = { name: "get_weather", description: "Weather", parameters: WEATHER_PARAMS };
const OPENAI_WEATHER = { type: "function", function: FLAT_WEATHER };
const LOOKUP = {
  type: "function",
  function: {
    name: "lookup",
    description: "Looks a word up",
    parameters: {
      type: "object",
      properties: { word: { type: "string", description: "The word" } },
    },
  },
};
/** An OpenAI-style model whose published input has tool_choice. */
const GLM = "@cf/zai-org/glm-4.7-flash";
const WEATHER_ARGS = {
  city: "Paris",
  days: 1,
  unit: "c",
  verbose: true,
  tags: [],
  options: {},
};

Deno.test("tool calls: native models answer {response: null, tool_calls: [{name, arguments}]}", async () => {
  await using emu = await startEmulator();
  for (const tools of [[FLAT_WEATHER], [OPENAI_WEATHER]]) {
    const { body } = await call(emu, LLAMA_33, {
      messages: [user("What is the weather? city=Paris.")],
      tools,
    });
    assert.equal(body.result.response, null);
    assert.deepEqual(body.result.tool_calls, [{ name: "get_weather", arguments: WEATHER_ARGS }]);
    assert.equal(typeof body.result.usage.completion_tokens, "number");
  }
  // Named tools are called in order of appearance; without a name, the first tool.
  let { body } = await call(emu, MISTRAL, {
    messages: [user("use get_weather, then lookup word=cat")],
    tools: [LOOKUP, OPENAI_WEATHER],
  });
  assert.deepEqual(body.result.tool_calls.map((c: { name: string }) => c.name), [
    "get_weather",
    "lookup",
  ]);
  assert.deepEqual(body.result.tool_calls[1].arguments, { word: "cat" });
  assert.equal(body.result.tool_calls[0].arguments.city, "city-value");
  ({ body } = await call(emu, LLAMA_33, {
    messages: [user("hello")],
    tools: [LOOKUP, OPENAI_WEATHER],
  }));
  assert.deepEqual(body.result.tool_calls, [
    { name: "lookup", arguments: { word: "word-value" } },
  ]);
  // A named tool_choice wins; "none" answers text (on a model whose definition has tool_choice).
  ({ body } = await call(emu, GLM, {
    messages: [user("lookup please")],
    tools: [LOOKUP, OPENAI_WEATHER],
    tool_choice: { type: "function", function: { name: "get_weather" } },
  }));
  const names = body.result.choices[0].message.tool_calls.map((
    c: { function: { name: string } },
  ) => c.function.name);
  assert.deepEqual(names, ["get_weather"]);
  ({ body } = await call(emu, GLM, {
    messages: [user("lookup please")],
    tools: [LOOKUP],
    tool_choice: "none",
  }));
  assert.equal(
    body.result.choices[0].message.content,
    `Hello from ${GLM}! You said: lookup please`,
  );
  // Llama 3.3's published input has no tool_choice: the schema refuses it.
  const refused = await errorOf(
    await run(emu, LLAMA_33, { messages: [user("x")], tools: [LOOKUP], tool_choice: "none" }),
  );
  assert.equal(refused.code, 5006);
  assert.match(refused.message, /Additional or unevaluated properties '\/tool_choice' at '\/'/);
});

Deno.test("tool calls: llama-4-scout wraps calls, arguments stay objects", async () => {
  await using emu = await startEmulator();
  const { body } = await call(emu, SCOUT, {
    messages: [user("get_weather city=Oslo")],
    tools: [FLAT_WEATHER],
  });
  assert.equal(body.result.response, "");
  const [c] = body.result.tool_calls;
  assert.match(c.id, /^chatcmpl-tool-[0-9a-f]{32}$/);
  assert.equal(c.type, "function");
  assert.deepEqual(c.function, {
    name: "get_weather",
    arguments: { ...WEATHER_ARGS, city: "Oslo" },
  });
});

Deno.test("tool calls: chat.completion models carry string arguments and finish_reason tool_calls", async () => {
  await using emu = await startEmulator();
  const check = (completion: Record<string, unknown>, model: string) => {
    const choice = (completion.choices as Record<string, unknown>[])[0];
    const message = choice.message as Record<string, unknown>;
    assert.equal(choice.finish_reason, "tool_calls", model);
    assert.equal(message.content, null);
    const [c] = message.tool_calls as Record<string, unknown>[];
    assert.match(c.id as string, /^chatcmpl-tool-[0-9a-f]{32}$/);
    assert.equal(c.type, "function");
    const fn = c.function as { name: string; arguments: string };
    assert.equal(fn.name, "get_weather");
    assert.equal(typeof fn.arguments, "string");
    assert.deepEqual(JSON.parse(fn.arguments), { ...WEATHER_ARGS, city: "Rome" });
  };
  const body = { messages: [user("weather city=Rome")], tools: [OPENAI_WEATHER] };
  for (const model of [GPT_OSS, QWEN3, "@cf/zai-org/glm-4.7-flash"]) {
    const res = await call(emu, model, body);
    check(res.body.result, model);
  }
  const gpt = await call(emu, GPT_OSS, body);
  assert.equal(gpt.body.result.choices[0].message.reasoning, "Thinking about: weather city=Rome");
  const v1 = await post(emu, "/ai/v1/chat/completions", { model: LLAMA_33, ...body });
  check(await v1.json(), LLAMA_33);
});

Deno.test("tool calls: gpt-oss puts a forced call in the content as JSON text", async () => {
  await using emu = await startEmulator();
  for (
    const tool_choice of ["required", { type: "function", function: { name: "lookup" } }]
  ) {
    // Its published `/ai/run` input has no tool_choice: a forced call goes through /ai/v1.
    const body = await (await post(emu, "/ai/v1/chat/completions", {
      model: GPT_OSS,
      messages: [user("please use lookup word=sun")],
      tools: [LOOKUP, OPENAI_WEATHER],
      tool_choice,
    })).json();
    const choice = body.choices[0];
    assert.equal(choice.finish_reason, "stop");
    assert.deepEqual(choice.message.tool_calls, []);
    assert.deepEqual(JSON.parse(choice.message.content), {
      name: "lookup",
      arguments: { word: "sun" },
    });
  }
});

Deno.test("tools are validated per model; tool_choice 'any' is 8001", async () => {
  await using emu = await startEmulator();
  const msgs = [user("hi")];
  // Llama Guard 3's published input has no tools.
  let e = await errorOf(
    await run(emu, "@cf/meta/llama-guard-3-8b", { messages: msgs, tools: [FLAT_WEATHER] }),
  );
  assert.equal(e.status, 400);
  assert.equal(e.code, 5006);
  assert.match(e.message, /Additional or unevaluated properties '\/tools' at '\/' not allowed/);
  const noDescription = {
    type: "function",
    function: {
      name: "get_weather",
      description: "Weather",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  };
  e = await errorOf(await run(emu, LLAMA_33, { messages: msgs, tools: [noDescription] }));
  assert.equal(e.code, 5006);
  assert.match(
    e.message,
    /required properties at '\/tools\/0\/function\/parameters\/properties\/city' are 'description'/,
  );
  e = await errorOf(
    await run(emu, LLAMA_33, {
      messages: msgs,
      tools: [{ name: "x", description: "x", parameters: { type: "object" } }],
    }),
  );
  assert.match(e.message, /required properties at '\/tools\/0\/parameters' are 'properties'/);
  // /ai/v1/chat/completions takes properties without descriptions, but only the OpenAI form.
  const ok = await post(emu, "/ai/v1/chat/completions", {
    model: GPT_OSS,
    messages: msgs,
    tools: [noDescription],
  });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  e = await errorOf(
    await post(emu, "/ai/v1/chat/completions", {
      model: GPT_OSS,
      messages: msgs,
      tools: [FLAT_WEATHER],
    }),
  );
  assert.equal(e.code, 5006);
  const v1 = (body: Record<string, unknown>) =>
    post(emu, "/ai/v1/chat/completions", { model: GPT_OSS, ...body });
  e = await errorOf(await v1({ messages: msgs, tools: [OPENAI_WEATHER], tool_choice: "any" }));
  assert.deepEqual(e, { status: 400, code: 8001, message: "Invalid input" });
  e = await errorOf(
    await v1({
      messages: msgs,
      tools: [OPENAI_WEATHER],
      tool_choice: { type: "function", function: { name: "nope" } },
    }),
  );
  assert.equal(e.code, 8001);
});

Deno.test("native stream of tool calls: start, argument deltas, finalize, usage", async () => {
  await using emu = await startEmulator();
  const res = await run(emu, LLAMA_33, {
    messages: [user("get_weather city=Lima and lookup word=llama")],
    tools: [OPENAI_WEATHER, LOOKUP],
    stream: true,
  });
  const data = sseData(await res.text());
  assert.equal(data.at(-1), "[DONE]");
  const events = data.slice(0, -1).map((d) => JSON.parse(d));
  assert.deepEqual(events.at(-1).response, "");
  assert.ok(events.at(-1).usage.completion_tokens > 0);
  const calls: { id?: string; name?: string; args: string; finalized: boolean }[] = [];
  for (const ev of events.slice(0, -1)) {
    for (const tc of ev.tool_calls) {
      const c = calls[tc.index] ??= { args: "", finalized: false };
      if (tc.id === null) {
        assert.deepEqual(tc, { index: tc.index, id: null, type: null, function: { name: null } });
        c.finalized = true;
      } else if (tc.id !== undefined) {
        assert.equal(ev.response, "");
        assert.equal(tc.type, "function");
        assert.equal(tc.function.arguments, undefined);
        c.id = tc.id;
        c.name = tc.function.name;
      } else {
        assert.ok(tc.function.arguments.length <= 8);
        assert.equal(typeof ev.p, "string");
        c.args += tc.function.arguments;
      }
    }
  }
  assert.equal(calls.length, 2);
  assert.deepEqual(calls.map((c) => c.name), ["get_weather", "lookup"]);
  assert.ok(calls.every((c) => c.finalized && typeof c.id === "string"));
  assert.deepEqual(JSON.parse(calls[0].args), { ...WEATHER_ARGS, city: "Lima" });
  assert.deepEqual(JSON.parse(calls[1].args), { word: "llama" });
});

Deno.test("OpenAI chunk stream of tool calls: deltas by index, finish_reason tool_calls", async () => {
  await using emu = await startEmulator();
  for (const path of [`/ai/run/${GPT_OSS}`, "/ai/v1/chat/completions"]) {
    const res = await post(emu, path, {
      model: path.startsWith("/ai/v1") ? LLAMA_33 : undefined,
      messages: [user("get_weather city=Kyiv")],
      tools: [OPENAI_WEATHER],
      stream: true,
    });
    const data = sseData(await res.text());
    assert.equal(data.at(-1), "[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    const last = chunks.at(-1);
    assert.equal(last.choices[0].finish_reason, "tool_calls");
    assert.ok(last.usage.total_tokens > 0);
    const deltas = chunks.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    assert.equal(deltas[0].index, 0);
    assert.match(deltas[0].id, /^chatcmpl-tool-/);
    assert.equal(deltas[0].type, "function");
    assert.deepEqual(deltas[0].function, { name: "get_weather", arguments: "" });
    assert.ok(deltas.slice(1).every((d: { id?: string }) => d.id === undefined));
    const args = deltas.map((d: { function: { arguments: string } }) => d.function.arguments)
      .join("");
    assert.deepEqual(JSON.parse(args), { ...WEATHER_ARGS, city: "Kyiv" });
  }
});

Deno.test("tool results are answered and the tool-call history is validated", async () => {
  await using emu = await startEmulator();
  const history = (id: string, toolMsg: Record<string, unknown>) => [
    user("weather in Paris?"),
    {
      role: "assistant",
      content: "",
      tool_calls: [
        {
          id,
          type: "function",
          function: { name: "get_weather", arguments: '{"city":"Paris"}' },
        },
        { id: `${id}2`, type: "function", function: { name: "lookup", arguments: "{}" } },
      ],
    },
    { role: "tool", tool_call_id: id, content: "sunny", ...toolMsg },
    { role: "tool", tool_call_id: `${id}2`, name: "lookup", content: "found" },
  ];
  let { body } = await call(emu, LLAMA_33, {
    messages: history("call_1", {}),
    tools: [OPENAI_WEATHER, LOOKUP],
  });
  assert.equal(body.result.response, "Tool results: get_weather=sunny; lookup=found");
  assert.deepEqual(body.result.tool_calls, []);
  ({ body } = await call(emu, GPT_OSS, { messages: history("call_1", {}) }));
  assert.equal(
    body.result.choices[0].message.content,
    "Tool results: get_weather=sunny; lookup=found",
  );
  const missing = history("call_1", {});
  delete (missing[2] as Record<string, unknown>).tool_call_id;
  let e = await errorOf(await run(emu, LLAMA_33, { messages: missing }));
  assert.equal(e.code, 5006);
  assert.match(e.message, /'\/messages\/2' are 'tool_call_id'/);
  e = await errorOf(
    await run(emu, LLAMA_33, { messages: history("call_1", { tool_call_id: "other" }) }),
  );
  assert.equal(e.code, 5006);
  assert.match(e.message, /tool_call_id 'other'/);
  // Mistral Small 3.1 wants ids of 9 letters or digits.
  e = await errorOf(await run(emu, MISTRAL, { messages: history("call_1", {}) }));
  assert.equal(e.code, 5006);
  // Its published schema gives tool_call_id a pattern of 9 letters or digits.
  assert.match(e.message, /String at '\/messages\/2\/tool_call_id' does not match pattern/);
  ({ body } = await call(emu, MISTRAL, {
    messages: [
      user("lookup"),
      {
        role: "assistant",
        content: "",
        tool_calls: [{
          id: "000000001",
          type: "function",
          function: { name: "lookup", arguments: '{"word":"x"}' },
        }],
      },
      { role: "tool", tool_call_id: "000000001", content: "ok" },
    ],
  }));
  assert.equal(body.result.response, "Tool results: lookup=ok");
  // Mistral's own streamed ids fit its pattern.
  const stream = await run(emu, MISTRAL, {
    messages: [user("lookup")],
    tools: [LOOKUP],
    stream: true,
  });
  const start = JSON.parse(sseData(await stream.text())[0]);
  assert.match(start.tool_calls[0].id, /^[a-zA-Z0-9]{9}$/);
  // Arguments that are not JSON text are refused.
  const broken = history("call_1", {});
  (broken[1] as { tool_calls: { function: { arguments: string } }[] }).tool_calls[0].function
    .arguments = "{city:";
  e = await errorOf(await run(emu, GPT_OSS, { messages: broken }));
  assert.equal(e.code, 5006);
});
