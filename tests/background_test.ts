// Queued text generation as a Genkit background model: ai.generate() queues
// one request and returns an operation; ai.checkOperation() polls it.
import assert from "node:assert/strict";
import { genkit, type Operation, z } from "genkit";
import type { GenerateResponseData } from "genkit/model";
import { type AiBinding, cloudflareAI } from "../mod.ts";
import { type Emulator, startEmulator } from "../src/testing/mod.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

// Its published definition has async_queue: true and an "Async Batch" input
// (src/definitions/published/qwen3-30b-a3b-fp8.json).
const QWEN = "@cf/qwen/qwen3-30b-a3b-fp8";
// Published with a `requests` input but no async_queue property (kimi-k2.6.json).
const KIMI = "@cf/moonshotai/kimi-k2.6";
// Neither async_queue nor a requests input (llama-3.1-8b-instruct-fast.json).
const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";

type Op = Operation<GenerateResponseData>;

/** Checks until done (each check is one poll), pausing `ms` between checks. */
async function untilDone(
  ai: ReturnType<typeof genkit>,
  op: Op,
  ms = 20,
): Promise<{ op: Op; checks: number; statuses: string[] }> {
  let checks = 0;
  const statuses: string[] = [];
  while (!op.done) {
    await new Promise((r) => setTimeout(r, ms));
    op = await ai.checkOperation(op);
    checks++;
    statuses.push(String(op.metadata?.status));
    if (checks > 500) throw new Error("the operation never finished");
  }
  return { op, checks, statuses };
}

Deno.test("a background model queues one request and its operation ends with the synchronous answer", async () => {
  await using app = await setup({}, { queue: { delayMs: 400 } });
  const model = cloudflareAI.backgroundModel(QWEN, { maxOutputTokens: 200 });
  assert.equal(model.name, `cloudflare-ai/queue/${QWEN}`);
  const { operation } = await app.ai.generate({ model, prompt: "Tell me a story" });
  assert.ok(operation, "an operation");
  assert.equal(operation.done, false);
  assert.equal(operation.action, `/background-model/cloudflare-ai/queue/${QWEN}`);

  const [submitted] = modelRequests(app.emu);
  assert.equal(submitted.search, "?queueRequest=true");
  const body = submitted.body as { requests: Record<string, unknown>[] };
  assert.equal(body.requests.length, 1);
  assert.deepEqual(body.requests[0].messages, [{ role: "user", content: "Tell me a story" }]);
  assert.equal(body.requests[0].max_tokens, 200);
  assert.equal(body.requests[0].stream, undefined, "a queued item does not stream");
  // The operation id is Cloudflare's request_id.
  assert.match(operation.id, /^[0-9a-f-]{36}$/);

  const { op, statuses } = await untilDone(app.ai, operation);
  assert.ok(statuses.includes("queued") || statuses.includes("running"), String(statuses));
  assert.equal(op.error, undefined);
  const polls = modelRequests(app.emu).slice(1);
  assert.ok(polls.every((p) => (p.body as { request_id: string }).request_id === operation.id));

  const sync = await app.ai.generate({
    model: cloudflareAI.model(QWEN, { maxOutputTokens: 200 }),
    prompt: "Tell me a story",
  });
  assert.deepEqual(op.output?.message, sync.message?.toJSON());
  assert.equal(op.output?.finishReason, sync.finishReason);
  assert.deepEqual(op.output?.usage, sync.usage);
});

Deno.test("an operation is checked by a second plugin instance that knows only its id", async () => {
  await using emu = await startEmulator({ queue: { delayMs: 0 } });
  const options = { accountId: emu.accountId, apiToken: emu.apiToken, baseUrl: emu.url };
  const first = genkit({ promptDir: null, plugins: [cloudflareAI(options)] });
  const { operation } = await first.generate({
    model: cloudflareAI.backgroundModel(KIMI),
    prompt: "Hi",
  });
  const id = operation!.id;

  const second = genkit({ promptDir: null, plugins: [cloudflareAI(options)] });
  const rebuilt = cloudflareAI.queuedOperation(KIMI, id);
  assert.deepEqual(Object.keys(rebuilt).sort(), ["action", "id"]);
  const { op } = await untilDone(second, rebuilt);
  const sync = await second.generate({ model: cloudflareAI.model(KIMI), prompt: "Hi" });
  assert.equal(op.output?.message?.content.find((p) => p.text)?.text, sync.text);
});

