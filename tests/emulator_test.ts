import assert from "node:assert/strict";
import { startEmulator } from "../src/testing/mod.ts";
import type { Emulator } from "../src/testing/mod.ts";
import { startEmulatorOn } from "../src/testing/emulator.ts";

const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";
const GPT_OSS = "@cf/openai/gpt-oss-120b";

function post(emu: Emulator, path: string, body: unknown, init: RequestInit = {}) {
  return fetch(`${emu.url}/accounts/${emu.accountId}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    ...init,
  });
}

const run = (emu: Emulator, model: string, body: unknown, init?: RequestInit) =>
  post(emu, `/ai/run/${model}`, body, init);

/** Sends a request the emulator hangs on, aborts it, and waits until the emulator lets it go. */
async function hangThenAbort(emu: Emulator): Promise<void> {
  emu.fault({ hang: true });
  const ac = new AbortController();
  const pending = run(emu, LLAMA, { prompt: "x" }, { signal: ac.signal });
  while (emu.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
  ac.abort();
  await assert.rejects(pending);
  while (emu.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
}

/** Parses an SSE body into its data payloads. */
function sseData(text: string): string[] {
  return text.split(/\r?\n\r?\n/).filter((e) => e.startsWith("data: ")).map((e) => e.slice(6));
}

function norm(v: number[]): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

Deno.test("a missing or wrong token gets the 401 Cloudflare envelope", async () => {
  await using emu = await startEmulator();
  const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${LLAMA}`, {
    method: "POST",
    headers: { authorization: "Bearer nope" },
    body: JSON.stringify({ prompt: "hi" }),
  });
  assert.equal(res.status, 401);
  assert.deepEqual(await res.json(), {
    result: null,
    success: false,
    errors: [{ code: 10000, message: "Authentication error" }],
    messages: [],
  });
  assert.equal(emu.requests.length, 1);
  assert.equal(emu.requests[0].status, 401);
  assert.equal(emu.requests[0].route, "run");
  assert.equal(emu.requests[0].model, LLAMA);
});

Deno.test("routing and validation errors look like Workers AI", async () => {
  await using emu = await startEmulator();
  let res = await fetch(`${emu.url}/accounts/other/ai/run/${LLAMA}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.apiToken}` },
    body: "{}",
  });
  assert.equal(res.status, 404);
  assert.equal((await res.json()).errors[0].code, 7003);
  res = await run(emu, "@cf/meta/llama-3.1-8b-instruct", { prompt: "hi" });
  assert.equal(res.status, 400);
  assert.deepEqual((await res.json()).errors[0], {
    code: 5007,
    message: "AiError: No such model @cf/meta/llama-3.1-8b-instruct or task",
  });
  for (
    const body of [
      {},
      { prompt: "hi", stop: ["x"] },
      { prompt: "hi", temperature: 6 },
      { prompt: "hi", top_k: 1.5 },
    ]
  ) {
    res = await run(emu, LLAMA, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    const json = await res.json();
    assert.equal(json.errors[0].code, 5006);
    assert.match(json.errors[0].message, /^AiError: Bad input: /);
  }
  res = await run(emu, GPT_OSS, { messages: [{ role: "user", content: "hi" }], top_k: 3 });
  assert.equal(res.status, 400);
  await res.body?.cancel();
});

Deno.test("native family answers {response, tool_calls, usage} in the envelope", async () => {
  await using emu = await startEmulator();
  const res = await run(emu, LLAMA, {
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "ping me" }] },
    ],
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  const reply = `Hello from ${LLAMA}! You said: ping me`;
  assert.deepEqual(body, {
    result: {
      response: reply,
      tool_calls: [],
      usage: { prompt_tokens: 4, completion_tokens: 7, total_tokens: 11 },
    },
    success: true,
    errors: [],
    messages: [],
  });
});

