// How an id finds its task family: the catalog, then the task the account's
// model search reports, then a task the caller names, then text generation.
import assert from "node:assert/strict";
import { genkit, type GenkitError } from "genkit";
import {
  cloudflareAI,
  type CloudflareAIOptions,
  type ModelRef,
  type TextConfig,
  type TextModelId,
} from "../mod.ts";
import { TEXT_MODELS } from "../src/models.ts";
import { type Emulator, startEmulator } from "../src/testing/mod.ts";
import { failure, modelRequests } from "./_setup.ts";

type Listed = { name: string; task: string; properties?: { property_id: string; value: string }[] };

/** A fetch that adds models to the first page of the account's model search. */
function searchAdding(extra: Listed[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    if (!url.pathname.endsWith("/ai/models/search")) return fetch(input, init);
    const res = await fetch(url, init);
    const body = await res.json();
    if (url.searchParams.get("page") === "1") {
      for (const m of extra) {
        body.result.push({
          id: m.name,
          name: m.name,
          description: "",
          task: { id: "t", name: m.task, description: "" },
          tags: [],
          properties: m.properties ?? [],
        });
      }
    }
    return Response.json(body, { status: res.status });
  };
}

function app(emu: Emulator, extra: Listed[] = [], options: Partial<CloudflareAIOptions> = {}) {
  return genkit({
    promptDir: null,
    plugins: [cloudflareAI({
      accountId: emu.accountId,
      apiToken: emu.apiToken,
      baseUrl: emu.url,
      fetch: searchAdding(extra),
      maxRetries: 0,
      ...options,
    })],
  });
}

const metadataOf = async (ai: ReturnType<typeof genkit>, key: string) =>
  (await ai.registry.lookupAction(key))?.__action.metadata;

Deno.test("an unknown id takes the task the account's model search reports for it", async () => {
  await using emu = await startEmulator();
  const ai = app(emu, [
    { name: "@cf/acme/embed-x", task: "Text Embeddings" },
    { name: "@cf/acme/video-x", task: "Text-to-Video" },
  ]);
  // An embedding model: an embedder, not a text model.
  assert.ok(await ai.registry.lookupAction("/embedder/cloudflare-ai/@cf/acme/embed-x"));
  assert.equal(await ai.registry.lookupAction("/model/cloudflare-ai/@cf/acme/embed-x"), undefined);
  await failure(() => ai.embed({ embedder: "cloudflare-ai/@cf/acme/embed-x", content: "hi" }));
  const [sent] = modelRequests(emu);
  assert.deepEqual(sent.body, { text: ["hi"] }, "sent as an embedding request");
  // A task no family serves: refused before any request, naming the task.
  emu.reset();
  const e = await failure(() =>
    ai.generate({ model: "cloudflare-ai/@cf/acme/video-x", prompt: "a cat" })
  );
  assert.equal(e.status, "UNIMPLEMENTED");
  assert.match(e.message, /Text-to-Video/);
  assert.equal(modelRequests(emu).length, 0);
});

function pluginFor(emu: Emulator, options: Partial<CloudflareAIOptions> = {}) {
  return cloudflareAI({
    accountId: emu.accountId,
    apiToken: emu.apiToken,
    baseUrl: emu.url,
    fetch: searchAdding([]),
    maxRetries: 0,
    ...options,
  });
}

Deno.test("an unknown id takes a task the caller names, in the plugin's options or on its reference", async () => {
  await using emu = await startEmulator();
  const ai = app(emu, [], { tasks: { "@cf/acme/embed-y": "Text Embeddings" } });
  assert.ok(await ai.registry.lookupAction("/embedder/cloudflare-ai/@cf/acme/embed-y"));
  assert.equal(await ai.registry.lookupAction("/model/cloudflare-ai/@cf/acme/embed-y"), undefined);

  const cf = pluginFor(emu);
  const ref = cf.modelRef("@cf/acme/chat-z", { temperature: 0.1 }, { task: "Text Generation" });
  assert.equal(ref.name, "cloudflare-ai/@cf/acme/chat-z");
  assert.deepEqual(ref.info?.supports?.output, ["text"]);
  const paint = failure(() =>
    Promise.resolve(cf.modelRef("@cf/acme/video-z", undefined, { task: "Text-to-Video" }))
  );
  assert.equal((await paint).status, "UNIMPLEMENTED");
  // The task named on the instance's reference holds when that instance resolves the id by name.
  const withCf = genkit({ promptDir: null, plugins: [cf] });
  const named = await failure(() =>
    withCf.generate({ model: "cloudflare-ai/@cf/acme/video-z", prompt: "x" })
  );
  assert.equal(named.status, "UNIMPLEMENTED");
  assert.throws(
    () =>
      cloudflareAI({ accountId: "a", apiToken: "t", tasks: { "@cf/x/../y": "Text Generation" } }),
    (err: GenkitError) => err.status === "INVALID_ARGUMENT",
  );
  assert.equal(modelRequests(emu).length, 0);
});

