// Text generation: both answer families, token limits, stream grammars, the license.
import assert from "node:assert/strict";
import { startEmulator } from "../../src/testing/mod.ts";
import { call, errorOf, GPT_OSS, LLAMA, post, run, sseData, VISION } from "./_helpers.ts";

Deno.test("native family answers {response, tool_calls, usage} in the envelope", async () => {
  await using emu = await startEmulator();
  const res = await run(emu, LLAMA, {
    messages: [
      { role: "system", content: "Be brief." },
      // Its published messages take string contents only.
      { role: "user", content: "ping me" },
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

  // glm-5.3-flash's definition publishes `reasoning`.
  const glm = await run(emu, "@cf/zai-org/glm-5.3-flash", {
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
