import assert from "node:assert/strict";
import { genkit } from "genkit";
import { logger } from "genkit/logging";
import { cloudflareAI } from "../mod.ts";
import { EMBEDDING_MODELS, TEXT_MODELS } from "../src/models.ts";
import { type Emulator, startEmulator } from "../src/testing/mod.ts";

type Meta = { actionType: string; name: string; metadata?: Record<string, unknown> };

/**
 * A fetch that pages the model search 10 at a time (to exercise pagination)
 * and adds two models to the first page: one the catalog does not know, with
 * function calling, and one with a planned deprecation date.
 */
function searchFetch(options: { fail?: boolean } = {}): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    if (!url.pathname.endsWith("/ai/models/search")) return fetch(input, init);
    if (options.fail) throw new TypeError("connection refused");
    url.searchParams.set("per_page", "10");
    const res = await fetch(url, init);
    const body = await res.json();
    // The deprecated entry added below stands for the emulator's own, on whatever page it is.
    body.result = body.result.filter((m: { name: string }) =>
      m.name !== "@cf/meta/llama-3.2-3b-instruct"
    );
    if (url.searchParams.get("page") === "1") {
      body.result.push(
        {
          id: "x1",
          source: 1,
          name: "@cf/acme/new-model-9b",
          description: "A model the catalog does not know",
          task: { id: "t", name: "Text Generation", description: "" },
          tags: [],
          properties: [
            { property_id: "function_calling", value: "true" },
            { property_id: "context_window", value: "65536" },
            { property_id: "beta", value: "true" },
          ],
        },
        {
          id: "x2",
          source: 1,
          name: "@cf/meta/llama-3.2-3b-instruct",
          description: "Going away",
          task: { id: "t", name: "Text Generation", description: "" },
          tags: [],
          properties: [{ property_id: "planned_deprecation_date", value: "2027-01-31" }],
        },
      );
    }
    return Response.json(body, { status: res.status });
  };
}

function plugin(emu: Emulator, fetchImpl: typeof fetch) {
  return cloudflareAI({
    accountId: emu.accountId,
    apiToken: emu.apiToken,
    baseUrl: emu.url,
    fetch: fetchImpl,
  });
}

Deno.test("list() reads every page of the model search and maps tasks to action types", async () => {
  await using emu = await startEmulator();
  const p = plugin(emu, searchFetch());
  const listed = (await p.list!()) as Meta[];
  const searches = emu.requests.filter((r) => r.route === "models-search");
  assert.ok(searches.length >= 4, `paged through the search (${searches.length} pages)`);
  const byKey = new Map(listed.map((m) => [`/${m.actionType}/${m.name}`, m]));
  for (const m of TEXT_MODELS) assert.ok(byKey.has(`/model/cloudflare-ai/${m.id}`), m.id);
  for (const m of EMBEDDING_MODELS) assert.ok(byKey.has(`/embedder/cloudflare-ai/${m.id}`), m.id);
  assert.ok(byKey.has("/reranker/cloudflare-ai/@cf/baai/bge-reranker-base"));

  const unknown = byKey.get("/model/cloudflare-ai/@cf/acme/new-model-9b")!;
  const info = unknown.metadata!.model as { supports: { tools: boolean }; stage: string };
  assert.equal(info.supports.tools, true, "function_calling -> tools");
  assert.equal(info.stage, "unstable", "beta -> unstable");
  const deprecated = byKey.get("/model/cloudflare-ai/@cf/meta/llama-3.2-3b-instruct")!;
  assert.equal((deprecated.metadata!.model as { stage: string }).stage, "deprecated");
  const embedder = byKey.get("/embedder/cloudflare-ai/@cf/baai/bge-base-en-v1.5")!;
  assert.equal(
    (embedder.metadata!.embedder as { dimensions: number }).dimensions,
    768,
  );

  // Cached per plugin instance.
  const before = emu.requests.length;
  await p.list!();
  assert.equal(emu.requests.length, before);
});

Deno.test("a model learnt from the search resolves with the capabilities it was listed with", async () => {
  await using emu = await startEmulator();
  const ai = genkit({ promptDir: null, plugins: [plugin(emu, searchFetch())] });
  const actions = await ai.registry.listResolvableActions();
  const listed = actions["/model/cloudflare-ai/@cf/acme/new-model-9b"] as Meta;
  assert.ok(listed, "listed through the registry");
  const action = await ai.registry.lookupAction("/model/cloudflare-ai/@cf/acme/new-model-9b");
  assert.equal(
    (action.__action.metadata!.model as { supports: { tools: boolean } }).supports.tools,
    true,
  );
});

Deno.test("list() falls back to the built-in catalog when the search fails", async () => {
  await using emu = await startEmulator();
  const p = plugin(emu, searchFetch({ fail: true }));
  const listed = (await p.list!()) as Meta[];
  const models = new Set(listed.filter((m) => m.actionType === "model").map((m) => m.name));
  for (const m of TEXT_MODELS) assert.ok(models.has(`cloudflare-ai/${m.id}`), m.id);
  assert.ok(listed.some((m) => m.name === "cloudflare-ai/@cf/baai/bge-base-en-v1.5"));
});

Deno.test("registered actions carry the stage the model search reports, whether listed first or resolved first", async () => {
  const id = "@cf/meta/llama-3.2-3b-instruct";
  const key = `/model/cloudflare-ai/${id}`;
  const stageOf = async (ai: ReturnType<typeof genkit>, name: string) =>
    ((await ai.registry.lookupAction(name)).__action.metadata!.model as { stage?: string })
      .stage;
  await using emu = await startEmulator();

  // Resolved (registered at start) before anything was listed, then listed.
  const first = genkit({ promptDir: null, plugins: [plugin(emu, searchFetch())] });
  assert.equal(await stageOf(first, key), "stable");
  await first.registry.listResolvableActions();
  assert.equal(await stageOf(first, key), "deprecated");

  // Listed first, then resolved: a model the catalog does not know, marked beta.
  const second = genkit({ promptDir: null, plugins: [plugin(emu, searchFetch())] });
  await second.registry.listResolvableActions();
  assert.equal(await stageOf(second, key), "deprecated");
  assert.equal(await stageOf(second, "/model/cloudflare-ai/@cf/acme/new-model-9b"), "unstable");

  // Genkit's own deprecation warning now fires for it.
  const warned: string[] = [];
  const original = logger.warn;
  logger.warn = (...args: unknown[]) => void warned.push(args.map(String).join(" "));
  try {
    await second.generate({ model: `cloudflare-ai/${id}`, prompt: "Hi" });
  } finally {
    logger.warn = original;
  }
  assert.ok(warned.some((w) => /is deprecated/.test(w)), warned.join("\n"));
});
