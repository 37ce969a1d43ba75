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
  emu.fault({ hang: true });
  const ac = new AbortController();
  const pending = run(emu, LLAMA, { prompt: "x" }, { signal: ac.signal });
  while (emu.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
  ac.abort();
  await assert.rejects(pending);
  while (emu.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
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
    emu.fault({ hang: true });
    const ac = new AbortController();
    const pending = run(emu, LLAMA, { prompt: "x" }, { signal: ac.signal });
    while (emu.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    await assert.rejects(pending);
    while (emu.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(emu.requests[1].aborted, true);
  },
});