Deno.test("openai family answers a chat.completion with reasoning", async () => {
  await using emu = await startEmulator();
  const res = await run(emu, GPT_OSS, { messages: [{ role: "user", content: "hi" }] });
  const { result } = await res.json();
  assert.equal(result.object, "chat.completion");
  assert.equal(result.model, GPT_OSS);
  assert.match(result.id, /^chatcmpl-/);
  const choice = result.choices[0];
  assert.equal(choice.message.content, `Hello from ${GPT_OSS}! You said: hi`);
  assert.equal(choice.message.reasoning, "Thinking about: hi");
  assert.equal(choice.finish_reason, "stop");
  assert.equal(result.usage.completion_tokens, 3 + 6);

  const glm = await run(emu, "@cf/zai-org/glm-4.7-flash", {
    messages: [{ role: "user", content: "hi" }],
  });
  const glmBody = await glm.json();
  assert.equal(glmBody.result.choices[0].message.reasoning_content, "Thinking about: hi");

  const v1 = await post(emu, "/ai/v1/chat/completions", {
    model: LLAMA,
    messages: [{ role: "user", content: "hi" }],
  });
  const completion = await v1.json();
  assert.equal(completion.object, "chat.completion");
  assert.equal(completion.choices[0].message.content, `Hello from ${LLAMA}! You said: hi`);
  assert.equal(emu.requests.at(-1)?.route, "chat-completions");
  assert.equal(emu.requests.at(-1)?.model, LLAMA);
});

Deno.test("max_tokens truncates the reply and reports finish_reason length", async () => {
  await using emu = await startEmulator();
  let res = await run(emu, LLAMA, { prompt: "a b c", max_tokens: 3 });
  let { result } = await res.json();
  assert.equal(result.response, `Hello from ${LLAMA}! `);
  assert.equal(result.usage.completion_tokens, 3);
  res = await run(emu, GPT_OSS, { messages: [{ role: "user", content: "x" }], max_tokens: 4 });
  ({ result } = await res.json());
  assert.equal(result.choices[0].finish_reason, "length");
  assert.equal(result.choices[0].message.reasoning, "Thinking about: x");
  assert.equal(result.choices[0].message.content, "Hello ");
  assert.equal(result.usage.completion_tokens, 4);
});

Deno.test("native stream grammar: padding events, usage event, [DONE]", async () => {
  await using emu = await startEmulator();
  const res = await run(emu, LLAMA, { prompt: "hey you", stream: true });
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const data = sseData(await res.text());
  assert.equal(data.at(-1), "[DONE]");
  const events = data.slice(0, -1).map((d) => JSON.parse(d));
  assert.deepEqual(Object.keys(events[0]), ["response", "tool_calls", "p"]);
  assert.equal(events[0].response, "");
  const usage = events.at(-1);
  assert.deepEqual(usage, {
    response: "",
    usage: { prompt_tokens: 2, completion_tokens: 7, total_tokens: 9 },
  });
  assert.equal(events.at(-2).response, undefined);
  const text = events.slice(0, -1).map((e) => e.response ?? "").join("");
  assert.equal(text, `Hello from ${LLAMA}! You said: hey you`);
});

Deno.test("openai chunk grammar: role chunk, deltas, usage chunk with finish_reason, [DONE]", async () => {
  await using emu = await startEmulator({ streamEventDelayMs: 1 });
  const res = await run(emu, GPT_OSS, {
    messages: [{ role: "user", content: "hey" }],
    stream: true,
  });
  const data = sseData(await res.text());
  assert.equal(data.at(-1), "[DONE]");
  const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
  assert.deepEqual(chunks[0].choices[0].delta, { role: "assistant", content: "" });
  assert.ok(chunks.every((c) => c.object === "chat.completion.chunk"));
  const last = chunks.at(-1);
  assert.equal(last.choices[0].finish_reason, "stop");
  assert.equal(last.usage.completion_tokens, 3 + 6);
  assert.ok(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null));
  const reasoning = chunks.map((c) => c.choices[0].delta.reasoning ?? "").join("");
  const content = chunks.map((c) => c.choices[0].delta.content ?? "").join("");
  assert.equal(reasoning, "Thinking about: hey");
  assert.equal(content, `Hello from ${GPT_OSS}! You said: hey`);
});

