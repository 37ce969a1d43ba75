import assert from "node:assert/strict";
import { Document } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { EMBEDDING_MODELS } from "../src/models.ts";
import type { RecordedRequest } from "../src/testing/mod.ts";
import { eventually, failure, modelRequests, setup } from "./_setup.ts";
import { idsOfTask, inputProperties, publishedFile } from "./_published.ts";

const BGE_BASE = "@cf/baai/bge-base-en-v1.5";
const QWEN3 = "@cf/qwen/qwen3-embedding-0.6b";
const GEMMA = "@cf/google/embeddinggemma-300m";
const OMNI = "@cf/baai/omni-bge-base-en-v1.5";
const BGE_M3 = "@cf/baai/bge-m3";

const passages = (n: number) =>
  Array.from({ length: n }, (_, i) => `passage ${i} about topic ${i % 7} and item ${i * 13}`);

/** The texts of an embedding request, whichever field carries them. */
function textsOf(req: RecordedRequest): string[] {
  const b = req.body as Record<string, string[] | undefined>;
  return b.text ?? b.documents ?? b.queries ?? [];
}

/** Index of the first passage in a request (`passage <i> ...`). */
function firstIndex(req: RecordedRequest): number {
  return Number(/^passage (\d+)/.exec(textsOf(req)[0] ?? "")?.[1] ?? -1);
}

/** One request as the plugin's `fetch` saw it. */
interface Sent {
  /** Index of its first passage. */
  first: number;
  /** How the fetch ended, once it ended. */
  outcome?: "answered" | "aborted" | "failed";
  /** 1 for the first fetch to end, 2 for the next, ... */
  ended?: number;
}

/**
 * A `fetch` that records every request the plugin sends and how it ended, and
 * lets a test alter a request body on its way (`hook`). It sees what the
 * client does; the emulator's own `aborted` record cannot be relied on for
 * bodies of a few hundred bytes and more (Deno.serve does not notice the
 * client closing the connection while such a request waits).
 */
function observedFetch(
  hook: (first: number, body: Record<string, unknown>) => Record<string, unknown> | void = () => {},
): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  let ended = 0;
  const observed: typeof fetch = async (input, init) => {
    let body = JSON.parse(String(init?.body));
    const first = Number(/^passage (\d+)/.exec((body.text ?? [])[0] ?? "")?.[1] ?? -1);
    body = hook(first, body) ?? body;
    const entry: Sent = { first };
    sent.push(entry);
    try {
      const response = await fetch(input, { ...init, body: JSON.stringify(body) });
      entry.outcome = "answered";
      return response;
    } catch (e) {
      entry.outcome = (e as Error).name === "AbortError" ? "aborted" : "failed";
      throw e;
    } finally {
      entry.ended = ++ended;
    }
  };
  return { fetch: observed, sent };
}

/**
 * The vector length of each published embedding model: its published
 * output_dimensions, or, where it publishes none, its model card's.
 */
function dimensionsOf(id: string): number {
  const published = publishedFile(id).properties.output_dimensions;
  if (typeof published === "number") return published;
  const cards: Record<string, number> = {
    "@cf/baai/bge-m3": 1024, // BAAI/bge-m3
    "@cf/google/embeddinggemma-300m": 768, // google/embeddinggemma-300m
    "@cf/qwen/qwen3-embedding-0.6b": 1024, // Qwen/Qwen3-Embedding-0.6B
    "@cf/pfnet/plamo-embedding-1b": 2048, // pfnet/plamo-embedding-1b
  };
  return cards[id];
}