Deno.test("a task named on one plugin instance's reference does not change what another resolves", async () => {
  await using emu = await startEmulator();
  const speaking = pluginFor(emu);
  const tts = speaking.modelRef("@cf/acme/voice-q", undefined, { task: "Text-to-Speech" });
  assert.deepEqual(tts.info?.supports?.output, ["media"]);
  const one = genkit({ promptDir: null, plugins: [speaking] });
  const other = genkit({ promptDir: null, plugins: [pluginFor(emu)] });
  const outputOf = async (ai: ReturnType<typeof genkit>) =>
    ((await metadataOf(ai, "/model/cloudflare-ai/@cf/acme/voice-q"))!.model as {
      supports: { output: string[] };
    }).supports.output;
  assert.deepEqual(await outputOf(one), ["media"], "the instance that named it: text-to-speech");
  assert.deepEqual(await outputOf(other), ["text"], "any other instance: the text fallback");
});

Deno.test("a static reference refuses a task: it belongs to no plugin instance", () => {
  assert.throws(
    () =>
      (cloudflareAI.model as (id: string, c: unknown, o: unknown) => unknown)(
        "@cf/acme/voice-r",
        undefined,
        { task: "Text-to-Speech" },
      ),
    (err: GenkitError) =>
      err.status === "INVALID_ARGUMENT" && /cf\.modelRef/.test(err.message) &&
      /tasks/.test(err.message),
  );
});

Deno.test("an id nothing knows falls back to text generation", async () => {
  await using emu = await startEmulator();
  const ai = app(emu);
  const action = await ai.registry.lookupAction("/model/cloudflare-ai/@cf/acme/mystery-1b");
  assert.ok(action, "a text model action");
  assert.equal(
    (action.__action.metadata!.model as { supports: { tools: boolean } }).supports.tools,
    false,
    "with conservative settings",
  );
});

Deno.test("listing never changes a known model's spec, and resolving does not depend on listing first", async () => {
  await using emu = await startEmulator();
  const listed: Listed[] = [
    // The catalog says llama-3.2-3b takes no tools: the search cannot change that.
    {
      name: "@cf/meta/llama-3.2-3b-instruct",
      task: "Text Generation",
      properties: [{ property_id: "function_calling", value: "true" }],
    },
    {
      name: "@cf/acme/tools-9b",
      task: "Text Generation",
      properties: [{ property_id: "function_calling", value: "true" }],
    },
  ];
  const supports = async (ai: ReturnType<typeof genkit>, id: string) =>
    ((await metadataOf(ai, `/model/cloudflare-ai/${id}`))!.model as { supports: unknown })
      .supports;

  const listedFirst = app(emu, listed);
  await listedFirst.registry.listResolvableActions();
  const resolvedFirst = app(emu, listed);
  for (const id of ["@cf/meta/llama-3.2-3b-instruct", "@cf/acme/tools-9b"]) {
    assert.deepEqual(await supports(resolvedFirst, id), await supports(listedFirst, id), id);
  }
  assert.equal(
    ((await supports(resolvedFirst, "@cf/meta/llama-3.2-3b-instruct")) as { tools: boolean }).tools,
    false,
  );
  assert.equal(
    ((await supports(resolvedFirst, "@cf/acme/tools-9b")) as { tools: boolean }).tools,
    true,
  );
  // What list() shows of the known model is the catalog's too.
  const actions = await listedFirst.registry.listResolvableActions();
  const meta = actions["/model/cloudflare-ai/@cf/meta/llama-3.2-3b-instruct"].metadata!;
  assert.equal((meta.model as { supports: { tools: boolean } }).supports.tools, false);
});

Deno.test("bge-m3 is listed both as an embedder and as a reranker", async () => {
  await using emu = await startEmulator();
  const actions = await app(emu).registry.listResolvableActions();
  assert.ok(actions["/embedder/cloudflare-ai/@cf/baai/bge-m3"]);
  assert.ok(actions["/reranker/cloudflare-ai/@cf/baai/bge-m3"]);
});

