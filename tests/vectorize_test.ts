// The Vectorize indexer and retriever through a real genkit(), against the
// emulator's Vectorize over REST and through a fake binding of the same index.
import assert from "node:assert/strict";
import { Document, genkit, getGenkitRuntimeConfig, setGenkitRuntimeConfig } from "genkit";
import { type AiBinding, cloudflareAI } from "../mod.ts";
import {
  type Emulator,
  startEmulator,
  vectorizeBinding,
  type VectorizeIndexConfig,
} from "../src/testing/mod.ts";
import { failure } from "./_setup.ts";

const BASE = "@cf/baai/bge-base-en-v1.5"; // 768 dimensions (Cloudflare's model page)
const SMALL = "@cf/baai/bge-small-en-v1.5"; // 384 dimensions

const docsIndex = (over: Partial<VectorizeIndexConfig> = {}): VectorizeIndexConfig => ({
  name: "docs",
  dimensions: 768,
  metric: "cosine",
  metadataIndexes: { lang: "string", year: "number" },
  ...over,
});

async function start(indexes: VectorizeIndexConfig[] = [docsIndex()], applyDelayMs = 0) {
  const emu = await startEmulator({ vectorize: { indexes, applyDelayMs } });
  return { emu, ai: appOn(emu) };
}

function appOn(emu: Emulator, bindings?: Record<string, ReturnType<typeof vectorizeBinding>>) {
  const { url: baseUrl, accountId, apiToken } = emu;
  return genkit({
    promptDir: null,
    plugins: [cloudflareAI({ baseUrl, accountId, apiToken, vectorizeBindings: bindings })],
  });
}

/** Requests to Vectorize by operation (the last path segment). */
const vectorizeOps = (emu: Emulator) =>
  emu.requests.filter((r) => r.route === "vectorize").map((r) => r.path.split("/").pop());
const embedRequests = (emu: Emulator) => emu.requests.filter((r) => r.route === "run").length;

/** The fake binding's view of an index: its info and stored vectors, straight from the emulator. */
const info = (emu: Emulator, index = "docs") => vectorizeBinding(emu, index).describe();
const getByIds = (emu: Emulator, ids: string[]) => vectorizeBinding(emu, "docs").getByIds(ids);

// A small labelled set: each question's answer passage shares its key words.
const PASSAGES = ([
  ["ada", "Ada Lovelace wrote the first computer program for the Analytical Engine.", "en", 1843],
  ["grace", "Grace Hopper built the first compiler for a programming language.", "en", 1952],
  [
    "turing",
    "Alan Turing described a universal machine that computes anything computable.",
    "en",
    1936,
  ],
  ["curie", "Marie Curie won Nobel prizes in physics and chemistry for radioactivity.", "fr", 1911],
  ["eiffel", "Gustave Eiffel designed the iron tower built for the Paris exposition.", "fr", 1889],
  ["tea", "Green tea is brewed with water below boiling for two minutes.", "en", 2020],
] as const).map(([id, text, lang, year]) => ({ id, text, lang, year }));
const LABELS = [
  { query: "Who wrote the first computer program?", answer: "ada" },
  { query: "Who built the first compiler?", answer: "grace" },
  { query: "Which tower was built for the Paris exposition?", answer: "eiffel" },
  { query: "How long is green tea brewed?", answer: "tea" },
];
const documents = PASSAGES.map(({ id, text, lang, year }) =>
  Document.fromText(text, { id, lang, year })
);