Deno.test("every published embedding model is served, with vectors of its true dimensions, as its info says", async () => {
  await using app = await setup();
  const ids = idsOfTask("Text Embeddings");
  assert.deepEqual(EMBEDDING_MODELS.map((m) => m.id).sort(), ids);
  for (const id of ids) {
    const dims = dimensionsOf(id);
    assert.ok(dims > 0, id);
    const ref = cloudflareAI.embedder(id);
    assert.equal(ref.name, `cloudflare-ai/${id}`);
    assert.equal(ref.info?.dimensions, dims, id);
    const [one] = await app.ai.embed({ embedder: ref, content: "Hello, Ada" });
    assert.equal(one.embedding.length, dims, id);
    const many = await app.ai.embedMany({ embedder: ref, content: ["one", "two", "three"] });
    assert.equal(many.length, 3);
    for (const e of many) assert.equal(e.embedding.length, dims, id);
    const norm = Math.hypot(...many[0].embedding);
    assert.ok(Math.abs(norm - 1) < 1e-6, `${id} returns unit vectors`);
  }
  const runs = modelRequests(app.emu);
  assert.equal(runs.length, 2 * ids.length);
  assert.deepEqual(runs.find((r) => r.model === BGE_BASE)?.body, { text: ["Hello, Ada"] });
  assert.deepEqual(
    runs.find((r) => r.model === QWEN3)?.body,
    { documents: ["Hello, Ada"] },
    "qwen3 embeds documents by default",
  );
  // bge-m3 embeds through its published `text` form (its `query` + `contexts` form reranks).
  assert.ok(inputProperties(BGE_M3).text);
  assert.deepEqual(runs.find((r) => r.model === BGE_M3)?.body, { text: ["Hello, Ada"] });
});

Deno.test("each embedder's batch is the maxItems its published text arrays have (100 where none), its input limit the published one", () => {
  for (const m of EMBEDDING_MODELS) {
    const props = inputProperties(m.id);
    const field = m.fields === "queries-documents" ? "documents" : m.fields;
    const arrays = ((props[field]?.oneOf ?? [props[field]]) as Record<string, unknown>[])
      .filter((b) => b?.type === "array");
    const published = arrays.map((b) => b.maxItems).find((n) => typeof n === "number");
    assert.equal(m.batchLimit, published ?? 100, m.id);
    const facts = publishedFile(m.id).properties;
    assert.equal(m.maxInputTokens, facts.max_input_tokens ?? facts.context_window, m.id);
  }
});

Deno.test("equal texts give equal vectors and the action is reachable by name", async () => {
  await using app = await setup();
  const [a] = await app.ai.embed({ embedder: `cloudflare-ai/${GEMMA}`, content: "same text" });
  const [b, c] = await app.ai.embedMany({
    embedder: `cloudflare-ai/${GEMMA}`,
    content: ["same text", "another text"],
  });
  assert.deepEqual(a.embedding, b.embedding);
  assert.notDeepEqual(b.embedding, c.embedding);
});

Deno.test("pooling is sent to the models that publish it, from the call's options and from the reference", async () => {
  await using app = await setup();
  assert.deepEqual(inputProperties(OMNI).pooling?.enum, ["mean", "cls"]);
  const [mean] = await app.ai.embed({ embedder: cloudflareAI.embedder(OMNI), content: "x y" });
  const [cls] = await app.ai.embed({
    embedder: cloudflareAI.embedder(OMNI, { pooling: "cls" }),
    content: "x y",
  });
  await app.ai.embedMany({
    embedder: cloudflareAI.embedder(OMNI),
    content: ["a", "b"],
    options: { pooling: "cls" },
  });
  const bodies = modelRequests(app.emu).map((r) => r.body);
  assert.deepEqual(bodies, [
    { text: ["x y"] },
    { text: ["x y"], pooling: "cls" },
    { text: ["a", "b"], pooling: "cls" },
  ]);
  assert.notDeepEqual(mean.embedding, cls.embedding, "cls pooling gives other vectors");
  // Every model whose published input has pooling takes it; no other does.
  for (const m of EMBEDDING_MODELS) {
    assert.equal(m.pooling, inputProperties(m.id).pooling !== undefined, m.id);
  }
});

Deno.test("qwen3-embedding: inputType and instruction map to queries, documents and instruction", async () => {
  await using app = await setup();
  const ref = cloudflareAI.embedder(QWEN3);
  await app.ai.embedMany({
    embedder: ref,
    content: ["what is a cat?"],
    options: { inputType: "query", instruction: "Find pet care articles" },
  });
  await app.ai.embedMany({
    embedder: ref,
    content: ["cats purr"],
    options: { inputType: "query" },
  });
  await app.ai.embedMany({
    embedder: ref,
    content: ["cats purr"],
    options: { inputType: "document" },
  });
  await app.ai.embed({
    embedder: cloudflareAI.embedder(QWEN3, { inputType: "query" }),
    content: "dogs?",
  });
  assert.deepEqual(modelRequests(app.emu).map((r) => r.body), [
    { queries: ["what is a cat?"], instruction: "Find pet care articles" },
    { queries: ["cats purr"] },
    { documents: ["cats purr"] },
    { queries: ["dogs?"] },
  ]);
});