Deno.test("a 429 fault with Retry-After applies once, then answers normally", async () => {
  await using emu = await startEmulator();
  emu.fault({ status: 429, retryAfter: 7, model: LLAMA });
  let res = await run(emu, GPT_OSS, { messages: [{ role: "user", content: "a" }] });
  assert.equal(res.status, 200, "the fault is for another model");
  await res.body?.cancel();
  res = await run(emu, LLAMA, { prompt: "x" });
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "7");
  const body = await res.json();
  assert.equal(body.success, false);
  assert.equal(body.errors[0].code, 3040);
  assert.match(body.errors[0].message, /^AiError: Capacity temporarily exceeded/);
  res = await run(emu, LLAMA, { prompt: "x" });
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("stream faults: cut, in-stream error, CRLF, small chunks", async () => {
  await using emu = await startEmulator();
  emu.fault({ cutAfterEvents: 2 });
  let text = await (await run(emu, LLAMA, { prompt: "é ü", stream: true })).text();
  assert.equal(sseData(text).length, 2);
  assert.ok(!text.includes("[DONE]"));
  emu.fault({ errorAfterEvents: 1, crlf: true });
  text = await (await run(emu, LLAMA, { prompt: "x", stream: true })).text();
  assert.ok(text.includes("\r\n\r\n"));
  assert.equal(JSON.parse(sseData(text)[1]).error.code, 3040);
  emu.fault({ chunkBytes: 7 });
  const split = await (await run(emu, LLAMA, { prompt: "éééé üüü" })).json();
  assert.equal(split.result.response, `Hello from ${LLAMA}! You said: éééé üüü`);
  emu.fault({ malformed: true });
  const res = await run(emu, LLAMA, { prompt: "x" });
  await assert.rejects(res.json());
});

Deno.test("hang + client abort records aborted: true and frees the slot", async () => {
  await using emu = await startEmulator();
  await hangThenAbort(emu);
  assert.equal(emu.requests[0].aborted, true);
  assert.equal(emu.requests[0].status, undefined);
  assert.equal(emu.maxInFlight, 1);
});

Deno.test("close() ends a hung request", async () => {
  const emu = await startEmulator();
  emu.fault({ hang: true });
  const pending = run(emu, LLAMA, { prompt: "x" }).then((r) => r.text());
  while (emu.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
  await emu.close();
  await assert.rejects(pending);
});

Deno.test("serviceTimeMs lets requests overlap; maxInFlight counts them", async () => {
  await using emu = await startEmulator({ serviceTimeMs: 50 });
  const answers = await Promise.all(
    [1, 2, 3].map((i) => run(emu, LLAMA, { prompt: `n${i}` }).then((r) => r.json())),
  );
  assert.ok(answers.every((a) => a.success));
  assert.equal(emu.maxInFlight, 3);
  assert.equal(emu.inFlight, 0);
});

Deno.test("embeddings have the model's shape and unit-norm vectors", async () => {
  await using emu = await startEmulator();
  const res = await run(emu, "@cf/baai/bge-base-en-v1.5", { text: ["hello world", "hello"] });
  const { result } = await res.json();
  assert.deepEqual(result.shape, [2, 768]);
  assert.equal(result.pooling, "mean");
  for (const v of result.data) assert.ok(Math.abs(norm(v) - 1) < 1e-9);
  const again = await (await run(emu, "@cf/baai/bge-base-en-v1.5", { text: "hello world" })).json();
  assert.deepEqual(again.result.data[0], result.data[0]);
  const tooMany = await run(emu, "@cf/baai/bge-small-en-v1.5", {
    text: Array.from({ length: 101 }, () => "x"),
  });
  assert.equal(tooMany.status, 400);
  assert.equal((await tooMany.json()).errors[0].code, 5006);
  const v1 = await (await post(emu, "/ai/v1/embeddings", {
    model: "@cf/pfnet/plamo-embedding-1b",
    input: ["a b"],
  })).json();
  assert.equal(v1.object, "list");
  assert.equal(v1.data[0].embedding.length, 2048);
  assert.deepEqual(v1.usage, { prompt_tokens: 2, total_tokens: 2 });
});

Deno.test("the reranker puts the relevant context first", async () => {
  await using emu = await startEmulator();
  const res = await run(emu, "@cf/baai/bge-reranker-base", {
    query: "how do cats purr",
    contexts: [
      { text: "Stock markets fell today." },
      { text: "Cats purr by vibrating muscles in the larynx; that is how cats purr." },
      { text: "Dogs bark at strangers." },
    ],
    top_k: 2,
  });
  const { result } = await res.json();
  assert.equal(result.response.length, 2);
  assert.equal(result.response[0].id, 1);
  assert.ok(result.response[0].score > result.response[1].score);
  assert.ok(result.response.every((r: { score: number }) => r.score > 0 && r.score < 1));
});

Deno.test("model search paginates and filters by task", async () => {
  await using emu = await startEmulator();
  const get = async (query: string) => {
    const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/models/search?${query}`, {
      headers: { authorization: `Bearer ${emu.apiToken}` },
    });
    return await res.json();
  };
  const first = await get("per_page=5&page=1");
  assert.equal(first.success, true);
  assert.equal(first.result.length, 5);
  assert.deepEqual(first.result_info, {
    page: 1,
    per_page: 5,
    count: 5,
    total_count: first.result_info.total_count,
  });
  const second = await get("per_page=5&page=2");
  assert.notEqual(second.result[0].id, first.result[0].id);
  const embeddings = await get("task=Text%20Embeddings");
  assert.equal(embeddings.result_info.total_count, 7);
  assert.ok(
    embeddings.result.every((m: { task: { name: string } }) => m.task.name === "Text Embeddings"),
  );
  const llama = await get(`search=${encodeURIComponent("llama-3.3")}`);
  assert.equal(llama.result[0].name, "@cf/meta/llama-3.3-70b-instruct-fp8-fast");
  assert.ok(
    llama.result[0].properties.some((p: { property_id: string; value: string }) =>
      p.property_id === "function_calling" && p.value === "true"
    ),
  );
});

Deno.test("the gateway route answers like /ai/run and records its headers", async () => {
  await using emu = await startEmulator();
  const res = await fetch(`${emu.gatewayUrl}/${emu.accountId}/my-gw/workers-ai/${LLAMA}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.apiToken}`, "cf-aig-skip-cache": "true" },
    body: JSON.stringify({ prompt: "hi" }),
  });
  assert.equal(res.headers.get("cf-aig-cache-status"), "MISS");
  assert.equal((await res.json()).result.response, `Hello from ${LLAMA}! You said: hi`);
  assert.equal(emu.requests[0].route, "gateway");
  assert.equal(emu.requests[0].headers["cf-aig-skip-cache"], "true");
});

Deno.test({
  name: "the node:http adapter serves, streams and detects aborts",
  async fn() {
    await using emu = await startEmulatorOn({}, "node");
    const ok = await run(emu, LLAMA, { prompt: "hi", stream: true });
    assert.equal(sseData(await ok.text()).at(-1), "[DONE]");
    await hangThenAbort(emu);
    assert.equal(emu.requests[1].aborted, true);
  },
});

// --- Function calling ---------------------------------------------------------

const LLAMA_33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
const SCOUT = "@cf/meta/llama-4-scout-17b-16e-instruct";
const MISTRAL = "@cf/mistralai/mistral-small-3.1-24b-instruct";
const QWEN3 = "@cf/qwen/qwen3-30b-a3b-fp8";
const VISION = "@cf/meta/llama-3.2-11b-vision-instruct";

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
const WEATHER_ARGS = {
  city: "Paris",
  days: 1,
  unit: "c",
  verbose: true,
  tags: [],
  options: {},
};

const user = (content: unknown) => ({ role: "user", content });

/** Posts and returns the status and parsed body. */
async function call(emu: Emulator, model: string, body: unknown) {
  const res = await run(emu, model, body);
  return { status: res.status, body: await res.json() };
}

async function errorOf(res: Response) {
  const body = await res.json();
  return { status: res.status, code: body.errors[0]?.code, message: body.errors[0]?.message };
}

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
  // A named tool_choice wins; "none" answers text.
  ({ body } = await call(emu, LLAMA_33, {
    messages: [user("lookup please")],
    tools: [LOOKUP, OPENAI_WEATHER],
    tool_choice: { type: "function", function: { name: "get_weather" } },
  }));
  assert.deepEqual(body.result.tool_calls.map((c: { name: string }) => c.name), ["get_weather"]);
  ({ body } = await call(emu, LLAMA_33, {
    messages: [user("lookup please")],
    tools: [LOOKUP],
    tool_choice: "none",
  }));
  assert.equal(body.result.response, `Hello from ${LLAMA_33}! You said: lookup please`);
  assert.deepEqual(body.result.tool_calls, []);
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
    const { body } = await call(emu, GPT_OSS, {
      messages: [user("please use lookup word=sun")],
      tools: [LOOKUP, OPENAI_WEATHER],
      tool_choice,
    });
    const choice = body.result.choices[0];
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
  let e = await errorOf(
    await run(emu, "@cf/meta/llama-3.1-8b-instruct-fp8", {
      messages: msgs,
      tools: [FLAT_WEATHER],
    }),
  );
  assert.deepEqual(e, {
    status: 400,
    code: 5006,
    message: "AiError: Bad input: Error: Additional or unevaluated properties '/tools' at '/' " +
      "not allowed",
  });
  const noDescription = {
    type: "function",
    function: {
      name: "get_weather",
      description: "Weather",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  };
  e = await errorOf(await run(emu, LLAMA_33, { messages: msgs, tools: [noDescription] }));
  assert.deepEqual(e, {
    status: 400,
    code: 5006,
    message: "AiError: Bad input: Error: required properties at " +
      "'/tools/0/function/parameters/properties/city' are 'type', 'description'",
  });
  e = await errorOf(
    await run(emu, LLAMA_33, {
      messages: msgs,
      tools: [{ name: "x", description: "x", parameters: { type: "object" } }],
    }),
  );
  assert.match(e.message, /'\/tools\/0\/parameters' are 'type', 'properties'/);
  // OpenAI-family models take properties without descriptions, but only the OpenAI form.
  const ok = await call(emu, GPT_OSS, { messages: msgs, tools: [noDescription] });
  assert.equal(ok.status, 200);
  e = await errorOf(await run(emu, GPT_OSS, { messages: msgs, tools: [FLAT_WEATHER] }));
  assert.equal(e.code, 5006);
  for (const model of [GPT_OSS, LLAMA_33]) {
    e = await errorOf(
      await run(emu, model, { messages: msgs, tools: [OPENAI_WEATHER], tool_choice: "any" }),
    );
    assert.deepEqual(e, { status: 400, code: 8001, message: "Invalid input" });
  }
  e = await errorOf(
    await run(emu, GPT_OSS, {
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
      content: null,
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
  assert.match(e.message, /tool_call_id.*Must be supplied for tool calls for Mistral-3/);
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

// --- JSON mode ----------------------------------------------------------------

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
  e = await errorOf(
    await run(emu, "@cf/ibm-granite/granite-4.0-h-micro", { messages: msgs, response_format: rf }),
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

// --- Images -------------------------------------------------------------------

/** A 1x1 PNG. */
const PNG_B64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const PNG_URL = `data:image/png;base64,${PNG_B64}`;
const PNG_BYTES = Array.from(atob(PNG_B64), (c) => c.charCodeAt(0));

Deno.test("images: content parts on vision models, the image field on llama-3.2-vision", async () => {
  await using emu = await startEmulator();
  const parts = [
    { type: "text", text: "what is this" },
    { type: "image_url", image_url: { url: PNG_URL } },
    { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQ" } },
  ];
  const suffix = ` [saw 2 image(s): image/png ${PNG_BYTES.length} bytes, image/jpeg 6 bytes]`;
  for (const model of [SCOUT, MISTRAL, VISION]) {
    const { body } = await call(emu, model, { messages: [user(parts)] });
    assert.equal(body.result.response, `Hello from ${model}! You said: what is this${suffix}`);
  }
  const gemma4 = await call(emu, "@cf/google/gemma-4-26b-a4b-it", { messages: [user(parts)] });
  assert.match(gemma4.body.result.choices[0].message.content, /\[saw 2 image\(s\): /);
  for (const image of [PNG_URL, PNG_BYTES]) {
    const { body } = await call(emu, VISION, { prompt: "describe", image });
    assert.equal(
      body.result.response,
      `Hello from ${VISION}! You said: describe [saw 1 image(s): image/png ${PNG_BYTES.length} bytes]`,
    );
  }
});

Deno.test("images: refused forms", async () => {
  await using emu = await startEmulator();
  const withUrl = (url: string) => [
    user([{ type: "text", text: "x" }, { type: "image_url", image_url: { url } }]),
  ];
  for (
    const url of [
      "https://example.com/cat.png",
      "data:image/png;base64,***",
      "data:text/plain;base64,aGk=",
    ]
  ) {
    const e = await errorOf(await run(emu, SCOUT, { messages: withUrl(url) }));
    assert.equal(e.code, 5006, url);
    assert.match(e.message, /image uri with data \(e\.g\. data:image\/jpeg;base64,\/9j\/\.\.\.\)/);
  }
  let e = await errorOf(await run(emu, LLAMA, { messages: withUrl(PNG_URL) }));
  assert.deepEqual(e, {
    status: 400,
    code: 5006,
    message: "AiError: Bad input: Error: Type mismatch of '/messages/0/content', 'array' not in " +
      "'string'",
  });
  e = await errorOf(await run(emu, LLAMA, { prompt: "x", image: PNG_BYTES }));
  assert.match(e.message, /Additional or unevaluated properties '\/image'/);
  e = await errorOf(await run(emu, VISION, { prompt: "x", image: [1, 256] }));
  assert.match(e.message, /Value 256 at '\/image\/1' is greater than maximum 255/);
  e = await errorOf(await run(emu, VISION, { prompt: "x", image: "https://example.com/a.png" }));
  assert.equal(e.code, 5006);
});

Deno.test("the Llama 3.2 license must be agreed to when required", async () => {
  await using emu = await startEmulator({ requireLicenseAgreement: true });
  const e = await errorOf(await run(emu, VISION, { prompt: "hi" }));
  assert.deepEqual(e, {
    status: 403,
    code: 5016,
    message: "AiError: User has not agreed to Llama3.2 model terms",
  });
  const other = await call(emu, LLAMA, { prompt: "hi" });
  assert.equal(other.status, 200);
  const agree = await call(emu, VISION, { prompt: "agree" });
  assert.equal(agree.status, 200);
  assert.match(agree.body.result.response, /Thank you for agreeing/);
  const after = await call(emu, VISION, { prompt: "hi" });
  assert.equal(after.body.result.response, `Hello from ${VISION}! You said: hi`);
  await using open = await startEmulator();
  assert.equal((await call(open, VISION, { prompt: "hi" })).status, 200);
});
