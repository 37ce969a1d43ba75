// The emulator's Vectorize v2 service over raw HTTP, judged by Cloudflare's
// published behaviour (reference §5): NDJSON writes, each metric's score,
// every filter operator, namespaces, ids, info, limits and delayed writes.
import assert from "node:assert/strict";
import process from "node:process";
import { Document, genkit } from "genkit";
import { cloudflareAI } from "../../mod.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";

const base = (emu: Emulator) => `${emu.url}/accounts/${emu.accountId}/vectorize/v2/indexes`;
const auth = (emu: Emulator) => ({ authorization: `Bearer ${emu.apiToken}` });

async function send(emu: Emulator, method: string, path: string, body?: unknown, ndjson = false) {
  const res = await fetch(`${base(emu)}${path}`, {
    method,
    headers: {
      ...auth(emu),
      ...(body === undefined
        ? {}
        : { "content-type": ndjson ? "application/x-ndjson" : "application/json" }),
    },
    body: body === undefined ? undefined : ndjson ? String(body) : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const lines = (vectors: unknown[]) => vectors.map((v) => JSON.stringify(v)).join("\n");

async function withIndex(metric: string, applyDelayMs = 0) {
  const emu = await startEmulator({
    vectorize: {
      applyDelayMs,
      indexes: [{
        name: "t",
        dimensions: 2,
        metric: metric as "cosine",
        metadataIndexes: { kind: "string", n: "number", ok: "boolean", "nested.tag": "string" },
      }],
    },
  });
  await send(
    emu,
    "POST",
    "/t/upsert",
    lines([
      { id: "a", values: [1, 0], metadata: { kind: "x", n: 1, ok: true, nested: { tag: "p" } } },
      { id: "b", values: [0, 1], metadata: { kind: "y", n: 2, ok: false }, namespace: "ns" },
      { id: "c", values: [0.6, 0.8], metadata: { kind: "x", n: 3, body: "long text" } },
    ]),
    true,
  );
  return emu;
}

Deno.test("scores per metric: cosine higher is closer, euclidean and dot-product lower is", async () => {
  const expected: Record<string, [string, number][]> = {
    cosine: [["a", 1], ["c", 0.6], ["b", 0]],
    euclidean: [["a", 0], ["c", Math.sqrt(0.4 ** 2 + 0.8 ** 2)], ["b", Math.SQRT2]],
    "dot-product": [["a", -1], ["c", -0.6], ["b", -0]],
  };
  for (const [metric, want] of Object.entries(expected)) {
    await using emu = await withIndex(metric);
    const { body } = await send(emu, "POST", "/t/query", { vector: [1, 0], topK: 3 });
    assert.deepEqual(body.result.matches.map((m: { id: string }) => m.id), want.map(([id]) => id));
    body.result.matches.forEach((m: { score: number }, i: number) =>
      assert.ok(Math.abs(m.score - want[i][1]) < 1e-6, `${metric} ${m.score}`)
    );
    assert.equal(body.result.count, 3);
    assert.equal(body.result.matches[0].metadata, undefined, "returnMetadata defaults to none");
  }
});

Deno.test("filters: implicit $eq and every operator, nested keys, only indexed properties", async () => {
  await using emu = await withIndex("cosine");
  const ids = async (filter: unknown) =>
    (await send(emu, "POST", "/t/query", { vector: [1, 0], topK: 10, filter })).body.result.matches
      .map((m: { id: string }) => m.id).sort();
  assert.deepEqual(await ids({ kind: "x" }), ["a", "c"]);
  assert.deepEqual(await ids({ kind: { $eq: "y" } }), ["b"]);
  assert.deepEqual(await ids({ kind: { $ne: "y" } }), ["a", "c"]);
  assert.deepEqual(await ids({ n: { $in: [1, 2] } }), ["a", "b"]);
  assert.deepEqual(await ids({ n: { $nin: [1, 2] } }), ["c"]);
  assert.deepEqual(await ids({ n: { $gt: 1, $lte: 3 } }), ["b", "c"]);
  assert.deepEqual(await ids({ n: { $gte: 2, $lt: 3 } }), ["b"]);
  assert.deepEqual(await ids({ ok: true }), ["a"]);
  assert.deepEqual(await ids({ "nested.tag": "p" }), ["a"]);
  assert.deepEqual(await ids({ kind: "x", n: 3 }), ["c"]);
  assert.deepEqual(await ids({ body: "long text" }), [], "no metadata index on body");
  for (const bad of [{ kind: { $like: "x" } }, { $kind: "x" }, { n: { $lt: 1, $lte: 2 } }]) {
    const { status, body } = await send(emu, "POST", "/t/query", { vector: [1, 0], filter: bad });
    assert.equal(status, 400, JSON.stringify(bad));
    assert.equal(body.success, false);
  }
});

Deno.test("namespaces, vectorId queries, get and delete by ids, insert keeps existing ids", async () => {
  await using emu = await withIndex("cosine");
  const q = await send(emu, "POST", "/t/query", {
    vector: [1, 0],
    namespace: "ns",
    returnMetadata: "all",
  });
  assert.deepEqual(q.body.result.matches.map((m: { id: string }) => m.id), ["b"]);
  assert.equal(q.body.result.matches[0].namespace, "ns");
  const byId = await send(emu, "POST", "/t/query", { vectorId: "c", topK: 1 });
  assert.equal(byId.body.result.matches[0].id, "c");
  const got = await send(emu, "POST", "/t/get_by_ids", { ids: ["a", "zz"] });
  assert.deepEqual(got.body.result.map((v: { id: string }) => v.id), ["a"]);
  assert.deepEqual(got.body.result[0].values, [1, 0]);
  await send(emu, "POST", "/t/insert", lines([{ id: "a", values: [0, 1] }]), true);
  const kept = await send(emu, "POST", "/t/get_by_ids", { ids: ["a"] });
  assert.deepEqual(kept.body.result[0].values, [1, 0], "insert does not replace");
  const del = await send(emu, "POST", "/t/delete_by_ids", { ids: ["a"] });
  assert.equal(typeof del.body.result.mutationId, "string");
  const info = await send(emu, "GET", "/t/info");
  assert.equal(info.body.result.vectorCount, 2);
  assert.equal(info.body.result.dimensions, 2);
  assert.equal(info.body.result.processedUpToMutation, del.body.result.mutationId);
});

Deno.test("published limits and errors: dimensions, topK with metadata, returnMetadata, unknown index", async () => {
  await using emu = await withIndex("cosine");
  const dims = await send(emu, "POST", "/t/upsert", lines([{ id: "z", values: [1, 2, 3] }]), true);
  assert.equal(dims.status, 400);
  assert.equal(dims.body.errors[0].code, 40012);
  assert.match(dims.body.errors[0].message, /expected 2 dimensions, and got 3 dimensions/);
  const many = await send(emu, "POST", "/t/query", {
    vector: [1, 0],
    topK: 21,
    returnMetadata: "all",
  });
  assert.equal(many.status, 400);
  assert.equal((await send(emu, "POST", "/t/query", { vector: [1, 0], topK: 100 })).status, 200);
  const meta = await send(emu, "POST", "/t/query", { vector: [1, 0], returnMetadata: "some" });
  assert.equal(meta.body.errors[0].code, 40026);
  const gone = await send(emu, "GET", "/nope/info");
  assert.equal(gone.status, 404);
  const tooMany = lines(Array.from({ length: 5001 }, (_, i) => ({ id: `v${i}`, values: [1, 0] })));
  assert.equal((await send(emu, "POST", "/t/upsert", tooMany, true)).status, 400);
  const created = await send(emu, "POST", "", {
    name: "p",
    config: { preset: "@cf/baai/bge-small-en-v1.5" },
  });
  assert.deepEqual(created.body.result.config, { dimensions: 384, metric: "cosine" });
  const indexed = await send(emu, "POST", "/t/query", {
    vector: [1, 0],
    topK: 1,
    returnMetadata: "indexed",
  });
  assert.deepEqual(indexed.body.result.matches[0].metadata, { kind: "x", n: 1, ok: true });
});

Deno.test("writes apply after the configured delay; info tells how far", async () => {
  await using emu = await startEmulator({
    vectorize: { applyDelayMs: 200, indexes: [{ name: "t", dimensions: 2, metric: "cosine" }] },
  });
  const w = await send(emu, "POST", "/t/upsert", lines([{ id: "a", values: [1, 0] }]), true);
  const before = await send(emu, "GET", "/t/info");
  assert.equal(before.body.result.vectorCount, 0);
  assert.notEqual(before.body.result.processedUpToMutation, w.body.result.mutationId);
  await new Promise((r) => setTimeout(r, 250));
  const after = await send(emu, "GET", "/t/info");
  assert.equal(after.body.result.vectorCount, 1);
  assert.equal(after.body.result.processedUpToMutation, w.body.result.mutationId);
});

// Figures for the note, not a check of speed: run with RETRIEVAL_FIGURES=1.
Deno.test({
  name: "figures: indexing 10,000 documents and running 1,000 queries against the emulator",
  ignore: !process.env.RETRIEVAL_FIGURES,
  async fn() {
    await using emu = await startEmulator({
      vectorize: { indexes: [{ name: "bench", dimensions: 768, metric: "cosine" }] },
    });
    const { url: baseUrl, accountId, apiToken } = emu;
    const ai = genkit({
      promptDir: null,
      plugins: [cloudflareAI({ baseUrl, accountId, apiToken })],
    });
    const embedder = "@cf/baai/bge-base-en-v1.5";
    const docs = Array.from(
      { length: 10_000 },
      (_, i) => Document.fromText(`Passage ${i} about topic ${i % 97} and item ${i % 13}.`),
    );
    let t = performance.now();
    await ai.index({
      indexer: cloudflareAI.vectorizeIndexer("bench", { embedder }),
      documents: docs,
    });
    const indexMs = performance.now() - t;
    const indexRequests = emu.requests.length;
    emu.reset();
    const retriever = cloudflareAI.vectorizeRetriever("bench", { embedder });
    t = performance.now();
    for (let i = 0; i < 1000; i++) {
      const found = await ai.retrieve({
        retriever,
        query: `topic ${i % 97} item ${i % 13}`,
        options: { k: 10 },
      });
      assert.equal(found.length, 10);
    }
    const queryMs = performance.now() - t;
    console.log(JSON.stringify({
      index: { documents: 10_000, requests: indexRequests, ms: Math.round(indexMs) },
      queries: { count: 1000, requests: emu.requests.length, ms: Math.round(queryMs) },
    }));
  },
});
