import assert from "node:assert/strict";
import { cloudflareAI } from "../mod.ts";
import { modelRequests, setup } from "./_setup.ts";

const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";
const LLAMA33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
const QWQ = "@cf/qwen/qwq-32b";
// OpenAI-format models whose published definitions flag reasoning: Kimi
// answers it in `reasoning`, GLM 5.3 in `reasoning_content`.
const KIMI = "@cf/moonshotai/kimi-k2.6";
const GLM = "@cf/zai-org/glm-5.3";

Deno.test("generate with a native-family model returns text, usage and finish reason", async () => {
  await using app = await setup();
  const res = await app.ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi there" });
  assert.equal(res.text, `Hello from ${LLAMA}! You said: Hi there`);
  assert.equal(res.finishReason, "stop");
  assert.equal(res.usage.outputTokens, 7);
  assert.ok((res.usage.inputTokens ?? 0) > 0);
  assert.equal(res.usage.totalTokens, (res.usage.inputTokens ?? 0) + 7);
  const [req] = modelRequests(app.emu);
  assert.equal(req.path, `/client/v4/accounts/${app.emu.accountId}/ai/run/${LLAMA}`);
  assert.deepEqual((req.body as { messages: unknown }).messages, [
    { role: "user", content: "Hi there" },
  ]);
  assert.equal(req.headers.authorization, `Bearer ${app.emu.apiToken}`);
});

Deno.test("a native reasoning model's <think> text becomes a reasoning part", async () => {
  await using app = await setup();
  const res = await app.ai.generate({ model: `cloudflare-ai/${QWQ}`, prompt: "Why?" });
  assert.equal(res.reasoning.trim(), "Thinking about: Why?");
  assert.equal(res.text, `Hello from ${QWQ}! You said: Why?`);
});

Deno.test("generate with an OpenAI-family model returns text, reasoning and usage", async () => {
  await using app = await setup();
  const res = await app.ai.generate({ model: cloudflareAI.model(KIMI), prompt: "Hi there" });
  assert.equal(res.text, `Hello from ${KIMI}! You said: Hi there`);
  assert.equal(res.reasoning, "Thinking about: Hi there");
  assert.equal(res.finishReason, "stop");
  // Reasoning tokens count as output tokens, as on the real API.
  assert.ok((res.usage.outputTokens ?? 0) > 7);
  assert.equal(res.usage.cachedContentTokens, 0);
  const glm = await app.ai.generate({ model: cloudflareAI.model(GLM), prompt: "Yo" });
  assert.equal(glm.reasoning, "Thinking about: Yo", "reasoning_content is read too");
});

Deno.test("the hybrid answer (response: null beside choices) of gemma-4 is read", async () => {
  await using app = await setup();
  const id = "@cf/google/gemma-4-26b-a4b-it";
  const res = await app.ai.generate({ model: cloudflareAI.model(id), prompt: "Hi" });
  assert.equal(res.text, `Hello from ${id}! You said: Hi`);
});

Deno.test("finish reason is length when the model stops on maxOutputTokens (both families)", async () => {
  await using app = await setup();
  for (const id of [LLAMA, GLM]) {
    const res = await app.ai.generate({
      model: cloudflareAI.model(id),
      prompt: "Hi there",
      config: { maxOutputTokens: 3 },
    });
    assert.equal(res.finishReason, "length", id);
    assert.ok(`Hello from ${id}! You said: Hi there`.startsWith(res.text), id);
    assert.ok(res.text.length < `Hello from ${id}! You said: Hi there`.length, id);
    assert.equal(res.usage.outputTokens, 3);
    const stream = app.ai.generateStream({
      model: cloudflareAI.model(id),
      prompt: "Hi there",
      config: { maxOutputTokens: 3 },
    });
    for await (const _ of stream.stream) { /* drain */ }
    assert.equal((await stream.response).finishReason, "length", `${id} streamed`);
  }
});