Deno.test("index -> retrieve -> rerank returns each labelled question's passage first", async () => {
  const { emu, ai } = await start();
  await using _ = emu;
  const indexer = cloudflareAI.vectorizeIndexer("docs", { embedder: BASE });
  const retriever = cloudflareAI.vectorizeRetriever("docs", { embedder: BASE });
  await ai.index({ indexer, documents });
  for (const { query, answer } of LABELS) {
    const found = await ai.retrieve({ retriever, query, options: { k: 4 } });
    assert.equal(found.length, 4);
    const ranked = await ai.rerank({
      reranker: cloudflareAI.reranker("@cf/baai/bge-reranker-base"),
      query,
      documents: found,
    });
    assert.equal(ranked[0].metadata?.id, answer, query);
    // The document comes back whole: its text, its own metadata, the vector's id and score.
    const own = PASSAGES.find((p) => p.id === answer)!;
    assert.equal(ranked[0].text, own.text);
    assert.equal(ranked[0].metadata?.lang, own.lang);
    assert.equal(ranked[0].metadata?.year, own.year);
  }
  // Cosine scores: higher is closer, best first (reference §5.2).
  const scored = await ai.retrieve({ retriever, query: PASSAGES[0].text, options: { k: 3 } });
  const scores = scored.map((d) => d.metadata?.score as number);
  assert.equal(scored[0].metadata?.id, "ada");
  assert.ok(Math.abs(scores[0] - 1) < 1e-4, `an identical text scores 1, got ${scores[0]}`);
  assert.deepEqual([...scores].sort((a, b) => b - a), scores);
});

Deno.test("re-indexing the same documents changes nothing (upsert, stable ids)", async () => {
  const { emu, ai } = await start();
  await using _ = emu;
  const indexer = cloudflareAI.vectorizeIndexer("docs", { embedder: BASE });
  // Without metadata.id, the id is a hash of the text: the same on every run.
  const plain = [
    Document.fromText("Kettles boil water."),
    Document.fromText("Toasters brown bread."),
  ];
  await ai.index({ indexer, documents: [...documents, ...plain] });
  const first = await info(emu);
  const ids = [...PASSAGES.map((p) => p.id)];
  const before = await getByIds(emu, ids);
  await ai.index({ indexer, documents: [...documents, ...plain] });
  const second = await info(emu);
  assert.equal(first.vectorCount, PASSAGES.length + 2);
  assert.equal(second.vectorCount, first.vectorCount);
  assert.deepEqual(await getByIds(emu, ids), before);
  assert.notEqual(second.processedUpToMutation, first.processedUpToMutation, "written twice");
  // Two writes (upserts), never an insert.
  const writes = vectorizeOps(emu).filter((op) => op === "upsert" || op === "insert");
  assert.deepEqual(writes, ["upsert", "upsert"]);
  // NDJSON bodies (reference §5.1), one vector per line.
  const upload = emu.requests.find((r) => r.path.endsWith("/upsert"));
  assert.equal(upload?.contentType, "application/x-ndjson");
});

Deno.test("a filter narrows the results; a namespace keeps its vectors apart", async () => {
  const { emu, ai } = await start();
  await using _ = emu;
  await ai.index({ indexer: cloudflareAI.vectorizeIndexer("docs", { embedder: BASE }), documents });
  const retriever = cloudflareAI.vectorizeRetriever("docs", { embedder: BASE });
  const query = "Who built the first compiler?";
  const all = await ai.retrieve({ retriever, query, options: { k: 6 } });
  assert.equal(all.length, 6);
  const fr = await ai.retrieve({ retriever, query, options: { k: 6, filter: { lang: "fr" } } });
  assert.deepEqual(fr.map((d) => d.metadata?.id).sort(), ["curie", "eiffel"]);
  const old = await ai.retrieve({
    retriever,
    query,
    options: { k: 6, filter: { lang: { $in: ["en"] }, year: { $gte: 1900, $lt: 2000 } } },
  });
  assert.deepEqual(old.map((d) => d.metadata?.id).sort(), ["grace", "turing"]);

  const ns = { embedder: BASE, namespace: "tenant-a" };
  await ai.index({
    indexer: cloudflareAI.vectorizeIndexer("docs", ns),
    documents: [Document.fromText("Tenant A keeps its own notes.", { id: "a-note" })],
  });
  const inNs = await ai.retrieve({ retriever: cloudflareAI.vectorizeRetriever("docs", ns), query });
  assert.deepEqual(inNs.map((d) => [d.metadata?.id, d.metadata?.namespace]), [[
    "a-note",
    "tenant-a",
  ]]);
  const body = emu.requests.filter((r) => r.path.endsWith("/query")).pop()?.body as Record<
    string,
    unknown
  >;
  assert.equal(body.namespace, "tenant-a");
  assert.equal(body.returnMetadata, "all");
});

