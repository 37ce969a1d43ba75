// Batches of many requests through Workers AI's async batch queue: split into
// submissions, tagged, polled, reported, returned in order, resumable.
import assert from "node:assert/strict";
import { genkit } from "genkit";
import { type AiBinding, cloudflareAI, type CloudflareAIOptions } from "../mod.ts";
import type { BatchProgress, BatchState } from "../src/batch/types.ts";
import { type Emulator, type EmulatorOptions, startEmulator } from "../src/testing/mod.ts";
import { QUEUE_MODEL_IDS } from "../src/batch/queue.ts";
import { failure, modelRequests } from "./_setup.ts";
import { passages } from "./fixtures/passages.ts";

// Published with async_queue: true and a `requests` input of `{ text, pooling }`
// items whose `text` takes at most 100 strings (omni-bge-base-en-v1.5.json).
const OMNI = "@cf/baai/omni-bge-base-en-v1.5";
const QWEN = "@cf/qwen/qwen3-30b-a3b-fp8";
// Published with neither async_queue nor a requests input (embeddinggemma-300m.json).
const GEMMA = "@cf/google/embeddinggemma-300m";

async function app(emulator: EmulatorOptions = {}, plugin: Partial<CloudflareAIOptions> = {}) {
  const emu = await startEmulator(emulator);
  const cf = cloudflareAI({
    accountId: emu.accountId,
    apiToken: emu.apiToken,
    baseUrl: emu.url,
    retryDelayMs: 5,
    ...plugin,
  });
  const ai = genkit({ promptDir: null, plugins: [cf] });
  return { emu, cf, ai, [Symbol.asyncDispose]: () => emu.close() };
}

const submissions = (emu: Emulator) =>
  modelRequests(emu).filter((r) => Array.isArray((r.body as { requests?: unknown })?.requests));

Deno.test("the queue models are those whose published definition has async_queue or a requests input", async () => {
  const dir = new URL("../src/definitions/published/", import.meta.url);
  const queued: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const d = JSON.parse(await Deno.readTextFile(new URL(entry.name, dir)));
    const input = JSON.stringify(d.schema?.input ?? {});
    if (d.properties?.async_queue === true || input.includes('"requests":{')) queued.push(d.id);
  }
  assert.deepEqual([...QUEUE_MODEL_IDS].sort(), [...new Set(queued)].sort());
  assert.ok(QUEUE_MODEL_IDS.includes(OMNI) && QUEUE_MODEL_IDS.includes(QWEN));
  assert.ok(!QUEUE_MODEL_IDS.includes(GEMMA));
});

Deno.test("an embedding batch is split, tagged, reported and returned in order, equal to the synchronous vectors", async () => {
  await using a = await app({ queue: { delayMs: 60 } });
  const texts = passages(1050);
  const seen: BatchProgress[] = [];
  const states: BatchState[] = [];
  const result = await a.cf.embedBatch({
    model: OMNI,
    texts,
    maxItemsPerSubmission: 3,
    pollIntervalMs: 10,
    onProgress: (p) => seen.push(p),
    onState: (s) => void states.push(s),
  });
  // 100 texts per item (the published maxItems): 11 items, 3 per submission.
  const subs = submissions(a.emu);
  assert.equal(subs.length, 4);
  assert.deepEqual(subs.map((r) => (r.body as { requests: unknown[] }).requests.length), [
    3,
    3,
    3,
    2,
  ]);
  assert.ok(subs.every((r) => r.search === "?queueRequest=true"));
  const refs = subs.flatMap((r) =>
    (r.body as { requests: { external_reference: string; text: string[] }[] }).requests
  );
  assert.deepEqual(refs.map((r) => r.external_reference), [
    ...Array.from({ length: 11 }, (_, i) => String(i * 100)),
  ]);
  assert.ok(refs.every((r) => r.text.length <= 100));
  assert.equal(result.requests.submissions, 4);
  assert.deepEqual(result.state.submissions.map((s) => s.count), [300, 300, 300, 150]);
  assert.equal(states.length, 4, "the state is handed out after every submission");

  assert.equal(result.items.length, texts.length);
  const sync = await a.ai.embedMany({ embedder: cloudflareAI.embedder(OMNI), content: texts });
  result.items.forEach((item, i) => {
    assert.equal(item.index, i);
    assert.ok(item.ok);
    assert.deepEqual(item.output, sync[i].embedding);
  });
  const last = seen.at(-1)!;
  assert.deepEqual({ done: last.done, failed: last.failed, total: last.total }, {
    done: 1050,
    failed: 0,
    total: 1050,
  });
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].done >= seen[i - 1].done);
});