Deno.test("qwen3-embedding is sent at most 32 texts per request, in order", async () => {
  await using app = await setup();
  const texts = passages(100);
  const out = await app.ai.embedMany({ embedder: cloudflareAI.embedder(QWEN3), content: texts });
  assert.equal(out.length, 100);
  const runs = modelRequests(app.emu);
  assert.deepEqual(runs.map((r) => textsOf(r).length).sort((a, b) => a - b), [4, 32, 32, 32]);
  assert.deepEqual(runs.flatMap(textsOf).sort(), [...texts].sort());
  app.emu.reset();
  const [last] = await app.ai.embed({ embedder: cloudflareAI.embedder(QWEN3), content: texts[99] });
  assert.deepEqual(out[99].embedding, last.embedding);
});

Deno.test("config a model does not take is refused with INVALID_ARGUMENT before any request", async () => {
  await using app = await setup();
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      GEMMA,
      { pooling: "cls" },
      /pooling is not supported by @cf\/google\/embeddinggemma-300m: it takes no config options; pooling is taken by @cf\/baai\/bge-small-en-v1\.5, .*omni-bge-base-en-v1\.5/,
    ],
    [BGE_BASE, { pooling: "max" }, /pooling = "max" is not valid .*one of "mean", "cls"/],
    [
      OMNI,
      { inputType: "query" },
      /inputType is not supported.*it takes pooling; inputType is taken by @cf\/qwen/,
    ],
    [QWEN3, { pooling: "mean" }, /pooling is not supported/],
    [QWEN3, { inputType: "questions" }, /inputType = "questions" .*one of "query", "document"/],
    [QWEN3, { instruction: "Find it" }, /instruction .* applies to queries only/],
    [QWEN3, { inputType: "query", instruction: "" }, /instruction = "" .*non-empty string/],
    [BGE_M3, { truncateInputs: "yes" }, /truncateInputs = "yes" .*true or false/],
    [
      BGE_BASE,
      { truncateInputs: true },
      /truncateInputs is not supported .*taken by @cf\/baai\/bge-m3/,
    ],
    [GEMMA, { dimensions: 256 }, /dimensions is not supported.*takes no config options\. Remove/],
  ];
  for (const [id, options, message] of cases) {
    const e = await failure(() =>
      app.ai.embedMany({ embedder: cloudflareAI.embedder(id), content: ["x"], options })
    );
    assert.equal(e.status, "INVALID_ARGUMENT", `${id} ${JSON.stringify(options)}`);
    assert.match(e.message, message);
    assert.throws(() => cloudflareAI.embedder(id, options), message, "the reference checks too");
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("no documents: no request and no embeddings", async () => {
  await using app = await setup();
  const out = await app.ai.embedMany({ embedder: cloudflareAI.embedder(BGE_BASE), content: [] });
  assert.deepEqual(out, []);
  assert.equal(app.emu.requests.length, 0);
});

Deno.test("an empty text or a non-text document is refused before any request", async () => {
  await using app = await setup();
  const ref = cloudflareAI.embedder(BGE_BASE);
  const empty = await failure(() =>
    app.ai.embedMany({ embedder: ref, content: [...passages(150), ""] })
  );
  assert.equal(empty.status, "INVALID_ARGUMENT");
  assert.match(empty.message, /documents\[150\].*has no text/);
  const image = Document.fromMedia("data:image/png;base64,iVBORw0KGgo=", "image/png");
  const media = await failure(() =>
    app.ai.embedMany({ embedder: ref, content: [Document.fromText("fine"), image] })
  );
  assert.equal(media.status, "INVALID_ARGUMENT");
  assert.match(media.message, /documents\[1\].*media \(image\/png\).*text only/);
  const single = await failure(() => app.ai.embed({ embedder: ref, content: "" }));
  assert.equal(single.status, "INVALID_ARGUMENT");
  assert.equal(app.emu.requests.length, 0);
});

Deno.test("1,000 documents with shuffled delays come back in order, in requests of at most 100, never more than embedConcurrency in flight", async () => {
  // Batches answer out of order: each one's delay comes from a shuffled table. No delay is
  // short, so that four requests are in flight at once even on a loaded machine.
  const delays = [180, 60, 120, 80, 160, 70, 110, 90, 140, 100];
  const observed = observedFetch();
  let app = await setup(
    { fetch: observed.fetch },
    { serviceTimeMs: (r) => delays[Math.floor(firstIndex(r) / 100)] ?? 0 },
  );
  try {
    const texts = passages(1000);
    const out = await app.ai.embedMany({
      embedder: cloudflareAI.embedder(BGE_BASE),
      content: texts,
    });
    assert.equal(out.length, 1000);
    const runs = modelRequests(app.emu);
    assert.equal(runs.length, 10);
    for (const r of runs) assert.ok(textsOf(r).length <= 100);
    assert.deepEqual(runs.flatMap(textsOf).sort(), [...texts].sort(), "each text sent once");
    assert.equal(app.emu.maxInFlight, 4, "the default embedConcurrency is reached, not passed");
    const completed = [...observed.sent].sort((a, b) => a.ended! - b.ended!).map((x) => x.first);
    assert.notDeepEqual(
      completed,
      [...completed].sort((a, b) => a - b),
      "answers came out of order",
    );
    // Each vector is the one the model gives its own text.
    app.emu.reset();
    for (const i of [0, 1, 99, 100, 101, 450, 899, 900, 998, 999]) {
      const [one] = await app.ai.embed({
        embedder: cloudflareAI.embedder(BGE_BASE),
        content: texts[i],
      });
      assert.deepEqual(out[i].embedding, one.embedding, `document ${i} is in place`);
    }
    await app[Symbol.asyncDispose]();

    app = await setup({ embedConcurrency: 2 }, { serviceTimeMs: 5 });
    await app.ai.embedMany({ embedder: cloudflareAI.embedder(BGE_BASE), content: texts });
    assert.equal(app.emu.maxInFlight, 2, "embedConcurrency: 2 is reached, not passed");
  } finally {
    await app[Symbol.asyncDispose]();
  }
});

Deno.test("embedConcurrency must be a whole number from 1 to 64", () => {
  for (const embedConcurrency of [0, 1.5, -1, 65]) {
    assert.throws(
      () => cloudflareAI({ accountId: "a", apiToken: "t", embedConcurrency }),
      /embedConcurrency must be a whole number from 1 to 64/,
    );
  }
});

Deno.test("a batch that fails twice with a 500 is retried and the result is complete", async () => {
  let queued = false;
  const { fetch } = observedFetch((first) => {
    if (first !== 300 || queued) return;
    queued = true;
    app.emu.fault({ status: 500, times: 2 });
  });
  await using app = await setup({ fetch, embedConcurrency: 1 });
  const texts = passages(1000);
  const out = await app.ai.embedMany({ embedder: cloudflareAI.embedder(BGE_BASE), content: texts });
  assert.equal(out.length, 1000);
  const runs = modelRequests(app.emu);
  assert.equal(runs.length, 12, "ten batches, one of them sent three times");
  assert.deepEqual(runs.filter((r) => firstIndex(r) === 300).map((r) => r.status), [500, 500, 200]);
  app.emu.reset();
  const [one] = await app.ai.embed({
    embedder: cloudflareAI.embedder(BGE_BASE),
    content: texts[350],
  });
  assert.deepEqual(out[350].embedding, one.embedding);
});

Deno.test("a batch that keeps failing fails the call with an error naming the batch and the model", async () => {
  let queued = false;
  const { fetch } = observedFetch((first) => {
    if (first !== 200 || queued) return;
    queued = true;
    app.emu.fault({ status: 500, times: 3 });
  });
  await using app = await setup({ fetch, embedConcurrency: 1 });
  const e = await failure(() =>
    app.ai.embedMany({ embedder: cloudflareAI.embedder(BGE_BASE), content: passages(1000) })
  );
  assert.equal(e.status, "INTERNAL");
  assert.match(e.message, /batch 3 of 10 \(documents 200-299\)/);
  assert.ok(e.message.includes(BGE_BASE), "names the model");
  assert.match(e.message, /no embeddings are returned/);
  assert.match(e.message, /gave up after 3 attempts/);
  const detail = e.detail as Record<string, unknown>;
  assert.equal(detail.batch, 3);
  assert.equal(detail.firstDocument, 200);
  assert.equal(detail.model, BGE_BASE);
  assert.equal(modelRequests(app.emu).length, 5, "no batch is sent after the failure");
});

Deno.test("a batch the API refuses stops the batches in flight and sends no more", async () => {
  // The emulator answers the second batch with a real 5006 (bad pooling value).
  const observed = observedFetch((first, body) =>
    first === 100 ? { ...body, pooling: "max" } : undefined
  );
  await using app = await setup(
    { fetch: observed.fetch },
    { serviceTimeMs: (r) => firstIndex(r) === 100 ? 20 : 10_000 },
  );
  const e = await failure(() =>
    app.ai.embedMany({ embedder: cloudflareAI.embedder(BGE_BASE), content: passages(1000) })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /batch 2 of 10 \(documents 100-199\)/);
  assert.match(e.message, /5006/);
  assert.equal(modelRequests(app.emu).length, 4, "only the first four batches were ever sent");
  assert.deepEqual(
    observed.sent.map((x) => [x.first, x.outcome]).sort(([a], [b]) => Number(a) - Number(b)),
    [[0, "aborted"], [100, "answered"], [200, "aborted"], [300, "aborted"]],
  );
});

Deno.test("aborting an embed call cancels every batch in flight and sends no more (CANCELLED)", async () => {
  // ai.embedMany takes no abort signal in Genkit 1.42; the embedder action does.
  const observed = observedFetch();
  await using app = await setup({ fetch: observed.fetch }, { serviceTimeMs: 10_000 });
  const action = await app.ai.registry.lookupAction(`/embedder/cloudflare-ai/${BGE_BASE}`);
  const controller = new AbortController();
  const input = passages(1000).map((text) => Document.fromText(text).toJSON());
  const call = action({ input }, { abortSignal: controller.signal });
  await eventually(() => app.emu.inFlight === 4);
  controller.abort();
  const e = await failure(() => call);
  assert.equal(e.status, "CANCELLED");
  assert.match(e.message, /cancelled by the caller with 0 of 10 batches done/);
  assert.equal(modelRequests(app.emu).length, 4, "no batch is sent after the abort");
  assert.deepEqual(observed.sent.map((x) => x.outcome), Array(4).fill("aborted"));
});

Deno.test("an embedding id not in the catalog is resolved on demand as an embedder", async () => {
  await using app = await setup();
  const id = "@cf/acme/tiny-embedder";
  const ref = cloudflareAI.embedder(id);
  assert.equal(ref.info?.dimensions, undefined);
  const e = await failure(() => app.ai.embed({ embedder: ref, content: "hi" }));
  // The emulator does not know the model: the request went out in the generic shape.
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /5007/);
  const [req] = modelRequests(app.emu);
  assert.equal(req.model, id);
  assert.deepEqual(req.body, { text: ["hi"] });
});