Deno.test("the binding path and the REST path return equal documents and equal errors", async () => {
  const { emu, ai: rest } = await start();
  await using _ = emu;
  const bound = appOn(emu, {
    docs: vectorizeBinding(emu, "docs"),
    gone: vectorizeBinding(emu, "gone"),
  });
  const indexer = cloudflareAI.vectorizeIndexer("docs", { embedder: BASE });
  const retriever = cloudflareAI.vectorizeRetriever("docs", { embedder: BASE });
  await bound.index({ indexer, documents });
  const options = { k: 5, filter: { lang: "en" } };
  for (const { query } of LABELS) {
    const viaRest = await rest.retrieve({ retriever, query, options });
    const viaBinding = await bound.retrieve({ retriever, query, options });
    assert.deepEqual(viaBinding.map((d) => d.toJSON()), viaRest.map((d) => d.toJSON()));
  }
  // An index that does not exist: the same status, code and message either way.
  const missing = cloudflareAI.vectorizeRetriever("gone", { embedder: BASE });
  const a = await failure(() => rest.retrieve({ retriever: missing, query: "x" }));
  const b = await failure(() => bound.retrieve({ retriever: missing, query: "x" }));
  assert.equal(a.status, "NOT_FOUND");
  assert.equal(b.status, a.status);
  assert.equal(b.message, a.message);
  assert.match(a.message, /Vectorize describe on index gone failed.*40401.*Create the index/);
  assert.deepEqual(
    (b.detail as { errors: unknown }).errors,
    (a.detail as { errors: unknown }).errors,
  );
});

Deno.test("bad input is refused before any request", async () => {
  const { emu, ai } = await start([docsIndex(), docsIndex({ name: "small", dimensions: 384 })]);
  await using _ = emu;
  const retriever = cloudflareAI.vectorizeRetriever("docs", { embedder: BASE });
  const indexer = cloudflareAI.vectorizeIndexer("docs", { embedder: BASE });
  for (const name of ["Docs!", "../x", "a/b", "", "x".repeat(65)]) {
    assert.throws(() => cloudflareAI.vectorizeRetriever(name, { embedder: BASE }), /index name/);
  }
  assert.throws(() => cloudflareAI.vectorizeIndexer("docs", { embedder: "bge" }), /model id/i);
  const pooling = { embedder: BASE, embedderOptions: { pooling: "max" as "cls" } };
  assert.throws(() => cloudflareAI.vectorizeRetriever("docs", pooling), /pooling/);
  assert.throws(
    () => cloudflareAI.vectorizeIndexer("docs", { embedder: BASE, namespace: "x".repeat(65) }),
    /namespace/,
  );
  const refusals: [string, () => Promise<unknown>, RegExp][] = [
    [
      "unknown operator",
      () => ai.retrieve({ retriever, query: "q", options: { filter: { lang: { $like: "e" } } } }),
      /unknown operator "\$like"/,
    ],
    [
      "forbidden key",
      () => ai.retrieve({ retriever, query: "q", options: { filter: { $lang: "en" } } }),
      /starts with "\$"/,
    ],
    [
      "two upper bounds",
      () =>
        ai.retrieve({ retriever, query: "q", options: { filter: { year: { $lt: 1, $lte: 2 } } } }),
      /two upper bounds/,
    ],
    [
      "k above 20 with all metadata",
      () => ai.retrieve({ retriever, query: "q", options: { k: 21 } }),
      /1 to 20.*indexed/,
    ],
    [
      "k above 100",
      () => ai.retrieve({ retriever, query: "q", options: { k: 101, returnMetadata: "indexed" } }),
      /1 to 100/,
    ],
    ["k of 0", () => ai.retrieve({ retriever, query: "q", options: { k: 0 } }), /1 to 20/],
    ["empty query", () => ai.retrieve({ retriever, query: "" }), /no text/],
    [
      "document without text",
      () => ai.index({ indexer, documents: [Document.fromText("ok"), Document.fromText("")] }),
      /documents\[1\].*no text/,
    ],
    [
      "text key in metadata",
      () => ai.index({ indexer, documents: [Document.fromText("a", { text: "b" })] }),
      /metadata key "text"/,
    ],
    [
      "too large",
      () =>
        ai.index({ indexer, documents: [Document.fromText("word ".repeat(2500), { id: "big" })] }),
      /"big".*at most 10240 bytes/,
    ],
    [
      "long id",
      () => ai.index({ indexer, documents: [Document.fromText("a", { id: "i".repeat(65) })] }),
      /64 bytes/,
    ],
  ];
  for (const [what, call, pattern] of refusals) {
    const e = await failure(call);
    assert.equal(e.status, "INVALID_ARGUMENT", what);
    assert.match(e.message, pattern, what);
  }
  assert.equal(emu.requests.length, 0, "no request was sent");

  // The wrong dimensions for the index, from its description: nothing embedded or written.
  const small = cloudflareAI.vectorizeIndexer("small", { embedder: BASE });
  const e = await failure(() => ai.index({ indexer: small, documents }));
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(
    e.message,
    /small has 384 dimensions, but @cf\/baai\/bge-base-en-v1.5 makes vectors of 768/,
  );
  assert.deepEqual(vectorizeOps(emu), ["info"]);
  assert.equal(embedRequests(emu), 0);
  // The right model for it works.
  await ai.index({
    indexer: cloudflareAI.vectorizeIndexer("small", { embedder: SMALL }),
    documents,
  });
  assert.equal((await info(emu, "small")).vectorCount, documents.length);
});