Deno.test("a failed item is reported on its own; the others are returned in input order", async () => {
  await using a = await app({
    queue: {
      failItem: (item) =>
        JSON.stringify(item).includes("poison")
          ? { code: 3030, message: "AiError: Internal error" }
          : undefined,
    },
  });
  const requests = ["Tell me a joke", "poison", "Tell me a story", "Name a colour"];
  const result = await a.cf.generateBatch({
    model: QWEN,
    requests,
    config: { maxOutputTokens: 100 },
    pollIntervalMs: 10,
  });
  assert.deepEqual(result.items.map((i) => i.ok), [true, false, true, true]);
  const failed = result.items[1];
  assert.ok(!failed.ok);
  assert.match(failed.error.message, /input 1 .*Cloudflare error 3030: AiError: Internal error/);
  for (const i of [0, 2, 3]) {
    const item = result.items[i];
    assert.ok(item.ok);
    const sync = await a.ai.generate({
      model: cloudflareAI.model(QWEN, { maxOutputTokens: 100 }),
      prompt: requests[i],
    });
    assert.deepEqual(item.output.message, sync.message?.toJSON(), `request ${i}`);
  }
  // The emulator answers in reverse order: the ids and external references put them back.
  const [sub] = submissions(a.emu);
  assert.deepEqual(
    (sub.body as { requests: { external_reference: string }[] }).requests.map((r) =>
      r.external_reference
    ),
    ["0", "1", "2", "3"],
  );
});