// Compile-time: every catalog id is a TextModelId and every TextModelId is in
// the catalog (a missing or extra key here fails type-checking), and a
// reference's config is typed from its id.
const TEXT_IDS: Record<TextModelId, true> = Object.fromEntries(
  TEXT_MODELS.map((m) => [m.id, true]),
) as Record<TextModelId, true>;

Deno.test("TextModelId names exactly the text catalog, and references are typed from the id", () => {
  const listed: Record<TextModelId, true> = {
    "@cf/meta/llama-3.3-70b-instruct-fp8-fast": true,
    "@cf/meta/llama-3.1-8b-instruct-fast": true,
    "@cf/meta/llama-3.1-8b-instruct-fp8": true,
    "@cf/meta/llama-4-scout-17b-16e-instruct": true,
    "@cf/meta/llama-3.2-11b-vision-instruct": true,
    "@cf/meta/llama-3.2-3b-instruct": true,
    "@cf/meta/llama-3.2-1b-instruct": true,
    "@cf/meta/llama-guard-3-8b": true,
    "@cf/mistralai/mistral-small-3.1-24b-instruct": true,
    "@cf/qwen/qwq-32b": true,
    "@cf/qwen/qwen2.5-coder-32b-instruct": true,
    "@cf/qwen/qwen3-30b-a3b-fp8": true,
    "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b": true,
    "@cf/ibm-granite/granite-4.0-h-micro": true,
    "@cf/aisingapore/gemma-sea-lion-v4-27b-it": true,
    "@cf/mistral/mistral-7b-instruct-v0.2-lora": true,
    "@cf/google/gemma-2b-it-lora": true,
    "@cf/google/gemma-7b-it-lora": true,
    "@cf/meta-llama/llama-2-7b-chat-hf-lora": true,
    "@cf/openai/gpt-oss-120b": true,
    "@cf/openai/gpt-oss-20b": true,
    "@cf/zai-org/glm-4.7-flash": true,
    "@cf/zai-org/glm-5.2": true,
    "@cf/zai-org/glm-5.3": true,
    "@cf/zai-org/glm-5.3-flash": true,
    "@cf/moonshotai/kimi-k2.6": true,
    "@cf/moonshotai/kimi-k2.7-code": true,
    "@cf/nvidia/nemotron-3-120b-a12b": true,
    "@cf/google/gemma-4-26b-a4b-it": true,
    "@cf/deepseek-ai/deepseek-v4-flash-0731": true,
    "@cf/deepseek-ai/deepseek-v4-pro-0813": true,
    "@cf/qwen/qwen3.8-27b": true,
    "@cf/swiss-ai/apertus-v1.5-8b": true,
    "@cf/utter-project/eurollm-9b-it": true,
  };
  assert.deepEqual(Object.keys(TEXT_IDS).sort(), Object.keys(listed).sort());
  const qwen: ModelRef<TextConfig> = cloudflareAI.model("@cf/qwen/qwen3-30b-a3b-fp8", {
    temperature: 0.6,
  });
  assert.equal(qwen.config?.temperature, 0.6);
  // @ts-expect-error: a text model's temperature is a number
  cloudflareAI.model("@cf/qwen/qwen3-30b-a3b-fp8", { temperature: "hot" });
});

Deno.test("a set config.version is refused by every kind of model (Workers AI models have no versions), before any request", async () => {
  await using emu = await startEmulator();
  const ai = app(emu);
  const wav = "data:audio/wav;base64,UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=";
  const cases: [string, Record<string, unknown>, unknown][] = [
    ["@cf/meta/m2m100-1.2b", { targetLang: "fr" }, "Hello"],
    ["@cf/deepgram/aura-2-en", {}, "Hello"],
    ["@cf/openai/whisper", {}, [{ media: { url: wav, contentType: "audio/wav" } }]],
    ["@cf/black-forest-labs/flux-1-schnell", {}, "a lighthouse"],
    ["@cf/meta/llama-3.1-8b-instruct-fast", {}, "Hello"],
  ];
  for (const [id, config, prompt] of cases) {
    const model = cloudflareAI.model(id, config).withVersion("v2");
    const e = await failure(() => ai.generate({ model, prompt: prompt as string }));
    assert.equal(e.status, "INVALID_ARGUMENT", id);
    assert.match(e.message, /config\.version/, id);
  }
  assert.equal(modelRequests(emu).length, 0);
});