Deno.test("writes are queryable after the index applies them; waitUntilApplied waits, within timeoutMs", async () => {
  const { emu, ai } = await start([docsIndex()], 1500);
  await using _ = emu;
  const indexer = cloudflareAI.vectorizeIndexer("docs", { embedder: BASE });
  const retriever = cloudflareAI.vectorizeRetriever("docs", { embedder: BASE });
  await ai.index({ indexer, documents: documents.slice(0, 2) });
  assert.equal((await ai.retrieve({ retriever, query: "Ada" })).length, 0, "not yet applied");
  await ai.index({ indexer, documents: documents.slice(2), options: { waitUntilApplied: true } });
  assert.equal((await ai.retrieve({ retriever, query: "Ada", options: { k: 10 } })).length, 6);

  const slow = await start([docsIndex()], 60_000);
  await using __ = slow.emu;
  const e = await failure(() =>
    slow.ai.index({ indexer, documents, options: { waitUntilApplied: true, timeoutMs: 150 } })
  );
  assert.equal(e.status, "DEADLINE_EXCEEDED");
  assert.match(e.message, /accepted the writes .* not applied them within 150 ms/);
});

Deno.test("euclidean and dot-product indexes: lower scores are closer, best first", async () => {
  const { emu, ai } = await start([
    docsIndex({ name: "l2", metric: "euclidean" }),
    docsIndex({ name: "dot", metric: "dot-product" }),
  ]);
  await using _ = emu;
  for (const index of ["l2", "dot"]) {
    await ai.index({
      indexer: cloudflareAI.vectorizeIndexer(index, { embedder: BASE }),
      documents,
    });
    const found = await ai.retrieve({
      retriever: cloudflareAI.vectorizeRetriever(index, { embedder: BASE }),
      query: PASSAGES[1].text,
      options: { k: 4 },
    });
    const scores = found.map((d) => d.metadata?.score as number);
    assert.equal(found[0].metadata?.id, "grace", index);
    assert.deepEqual([...scores].sort((a, b) => a - b), scores, index);
    // An identical (unit) vector: distance 0 for euclidean, -1 for the negated dot product.
    assert.ok(Math.abs(scores[0] - (index === "l2" ? 0 : -1)) < 1e-3, `${index}: ${scores[0]}`);
  }
});