Deno.test("a batch whose client process is killed is resumed by a new run from the saved ids, every result in order", async () => {
  // Slow submissions and a long queue: the child is stopped with work submitted and unfinished.
  await using emu = await startEmulator({ serviceTimeMs: 100, queue: { delayMs: 1500 } });
  const dir = await Deno.makeTempDir();
  const stateFile = `${dir}/state.json`;
  const count = 1000; // 10 items, 2 per submission: 5 submissions
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${new URL("../deno.json", import.meta.url).pathname}`,
      "--allow-env",
      "--allow-net=127.0.0.1",
      `--allow-write=${dir}`,
      "--allow-read",
      new URL("./fixtures/batch_client.ts", import.meta.url).pathname,
    ],
    env: {
      EMU_URL: emu.url,
      EMU_ACCOUNT: emu.accountId,
      EMU_TOKEN: emu.apiToken,
      STATE_FILE: stateFile,
      PASSAGES: String(count),
    },
    stdout: "null",
    stderr: "null",
  }).spawn();
  let saved: BatchState | undefined;
  try {
    const end = Date.now() + 60_000;
    while (!saved || saved.submissions.length < 2) {
      if (Date.now() > end) throw new Error("the child never saved two submissions");
      await new Promise((r) => setTimeout(r, 5));
      try {
        saved = JSON.parse(await Deno.readTextFile(stateFile)) as BatchState;
      } catch { /* not written yet, or being written */ }
    }
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
  assert.ok(saved.submissions.length < 5, "stopped mid-way");
  const before = submissions(emu).length;

  // A new run, in a new plugin instance, that has only the saved state.
  const cf = cloudflareAI({ accountId: emu.accountId, apiToken: emu.apiToken, baseUrl: emu.url });
  const ai = genkit({ promptDir: null, plugins: [cf] });
  const texts = passages(count);
  const resumed = await cf.embedBatch({
    model: OMNI,
    texts,
    state: saved,
    maxItemsPerSubmission: 2,
    pollIntervalMs: 20,
  });
  assert.equal(resumed.requests.submissions, 5 - saved.submissions.length, "nothing resubmitted");
  assert.equal(submissions(emu).length, before + resumed.requests.submissions);
  assert.deepEqual(
    resumed.state.submissions.slice(0, saved.submissions.length),
    saved.submissions,
  );
  const sync = await ai.embedMany({ embedder: cloudflareAI.embedder(OMNI), content: texts });
  assert.equal(resumed.items.length, count);
  resumed.items.forEach((item, i) => {
    assert.ok(item.ok, `item ${i}`);
    assert.deepEqual(item.output, sync[i].embedding, `item ${i}`);
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a resumed submission whose results expired fails its own items with NOT_FOUND", async () => {
  await using a = await app({ queue: { delayMs: 0, expireMs: 1000 } });
  const texts = passages(300);
  const first = await a.cf.embedBatch({ model: OMNI, texts, maxItemsPerSubmission: 1 });
  assert.ok(first.items.every((i) => i.ok));
  await new Promise((r) => setTimeout(r, 1100));
  const again = await a.cf.embedBatch({
    model: OMNI,
    texts,
    state: first.state,
    maxItemsPerSubmission: 1,
  });
  assert.equal(again.requests.submissions, 0);
  assert.ok(again.items.every((i) => !i.ok && i.error.status === "NOT_FOUND"));
  const [item] = again.items;
  assert.ok(!item.ok);
  assert.match(item.error.message, /knows no queued request/);
});

Deno.test("a state is resumed only with its own inputs, checked before any request", async () => {
  await using a = await app({ queue: { delayMs: 0 } });
  const { state } = await a.cf.embedBatch({ model: OMNI, texts: passages(150) });
  a.emu.reset();
  const other = await failure(() =>
    a.cf.embedBatch({ model: OMNI, texts: passages(151).slice(1), state })
  );
  assert.equal(other.status, "INVALID_ARGUMENT");
  assert.match(other.message, /does not belong to this embed batch/);
  const noQueue = await failure(() => a.cf.embedBatch({ model: GEMMA, texts: ["a"] }));
  assert.match(noQueue.message, /does not take queued requests/);
  const empty = await failure(() => a.cf.embedBatch({ model: OMNI, texts: ["ok", ""] }));
  assert.match(empty.message, /texts\[1\]/);
  const badItem = await failure(() =>
    a.cf.generateBatch({ model: QWEN, requests: ["ok", { prompt: "x", config: { topK: 500 } }] })
  );
  assert.match(badItem.message, /requests\[1\]/);
  assert.equal(modelRequests(a.emu).length, 0);
});

Deno.test("ai.embedMany with options { queue: true } returns the same vectors as the synchronous path", async () => {
  await using a = await app({ queue: { delayMs: 30 } });
  const embedder = cloudflareAI.embedder(OMNI);
  const content = passages(250);
  const queued = await a.ai.embedMany({ embedder, content, options: { queue: true } });
  assert.ok(submissions(a.emu).length === 1);
  const sync = await a.ai.embedMany({ embedder, content });
  assert.deepEqual(queued, sync);
  const pooled = await a.ai.embedMany({
    embedder,
    content,
    options: { queue: true, pooling: "cls" },
  });
  const pooledSync = await a.ai.embedMany({ embedder, content, options: { pooling: "cls" } });
  assert.deepEqual(pooled, pooledSync);

  a.emu.reset();
  const refused = await failure(() =>
    a.ai.embedMany({ embedder: cloudflareAI.embedder(GEMMA), content, options: { queue: true } })
  );
  assert.equal(refused.status, "INVALID_ARGUMENT");
  assert.match(refused.message, /does not take queued requests/);
  assert.ok(refused.message.includes(OMNI), "names a model that takes the queue");
  assert.equal(modelRequests(a.emu).length, 0);
});

Deno.test("submissions stay under 10 MB whatever the item cap", async () => {
  await using a = await app({ queue: { delayMs: 0 } });
  // 24 prompts of about 600 KB: no more than 15 fit under the limit.
  const big = (i: number) => `${i} ${"word ".repeat(120_000)}`;
  const requests = Array.from({ length: 24 }, (_, i) => big(i));
  const result = await a.cf.generateBatch({ model: QWEN, requests, pollIntervalMs: 5 });
  const subs = submissions(a.emu);
  assert.ok(subs.length >= 2, `${subs.length} submissions`);
  for (const s of subs) {
    assert.ok(JSON.stringify(s.body).length < 10_000_000);
  }
  assert.ok(result.items.every((i) => i.ok));
});

Deno.test("through a binding, a batch submits with { queueRequest: true } and polls by id", async () => {
  await using emu = await startEmulator({ queue: { delayMs: 40 } });
  const calls: { inputs: unknown; options: Record<string, unknown> }[] = [];
  const binding: AiBinding = {
    async run(model, inputs, options = {}) {
      calls.push({ inputs, options });
      const query = options.queueRequest ? "?queueRequest=true" : "";
      const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${model}${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${emu.apiToken}` },
        body: JSON.stringify(inputs),
      });
      const json = await res.json();
      if (!json.success) throw new Error(`${json.errors[0].code}: ${json.errors[0].message}`);
      return json.result;
    },
  };
  const cf = cloudflareAI({ binding });
  const ai = genkit({ promptDir: null, plugins: [cf] });
  const texts = passages(120);
  const result = await cf.embedBatch({ model: OMNI, texts, pollIntervalMs: 10 });
  assert.equal(calls.filter((c) => c.options.queueRequest === true).length, 1);
  const sync = await ai.embedMany({ embedder: cloudflareAI.embedder(OMNI), content: texts });
  assert.deepEqual(result.items.map((i) => (i.ok ? i.output : null)), sync.map((e) => e.embedding));
});