Deno.test("a failed queued request ends its operation with Cloudflare's code and message", async () => {
  await using app = await setup({}, {
    queue: {
      failItem: (item) =>
        JSON.stringify(item).includes("poison")
          ? { code: 3030, message: "AiError: Internal error while running the request" }
          : undefined,
    },
  });
  const model = cloudflareAI.backgroundModel(QWEN);
  const { operation } = await app.ai.generate({ model, prompt: "poison" });
  const { op } = await untilDone(app.ai, operation!);
  assert.equal(op.output, undefined);
  assert.match(op.error!.message, /Cloudflare error 3030: AiError: Internal error while running/);
  assert.match(op.error!.message, new RegExp(operation!.id));
  assert.equal(op.error!.code, 3030);
});

Deno.test("an expired or unknown request id is a clear NOT_FOUND", async () => {
  await using app = await setup({}, { queue: { delayMs: 0, expireMs: 30 } });
  const { operation } = await app.ai.generate({
    model: cloudflareAI.backgroundModel(QWEN),
    prompt: "Hi",
  });
  await new Promise((r) => setTimeout(r, 80));
  const e = await failure(() => app.ai.checkOperation(operation!));
  assert.equal(e.status, "NOT_FOUND");
  assert.match(e.message, /knows no queued request/);
  assert.match(e.message, new RegExp(operation!.id));

  const unknown = cloudflareAI.queuedOperation(QWEN, "00000000-0000-4000-8000-000000000000");
  const e2 = await failure(() => app.ai.checkOperation(unknown));
  assert.equal(e2.status, "NOT_FOUND");
});

Deno.test("refused before any request: no queue, streaming, and an item the model cannot take", async () => {
  await using app = await setup({}, { queue: { delayMs: 0 } });
  const noQueue = await failure(() => Promise.resolve(cloudflareAI.backgroundModel(LLAMA)));
  assert.equal(noQueue.status, "INVALID_ARGUMENT");
  assert.match(noQueue.message, /does not take queued requests/);
  // By name, the same refusal comes from the plugin's resolve.
  const byName = await failure(() =>
    app.ai.generate({ model: `cloudflare-ai/queue/${LLAMA}`, prompt: "Hi" })
  );
  assert.match(byName.message, /does not take queued requests/);
  // An embedding model is queued through the batch API, not a background model.
  const embed = await failure(() =>
    Promise.resolve(cloudflareAI.backgroundModel("@cf/baai/omni-bge-base-en-v1.5"))
  );
  assert.match(embed.message, /embedding model/);

  const model = cloudflareAI.backgroundModel(QWEN);
  const streamed = await failure(async () => {
    const { stream, response } = app.ai.generateStream({ model, prompt: "Hi" });
    response.catch(() => {}); // the stream reports the same failure
    for await (const _ of stream) { /* nothing arrives */ }
    await response;
  });
  assert.equal(streamed.status, "INVALID_ARGUMENT");
  assert.match(streamed.message, /cannot stream/);

  const badConfig = await failure(() =>
    app.ai.generate({ model, prompt: "Hi", config: { temperature: 9 } })
  );
  assert.equal(badConfig.status, "INVALID_ARGUMENT");
  assert.equal(modelRequests(app.emu).length, 0, "no request was sent");
});

Deno.test("the synchronous model keeps its name: both resolve side by side", async () => {
  await using app = await setup({}, { queue: { delayMs: 0 } });
  const queued = await app.ai.generate({ model: cloudflareAI.backgroundModel(QWEN), prompt: "A" });
  assert.ok(queued.operation);
  const sync = await app.ai.generate({ model: cloudflareAI.model(QWEN), prompt: "A" });
  assert.equal(sync.operation, undefined);
  assert.ok(sync.text.length > 0);
  assert.equal(modelRequests(app.emu)[1].search, "", "the synchronous request is not queued");
});

Deno.test("tool requests come back in the operation's output", async () => {
  await using app = await setup({}, { queue: { delayMs: 0 } });
  const getWeather = app.ai.defineTool(
    {
      name: "getWeather",
      description: "The current weather in a city",
      inputSchema: z.object({ city: z.string().describe("City") }),
    },
    ({ city }) => Promise.resolve(`Sunny in ${city}`),
  );
  const { operation } = await app.ai.generate({
    model: cloudflareAI.backgroundModel(QWEN),
    prompt: "Weather please: city=Paris",
    tools: [getWeather],
  });
  const item = (modelRequests(app.emu)[0].body as { requests: { tools: unknown[] }[] })
    .requests[0];
  assert.equal(item.tools.length, 1);
  const { op } = await untilDone(app.ai, operation!);
  const sync = await app.ai.generate({
    model: cloudflareAI.model(QWEN),
    prompt: "Weather please: city=Paris",
    tools: [getWeather],
    returnToolRequests: true,
  });
  const calls = op.output?.message?.content.filter((p) => p.toolRequest) ?? [];
  assert.equal(calls.length, sync.toolRequests.length);
  assert.ok(calls.length > 0, "the emulator answers this prompt with a call");
  assert.deepEqual(calls[0].toolRequest?.input, sync.toolRequests[0].toolRequest.input);
});

