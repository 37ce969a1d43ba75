// The AI Search retriever through a real genkit(), against the emulator's
// AI Search over REST and through a fake namespace binding.
import assert from "node:assert/strict";
import { genkit } from "genkit";
import { type AiSearchBinding, cloudflareAI } from "../mod.ts";
import { type Emulator, startEmulator } from "../src/testing/mod.ts";
import { failure } from "./_setup.ts";

function appOn(emu: Emulator, aiSearchBindings?: Record<string, AiSearchBinding>) {
  const { url: baseUrl, accountId, apiToken } = emu;
  return genkit({
    promptDir: null,
    plugins: [cloudflareAI({
      baseUrl,
      accountId,
      apiToken,
      retryDelayMs: 1,
      ...(aiSearchBindings ? { aiSearchBindings } : {}),
    })],
  });
}

/**
 * A stand-in for env.AI_SEARCH served by the emulator: get(name).search()
 * posts to the namespace's instance and resolves to the unwrapped result;
 * failures are thrown as errors carrying the code, named as the binding names them.
 */
function namespaceBinding(emu: Emulator, namespace = "default") {
  const calls: unknown[] = [];
  const binding: AiSearchBinding = {
    get: (name) => ({
      async search(request) {
        calls.push({ name, request });
        const url = `${emu.url}/accounts/${emu.accountId}/ai-search/namespaces/${namespace}` +
          `/instances/${name}/search`;
        const res = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": "application/json" },
          body: JSON.stringify(request),
        });
        const body = await res.json();
        if (!body.success) {
          const e = new Error(`${body.errors[0].code}: ${body.errors[0].message}`);
          // As the AutoRAG binding names them (reference §6.3).
          if (res.status === 404) e.name = "AutoRAGNotFoundError";
          if (res.status === 401) e.name = "AutoRAGUnauthorizedError";
          throw e;
        }
        return body.result;
      },
    }),
  };
  return { binding, calls };
}

Deno.test("each chunk becomes a document with its text, key, timestamp and score, best first", async () => {
  await using emu = await startEmulator();
  const ai = appOn(emu);
  const retriever = cloudflareAI.aiSearchRetriever("docs");
  const docs = await ai.retrieve({
    retriever,
    query: "Who wrote the first computer program?",
    options: { k: 2, matchThreshold: 0 },
  });
  assert.equal(docs.length, 2);
  assert.equal(docs[0].metadata?.key, "history/ada.md");
  assert.match(docs[0].text, /Ada Lovelace/);
  assert.equal(typeof docs[0].metadata?.timestamp, "number");
  const scores = docs.map((d) => d.metadata?.score as number);
  assert.ok(scores.every((s) => s >= 0 && s <= 1));
  assert.deepEqual([...scores].sort((a, b) => b - a), scores);
  // The current namespace-scoped search endpoint, k as max_num_results (reference §6.1).
  const [req] = emu.requests;
  assert.equal(
    req.path,
    `/client/v4/accounts/${emu.accountId}/ai-search/namespaces/default/instances/docs/search`,
  );
  assert.deepEqual(req.body, {
    query: "Who wrote the first computer program?",
    ai_search_options: { retrieval: { max_num_results: 2, match_threshold: 0 } },
  });
});

Deno.test("options map to ai_search_options: filters, retrieval type, query rewriting, reranking", async () => {
  await using emu = await startEmulator();
  const ai = appOn(emu);
  const docs = await ai.retrieve({
    retriever: cloudflareAI.aiSearchRetriever("docs", { namespace: "default" }),
    query: "the first compiler",
    options: {
      k: 5,
      matchThreshold: 0,
      filters: { folder: "history/" },
      retrievalType: "vector",
      contextExpansion: 1,
      rewriteQuery: true,
      reranking: { model: "@cf/baai/bge-reranker-base", matchThreshold: 0 },
    },
  });
  assert.deepEqual(docs.map((d) => d.metadata?.key).sort(), ["history/ada.md", "history/grace.md"]);
  assert.equal(docs[0].metadata?.key, "history/grace.md");
  assert.deepEqual((emu.requests[0].body as Record<string, unknown>).ai_search_options, {
    retrieval: {
      max_num_results: 5,
      match_threshold: 0,
      filters: { folder: "history/" },
      retrieval_type: "vector",
      context_expansion: 1,
    },
    query_rewrite: { enabled: true },
    reranking: { enabled: true, model: "@cf/baai/bge-reranker-base", match_threshold: 0 },
  });
});

Deno.test("the binding path and the REST path return equal documents and equal errors", async () => {
  await using emu = await startEmulator();
  const { binding, calls } = namespaceBinding(emu);
  const rest = appOn(emu);
  const bound = appOn(emu, { default: binding });
  const retriever = cloudflareAI.aiSearchRetriever("docs");
  for (const query of ["vector database", "machine learning on GPUs", "Grace Hopper"]) {
    const options = { k: 3, matchThreshold: 0 };
    const a = await rest.retrieve({ retriever, query, options });
    const b = await bound.retrieve({ retriever, query, options });
    assert.deepEqual(b.map((d) => d.toJSON()), a.map((d) => d.toJSON()));
  }
  assert.equal(calls.length, 3);
  const missing = cloudflareAI.aiSearchRetriever("nowhere");
  const e1 = await failure(() => rest.retrieve({ retriever: missing, query: "x" }));
  const e2 = await failure(() => bound.retrieve({ retriever: missing, query: "x" }));
  assert.equal(e1.status, "NOT_FOUND");
  assert.equal(e2.status, e1.status);
  assert.equal(e2.message, e1.message);
  assert.match(e1.message, /AI Search search on instance default\/nowhere failed.*7002/);
});

Deno.test("bad input is refused before any request", async () => {
  await using emu = await startEmulator();
  const ai = appOn(emu);
  for (const name of ["", "a/b", "../x", "x y"]) {
    assert.throws(() => cloudflareAI.aiSearchRetriever(name), /instance name/);
  }
  assert.throws(() => cloudflareAI.aiSearchRetriever("docs", { namespace: "a/b" }), /namespace/);
  const retriever = cloudflareAI.aiSearchRetriever("docs");
  const cases: [unknown, RegExp][] = [
    [{ k: 0 }, /k must be a whole number from 1 to 50/],
    [{ k: 51 }, /k must be a whole number from 1 to 50/],
    [{ matchThreshold: 2 }, /matchThreshold must be a number from 0 to 1/],
    [{ filters: { folder: { $regex: "x" } } }, /unknown operator "\$regex"/],
    [{ reranking: { model: "reranker" } }, /model id/i],
    [{ topK: 3 }, /unknown option topK/],
  ];
  for (const [options, pattern] of cases) {
    const e = await failure(() =>
      ai.retrieve({ retriever, query: "q", options: options as never })
    );
    assert.equal(e.status, "INVALID_ARGUMENT", String(pattern));
    assert.match(e.message, pattern);
  }
  assert.equal(
    (await failure(() => ai.retrieve({ retriever, query: "" }))).status,
    "INVALID_ARGUMENT",
  );
  assert.equal(emu.requests.length, 0);
});