Deno.test("finish reason follows each model's published max_tokens default, not an assumed 256", async () => {
  await using app = await setup();
  // A 300-word prompt: the echo answers over 256 tokens.
  const prompt = Array.from({ length: 300 }, (_, i) => `w${i}`).join(" ");
  const published = async (file: string) => {
    const url = new URL(`../src/definitions/published/${file}.json`, import.meta.url);
    const d = JSON.parse(await Deno.readTextFile(url));
    return JSON.stringify(d.schema.input).match(
      /"max_tokens":\{"type":"integer","default":(\d+)/,
    )![1];
  };
  // granite publishes 2000: a complete 300-token answer is not cut short.
  assert.equal(await published("granite-4.0-h-micro"), "2000");
  const granite = await app.ai.generate({
    model: cloudflareAI.model("@cf/ibm-granite/granite-4.0-h-micro"),
    prompt,
  });
  assert.ok((granite.usage.outputTokens ?? 0) > 256);
  assert.equal(granite.finishReason, "stop");
  // llama-3.1-8b-fast publishes 256: it stops there.
  assert.equal(await published("llama-3.1-8b-instruct-fast"), "256");
  const llama = await app.ai.generate({ model: cloudflareAI.model(LLAMA), prompt });
  assert.equal(llama.usage.outputTokens, 256);
  assert.equal(llama.finishReason, "length");
});

Deno.test("generateStream with a native model sends text deltas and returns the full message with usage", async () => {
  await using app = await setup();
  const { stream, response } = app.ai.generateStream({
    model: cloudflareAI.model(LLAMA),
    prompt: "Stream please",
  });
  const chunks: string[] = [];
  for await (const c of stream) chunks.push(c.text);
  const res = await response;
  assert.ok(chunks.length >= 5, `several chunks, got ${chunks.length}`);
  assert.equal(chunks.join(""), `Hello from ${LLAMA}! You said: Stream please`);
  assert.equal(res.text, chunks.join(""));
  assert.equal(res.usage.outputTokens, 7);
  assert.equal(res.finishReason, "stop");
  assert.equal((modelRequests(app.emu)[0].body as { stream: boolean }).stream, true);
});

Deno.test("generateStream with reasoning models streams reasoning and text apart (both grammars)", async () => {
  await using app = await setup();
  for (const id of [QWQ, KIMI]) {
    const { stream, response } = app.ai.generateStream({
      model: cloudflareAI.model(id),
      prompt: "Go",
    });
    let reasoning = "";
    let text = "";
    for await (const c of stream) {
      reasoning += c.reasoning;
      text += c.text;
    }
    const res = await response;
    assert.equal(reasoning.trim(), "Thinking about: Go", id);
    assert.equal(text, `Hello from ${id}! You said: Go`, id);
    assert.equal(res.text, text);
    assert.equal(res.reasoning.trim(), "Thinking about: Go");
    assert.ok((res.usage.outputTokens ?? 0) > 0, `${id} usage`);
  }
});

Deno.test("every config value of a native model is mapped to its wire name", async () => {
  await using app = await setup();
  await app.ai.generate({
    model: cloudflareAI.model(LLAMA33),
    prompt: "Hi",
    config: {
      temperature: 0.3,
      maxOutputTokens: 100,
      topP: 0.9,
      topK: 20,
      seed: 42,
      repetitionPenalty: 1.1,
      frequencyPenalty: 0.5,
      presencePenalty: 0.5,
    },
  });
  const body = modelRequests(app.emu)[0].body as Record<string, unknown>;
  assert.deepEqual({ ...body, messages: undefined }, {
    messages: undefined,
    temperature: 0.3,
    max_tokens: 100,
    top_p: 0.9,
    top_k: 20,
    seed: 42,
    repetition_penalty: 1.1,
    frequency_penalty: 0.5,
    presence_penalty: 0.5,
  });
});

Deno.test("every config value of an OpenAI-family model is mapped, stop and reasoning effort included", async () => {
  await using app = await setup();
  const res = await app.ai.generate({
    model: cloudflareAI.model(GLM),
    prompt: "Hi",
    config: {
      temperature: 1.2,
      maxOutputTokens: 50,
      topP: 0.8,
      seed: 7,
      frequencyPenalty: 0.1,
      presencePenalty: -0.1,
      stopSequences: ["\n\n"],
      reasoningEffort: "low",
      chat_template_kwargs: { enable_thinking: false },
    },
  });
  assert.ok(res.text.length > 0);
  const body = modelRequests(app.emu)[0].body as Record<string, unknown>;
  assert.deepEqual({ ...body, messages: undefined }, {
    messages: undefined,
    temperature: 1.2,
    max_tokens: 50,
    top_p: 0.8,
    seed: 7,
    frequency_penalty: 0.1,
    presence_penalty: -0.1,
    stop: ["\n\n"],
    reasoning_effort: "low",
    chat_template_kwargs: { enable_thinking: false },
  });
});

Deno.test("stop sequences are applied by the client for native models, which take no stop parameter", async () => {
  await using app = await setup();
  const config = { stopSequences: ["You said"] };
  const res = await app.ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi", config });
  assert.equal(res.text, `Hello from ${LLAMA}! `);
  assert.equal(res.finishReason, "stop");
  assert.equal("stop" in (modelRequests(app.emu)[0].body as object), false);

  const { stream, response } = app.ai.generateStream({
    model: cloudflareAI.model(LLAMA),
    prompt: "Hi",
    config,
  });
  let streamed = "";
  for await (const c of stream) streamed += c.text;
  assert.equal(streamed, `Hello from ${LLAMA}! `);
  assert.equal((await response).text, streamed);
  assert.equal((await response).finishReason, "stop");
});

Deno.test("system, user and model messages map to Workers AI roles", async () => {
  await using app = await setup();
  await app.ai.generate({
    model: cloudflareAI.model(LLAMA),
    system: "Be brief.",
    messages: [
      { role: "user", content: [{ text: "Hello" }] },
      { role: "model", content: [{ text: "Hi!" }] },
    ],
    prompt: "How are you?",
  });
  const body = modelRequests(app.emu)[0].body as { messages: unknown };
  assert.deepEqual(body.messages, [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Hello" },
    { role: "assistant", content: "Hi!" },
    { role: "user", content: "How are you?" },
  ]);
});

Deno.test("a model not in the catalog is resolved on demand by id", async () => {
  await using app = await setup({ models: [] });
  const res = await app.ai.generate({ model: `cloudflare-ai/${LLAMA}`, prompt: "Hi" });
  assert.equal(res.text, `Hello from ${LLAMA}! You said: Hi`);
});
