import assert from "node:assert/strict";
import { Document } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { RERANKER_MODELS } from "../src/models.ts";
import { failure, modelRequests, setup } from "./_setup.ts";
import { inputProperties, PUBLISHED_FILES, publishedFile } from "./_published.ts";

const RERANKER = "@cf/baai/bge-reranker-base";
const BGE_M3 = "@cf/baai/bge-m3";

const QUERY = "how do cats purr";
const DOCS = [
  Document.fromText("Dogs bark at the mail carrier.", { source: "dogs.md", page: 1 }),
  Document.fromText("Cats purr when they are content, and how cats purr is still studied.", {
    source: "cats.md",
    page: 7,
  }),
  Document.fromText("The stock market fell on Tuesday.", { source: "news.md" }),
  Document.fromText("Some cats purr loudly.", { source: "cats.md", page: 2 }),
];

Deno.test("rerank returns documents best first with their scores, keeping each document's metadata", async () => {
  await using app = await setup();
  const ranked = await app.ai.rerank({
    reranker: cloudflareAI.reranker(RERANKER),
    query: QUERY,
    documents: DOCS,
  });
  assert.equal(ranked.length, 4);
  const scores = ranked.map((d) => d.score());
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), "best first");
  for (const s of scores) assert.ok(s > 0 && s < 1);
  assert.deepEqual(ranked.map((d) => d.metadata.source), [
    "cats.md",
    "cats.md",
    "dogs.md",
    "news.md",
  ]);
  assert.deepEqual(ranked[0].metadata, { source: "cats.md", page: 7, score: scores[0] });
  assert.equal(ranked[0].text, DOCS[1].text);
  const [req] = modelRequests(app.emu);
  assert.equal(req.model, RERANKER);
  assert.deepEqual(req.body, {
    query: QUERY,
    contexts: DOCS.map((d) => ({ text: d.text })),
  });
});

Deno.test("topK is sent as top_k and keeps only the best documents", async () => {
  await using app = await setup();
  const all = await app.ai.rerank({
    reranker: `cloudflare-ai/${RERANKER}`,
    query: QUERY,
    documents: DOCS,
  });
  const ref = cloudflareAI.reranker(RERANKER, { topK: 2 });
  const top = await app.ai.rerank({
    reranker: ref,
    query: QUERY,
    documents: DOCS,
    options: ref.config,
  });
  assert.deepEqual(
    top.map((d) => [d.text, d.score()]),
    all.slice(0, 2).map((d) => [d.text, d.score()]),
  );
  assert.deepEqual((modelRequests(app.emu)[1].body as Record<string, unknown>).top_k, 2);
});

Deno.test("bge-m3 reranks in its query + contexts mode; topK is applied by the plugin", async () => {
  await using app = await setup();
  // Its published input has a query, contexts and truncate_inputs, and no top_k.
  const published = inputProperties(BGE_M3);
  assert.ok(published.query && published.contexts && published.truncate_inputs);
  assert.equal(published.top_k, undefined);
  const ranked = await app.ai.rerank({
    reranker: cloudflareAI.reranker(BGE_M3),
    query: QUERY,
    documents: DOCS,
    options: { topK: 3, truncateInputs: true },
  });
  assert.equal(ranked.length, 3);
  const scores = ranked.map((d) => d.score());
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  assert.equal(ranked[0].metadata.source, "cats.md");
  const [req] = modelRequests(app.emu);
  assert.equal(req.model, BGE_M3);
  assert.deepEqual(req.body, {
    query: QUERY,
    contexts: DOCS.map((d) => ({ text: d.text })),
    truncate_inputs: true,
  }, "bge-m3 takes no top_k");
});

Deno.test("no documents: no request and no results", async () => {
  await using app = await setup();
  const ranked = await app.ai.rerank({
    reranker: cloudflareAI.reranker(RERANKER),
    query: QUERY,
    documents: [],
  });
  assert.deepEqual(ranked, []);
  assert.equal(app.emu.requests.length, 0);
});

Deno.test("an empty query, an empty or non-text document and bad options are refused before any request", async () => {
  await using app = await setup();
  const reranker = cloudflareAI.reranker(RERANKER);
  const image = Document.fromMedia("data:image/png;base64,iVBORw0KGgo=", "image/png");
  const cases: [Parameters<typeof app.ai.rerank>[0], RegExp][] = [
    [{ reranker, query: "", documents: DOCS }, /the query .* has no text/],
    [
      { reranker, query: QUERY, documents: [...DOCS, Document.fromText("")] },
      /documents\[4\] .* has no text/,
    ],
    [
      { reranker, query: QUERY, documents: [DOCS[0], image] },
      /documents\[1\] .* media \(image\/png\)/,
    ],
    // top_k is published as an integer of at least 1.
    [
      { reranker, query: QUERY, documents: DOCS, options: { topK: 0 } },
      /topK = 0 is not valid .*whole number at least 1/,
    ],
    [
      { reranker, query: QUERY, documents: DOCS, options: { topK: 1.5 } },
      /topK = 1\.5 is not valid .*whole number at least 1/,
    ],
    [
      { reranker, query: QUERY, documents: DOCS, options: { k: 2 } },
      /k is not supported.*use topK/,
    ],
    [
      { reranker, query: QUERY, documents: DOCS, options: { truncateInputs: true } },
      /truncateInputs is not supported by @cf\/baai\/bge-reranker-base: it takes topK; truncateInputs is taken by @cf\/baai\/bge-m3/,
    ],
  ];
  for (const [params, message] of cases) {
    const e = await failure(() => app.ai.rerank(params));
    assert.equal(e.status, "INVALID_ARGUMENT", String(message));
    assert.match(e.message, message);
  }
  assert.throws(() => cloudflareAI.reranker(RERANKER, { topK: 0 }), /topK/);
  assert.equal(app.emu.requests.length, 0);
});