Deno.test("the rate limit counts a submission as one request, however many items it carries", async () => {
  await using a = await app({
    queue: { delayMs: 0 },
    rateLimits: { "Text Embeddings": { requests: 3, windowMs: 60_000 } },
  });
  // 500 texts: 5 items in one submission, then one poll: 2 requests of the budget of 3.
  const result = await a.cf.embedBatch({ model: OMNI, texts: passages(500) });
  assert.ok(result.items.every((i) => i.ok));
  assert.equal(a.emu.rateLimited, 0);
  assert.equal(result.requests.submissions + result.requests.polls, 2);
});

Deno.test("the emulator command takes the queue's delay and expiry as flags", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${new URL("../deno.json", import.meta.url).pathname}`,
      "--allow-env",
      "--allow-net=127.0.0.1",
      new URL("../src/testing/cli.ts", import.meta.url).pathname,
      "--port=0",
      "--json",
      "--queue-delay-ms=800",
      "--queue-expire-ms",
      "60000",
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let line = "";
    while (!line.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the emulator printed ${line}`);
      line += value;
    }
    reader.releaseLock();
    const { url, accountId, apiToken } = JSON.parse(line);
    const cf = cloudflareAI({ accountId, apiToken, baseUrl: url });
    genkit({ promptDir: null, plugins: [cf] });
    const result = await cf.embedBatch({
      model: OMNI,
      texts: ["a", "b"],
      pollIntervalMs: 50,
      maxPollIntervalMs: 50,
    });
    assert.ok(result.items.every((i) => i.ok));
    // Done only after the delay: the first poll found the batch still queued.
    assert.ok(result.requests.polls >= 2, `${result.requests.polls} polls`);
  } finally {
    child.kill("SIGTERM");
    await child.stdout.cancel().catch(() => {});
    await child.status;
  }
});

Deno.test("queued items pass the published batch schemas (the emulator judging by them)", async () => {
  await using a = await app({ judge: "published", queue: { delayMs: 0 } });
  const texts = await a.cf.embedBatch({
    model: OMNI,
    texts: passages(150),
    config: { pooling: "cls" },
  });
  assert.ok(texts.items.every((i) => i.ok));
  const chats = await a.cf.generateBatch({
    model: QWEN,
    requests: ["Hi", {
      system: "Be brief.",
      prompt: "Name a prime.",
      config: { temperature: 0.2 },
    }],
    pollIntervalMs: 5,
  });
  assert.ok(chats.items.every((i) => i.ok));
  // A submission the published schema refuses is refused whole, before anything is queued.
  const url = `${a.emu.url}/accounts/${a.emu.accountId}/ai/run/${OMNI}?queueRequest=true`;
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${a.emu.apiToken}` },
    body: JSON.stringify({ requests: [{ text: ["a"], pooling: "max" }] }),
  });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).errors[0].code, 5006);
});