Deno.test("uploads are batched within the limits: 5000 vectors over HTTP, 1000 through a binding", async () => {
  const { emu, ai } = await start([docsIndex({ name: "many", dimensions: 384 })]);
  await using _ = emu;
  const many = Array.from({ length: 5001 }, (_, i) => Document.fromText(`note number ${i}`));
  const indexer = cloudflareAI.vectorizeIndexer("many", { embedder: SMALL });
  await ai.index({ indexer, documents: many });
  assert.deepEqual(vectorizeOps(emu).filter((op) => op === "upsert").length, 2);
  assert.equal((await info(emu, "many")).vectorCount, 5001);
  emu.reset();
  const bound = appOn(emu, { many: vectorizeBinding(emu, "many") });
  await bound.index({ indexer, documents: many.slice(0, 1001) });
  assert.equal(vectorizeOps(emu).filter((op) => op === "upsert").length, 2);
  assert.equal((await info(emu, "many")).vectorCount, 5001, "the same ids, replaced");
});

Deno.test("the Worker example's /ask answers from the Vectorize binding, citing its sources", async () => {
  const { emu, ai } = await start([docsIndex({ name: "genkit-rag" })]);
  await using _ = emu;
  const indexer = cloudflareAI.vectorizeIndexer("genkit-rag", { embedder: BASE });
  await ai.index({ indexer, documents });
  // env.AI as the binding answers JSON models: the result itself, or a thrown "<code>: <message>".
  const AI: AiBinding = {
    async run(model, inputs) {
      const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${model}`, {
        method: "POST",
        headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": "application/json" },
        body: JSON.stringify(inputs),
      });
      const body = await res.json();
      if (!body.success) throw new Error(`${body.errors[0].code}: ${body.errors[0].message}`);
      return body.result;
    },
  };
  // The worker sets Genkit's runtime config for Workers when it loads: restore it afterwards.
  const config = getGenkitRuntimeConfig();
  const { default: worker } = await import("../examples/worker/worker.ts");
  setGenkitRuntimeConfig(config);
  emu.reset();
  const env = { AI, DOCS: vectorizeBinding(emu, "genkit-rag") };
  const res = await worker.fetch(
    new Request("http://worker/ask", {
      method: "POST",
      body: JSON.stringify({ question: LABELS[0].query }),
    }),
    env,
  );
  assert.equal(res.status, 200);
  const { answer, sources } = await res.json();
  assert.equal(sources.length, 3);
  assert.equal(sources[0].id, LABELS[0].answer);
  assert.match(answer, new RegExp(`\\[${LABELS[0].answer}\\]`), "the prompt cites the sources");
  // Vectorize through the binding, models through env.AI: no REST call to Vectorize's API.
  assert.ok(emu.requests.some((r) => r.route === "vectorize"));
  assert.ok(emu.requests.every((r) => r.headers.authorization === `Bearer ${emu.apiToken}`));
});

Deno.test("a binding's transient failure (VECTOR_QUERY_ERROR: Status + 500) is retried", async () => {
  const { emu, ai } = await start();
  await using _ = emu;
  const real = vectorizeBinding(emu, "docs");
  let failures = 0;
  const flaky = {
    ...real,
    query: (v: number[], o?: Record<string, unknown>) =>
      ++failures <= 2
        ? Promise.reject(new Error("VECTOR_QUERY_ERROR: Status + 500"))
        : real.query(v, o),
  };
  const bound = appOn(emu, { docs: flaky });
  await ai.index({ indexer: cloudflareAI.vectorizeIndexer("docs", { embedder: BASE }), documents });
  const retriever = cloudflareAI.vectorizeRetriever("docs", { embedder: BASE });
  assert.equal((await bound.retrieve({ retriever, query: LABELS[0].query })).length, 5);
  assert.equal(failures, 3);
});