/** A stand-in for `env.AI` that serves from the emulator, as the Workers binding answers. */
function fakeBinding(emu: Emulator) {
  const calls: { inputs: unknown; options: Record<string, unknown> }[] = [];
  const binding: AiBinding = {
    async run(model, inputs, options = {}) {
      calls.push({ inputs, options });
      // The binding sends queueRequest in its options; the emulator takes it as REST does.
      const query = options.queueRequest ? "?queueRequest=true" : "";
      const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${model}${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${emu.apiToken}` },
        body: JSON.stringify(inputs),
      });
      const json = await res.json();
      if (!json.success) {
        const [e] = json.errors;
        throw new Error(`InferenceUpstreamError: ${e.code}: ${e.message}`);
      }
      return json.result; // the binding's objects have no envelope
    },
  };
  return { binding, calls };
}

Deno.test("through a binding: queueRequest in the binding's options, polled with { request_id }", async () => {
  await using emu = await startEmulator({ queue: { delayMs: 50, expireMs: 60_000 } });
  const { binding, calls } = fakeBinding(emu);
  const ai = genkit({ promptDir: null, plugins: [cloudflareAI({ binding })] });
  const { operation } = await ai.generate({
    model: cloudflareAI.backgroundModel(QWEN),
    prompt: "Hi",
  });
  assert.equal(calls[0].options.queueRequest, true);
  assert.deepEqual(Object.keys(calls[0].inputs as object), ["requests"]);
  const { op } = await untilDone(ai, operation!);
  const polls = calls.slice(1);
  assert.ok(polls.length >= 1);
  for (const p of polls) {
    assert.deepEqual(p.inputs, { request_id: operation!.id });
    assert.equal(p.options.queueRequest, undefined);
  }
  const sync = await ai.generate({ model: cloudflareAI.model(QWEN), prompt: "Hi" });
  assert.equal(op.output?.message?.content.find((p) => p.text)?.text, sync.text);

  // An unknown id through the binding is the same NOT_FOUND.
  const e = await failure(() =>
    ai.checkOperation(cloudflareAI.queuedOperation(QWEN, "00000000-0000-4000-8000-000000000001"))
  );
  assert.equal(e.status, "NOT_FOUND");
});

Deno.test("through AI Gateway: the gateway URL with ?queueRequest=true", async () => {
  await using emu = await startEmulator({ queue: { delayMs: 0 } });
  const ai = genkit({
    promptDir: null,
    plugins: [
      cloudflareAI({
        accountId: emu.accountId,
        apiToken: emu.apiToken,
        gateway: { id: "gw", baseUrl: emu.gatewayUrl },
      }),
    ],
  });
  const { operation } = await ai.generate({
    model: cloudflareAI.backgroundModel(QWEN),
    prompt: "Hi",
  });
  const { op } = await untilDone(ai, operation!);
  assert.ok(op.output?.message);
  const routes = emu.requests.map((r) => `${r.route}${r.search}`);
  assert.ok(routes.every((r) => r === "gateway?queueRequest=true"), String(routes));
});

Deno.test("list() shows the background models for the Developer UI, and only for queued text models", async () => {
  await using emu = await startEmulator();
  const plugin = cloudflareAI({
    accountId: emu.accountId,
    apiToken: emu.apiToken,
    baseUrl: emu.url,
  });
  const listed = await plugin.list!() as {
    actionType: string;
    name: string;
    metadata?: { model?: { supports?: Record<string, unknown> } };
  }[];
  const background = listed.filter((m) => m.actionType === "background-model");
  const names = background.map((m) => m.name);
  assert.ok(names.includes(`cloudflare-ai/queue/${QWEN}`));
  assert.ok(names.includes(`cloudflare-ai/queue/${KIMI}`));
  assert.ok(!names.includes(`cloudflare-ai/queue/${LLAMA}`), "no queue");
  assert.ok(!names.some((n) => n.includes("bge")), "embedding models are not background models");
  const qwen = background.find((m) => m.name === `cloudflare-ai/queue/${QWEN}`);
  assert.equal(qwen?.metadata?.model?.supports?.longRunning, true);
});