Deno.test("embedding and reranker ids are not built as text models, nor text models as embedders", async () => {
  await using app = await setup();
  for (const id of [BGE_BASE, "@cf/baai/bge-reranker-base"]) {
    const e = await failure(() => app.ai.generate({ model: `cloudflare-ai/${id}`, prompt: "Hi" }));
    assert.match(e.message, /not found/i, id);
  }
  assert.throws(
    () => cloudflareAI.embedder("@cf/meta/llama-3.1-8b-instruct-fast"),
    /is not an embedding model/,
  );
  assert.throws(() => cloudflareAI.embedder("@cf/baai/bge-reranker-base"), /not an embedding/);
  assert.throws(() => cloudflareAI.embedder("bge-base"), /not a Workers AI model id/);
  const e = await failure(() =>
    app.ai.embed({ embedder: "cloudflare-ai/@cf/meta/llama-3.1-8b-instruct-fast", content: "x" })
  );
  assert.match(e.message, /Unable to resolve embedder/);
  assert.equal(app.emu.requests.length, 0);
});

Deno.test("a large embedding result is summarised for the trace, not for the caller", async () => {
  const { traceSummarized } = (await import("../src/embed/family.ts")).TEST_ONLY;
  const big = traceSummarized({
    embeddings: Array.from({ length: 200 }, () => ({ embedding: new Array(768).fill(0.5) })),
  });
  assert.equal(big.embeddings.length, 200);
  assert.equal(big.embeddings[199].embedding.length, 768);
  const json = JSON.parse(JSON.stringify(big));
  assert.match(json.embeddings, /200 embeddings of 768 dimensions/);
  const small = traceSummarized({ embeddings: [{ embedding: [0.1, 0.2] }] });
  assert.deepEqual(JSON.parse(JSON.stringify(small)), { embeddings: [{ embedding: [0.1, 0.2] }] });
});