Deno.test("only rerankers are rerankers: text and embedding-only ids are refused", async () => {
  await using app = await setup();
  // The rerankers: the published definitions whose input has a query and contexts.
  const published = [...PUBLISHED_FILES.keys()].filter((id) => {
    const props = inputProperties(id);
    return props.query !== undefined && props.contexts !== undefined;
  });
  assert.deepEqual(RERANKER_MODELS.map((m) => m.id).sort(), published.sort());
  for (const m of RERANKER_MODELS) {
    assert.equal(m.topK, inputProperties(m.id).top_k !== undefined, m.id);
  }
  assert.throws(() => cloudflareAI.reranker("@cf/baai/bge-base-en-v1.5"), /is not a reranker/);
  assert.throws(
    () => cloudflareAI.reranker("@cf/meta/llama-3.1-8b-instruct-fast"),
    /is not a reranker/,
  );
  const e = await failure(() =>
    app.ai.rerank({
      reranker: "cloudflare-ai/@cf/baai/bge-base-en-v1.5",
      query: QUERY,
      documents: DOCS,
    })
  );
  assert.match(e.message, /Unable to resolve the reranker/);
  assert.equal(app.emu.requests.length, 0);
});

Deno.test("a failed rerank names the model and Cloudflare's error", async () => {
  await using app = await setup({ maxRetries: 0 });
  app.emu.fault({ status: 500 });
  const e = await failure(() =>
    app.ai.rerank({ reranker: cloudflareAI.reranker(RERANKER), query: QUERY, documents: DOCS })
  );
  assert.equal(e.status, "INTERNAL");
  assert.ok(e.message.includes(RERANKER));
  assert.match(e.message, /HTTP 500\. Cloudflare error 3043/);
});

Deno.test("list() shows every embedder with its dimensions and every reranker with its options", async () => {
  await using app = await setup();
  const plugin = cloudflareAI({ accountId: "a", apiToken: "t" });
  const listed = await plugin.list!();
  const byKey = new Map(listed.map((m) => [`/${m.actionType}/${m.name}`, m]));
  const BGE_BASE = "@cf/baai/bge-base-en-v1.5";
  const base = byKey.get(`/embedder/cloudflare-ai/${BGE_BASE}`);
  assert.equal(
    base?.metadata?.embedder?.dimensions,
    publishedFile(BGE_BASE).properties.output_dimensions,
  );
  assert.deepEqual(
    Object.keys(base?.metadata?.embedder?.customOptions?.properties ?? {}),
    inputProperties(BGE_BASE).pooling ? ["pooling"] : [],
  );
  const omni = byKey.get("/embedder/cloudflare-ai/@cf/baai/omni-bge-base-en-v1.5");
  assert.deepEqual(
    Object.keys(omni?.metadata?.embedder?.customOptions?.properties ?? {}),
    ["pooling"],
  );
  const qwen = byKey.get("/embedder/cloudflare-ai/@cf/qwen/qwen3-embedding-0.6b");
  assert.deepEqual(Object.keys(qwen?.metadata?.embedder?.customOptions?.properties ?? {}), [
    "inputType",
    "instruction",
  ]);
  for (const id of [RERANKER, BGE_M3]) {
    const r = byKey.get(`/reranker/cloudflare-ai/${id}`);
    assert.equal(r?.actionType, "reranker", id);
    assert.ok(r?.metadata?.reranker?.customOptions?.properties?.topK, `${id} lists topK`);
  }
  assert.ok(byKey.has("/embedder/cloudflare-ai/@cf/baai/bge-m3"), "bge-m3 is an embedder too");
  assert.ok(byKey.has("/model/cloudflare-ai/@cf/meta/llama-3.1-8b-instruct-fast"));
  // What the Developer UI reads once the plugin has started: the same names, resolved.
  const actions = await app.ai.registry.listResolvableActions();
  assert.ok(actions[`/reranker/cloudflare-ai/${RERANKER}`]);
  const plamo = actions["/embedder/cloudflare-ai/@cf/pfnet/plamo-embedding-1b"];
  assert.equal((plamo?.metadata?.info as { dimensions?: number })?.dimensions, 2048);
});
