// The translation, classification, detection, image-to-text and turn-detection
// families in the plugin: listed by their Workers AI task names with their
// config schemas, registered at start, typed references.
import assert from "node:assert/strict";
import { genkit } from "genkit";
import { logger } from "genkit/logging";
import { cloudflareAI, type ModelConfigFor } from "../mod.ts";
import {
  CAPTION_MODELS,
  CLASSIFICATION_MODELS,
  DETECTION_MODELS,
  TRANSLATION_MODELS,
  TURN_MODELS,
} from "../src/models.ts";
import { type Emulator, startEmulator } from "../src/testing/mod.ts";
import { modelRequests } from "./_setup.ts";
import { inputProperties } from "./_published.ts";
import { REQUEST_CONFIG_SHAPE } from "../src/request_config.ts";

type Meta = { actionType: string; name: string; metadata?: Record<string, unknown> };
type Schema = {
  properties: Record<
    string,
    { type?: string; enum?: string[]; minimum?: number; maximum?: number }
  >;
  required?: string[];
  additionalProperties?: boolean;
};

const MINE = [
  ...TRANSLATION_MODELS,
  ...CLASSIFICATION_MODELS,
  ...DETECTION_MODELS,
  ...CAPTION_MODELS,
  ...TURN_MODELS,
];

/** A fetch that adds models of the given tasks to the first page of the model search. */
function searchAdding(extra: [name: string, task: string][]): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    if (!url.pathname.endsWith("/ai/models/search")) return fetch(input, init);
    const res = await fetch(url, init);
    const body = await res.json();
    if (url.searchParams.get("page") === "1") {
      for (const [name, task] of extra) {
        body.result.push({
          id: name,
          name,
          description: "",
          task: { id: task, name: task, description: "" },
          tags: [],
          properties: [],
        });
      }
    }
    return Response.json(body, { status: res.status });
  };
}

const options = (emu: Emulator, extra: [string, string][] = []) => ({
  accountId: emu.accountId,
  apiToken: emu.apiToken,
  baseUrl: emu.url,
  fetch: searchAdding(extra),
  maxRetries: 0,
});

function modelMeta(listed: Meta[], id: string) {
  const m = listed.find((x) => x.actionType === "model" && x.name === `cloudflare-ai/${id}`);
  return m?.metadata?.model as
    | { supports: Record<string, unknown>; customOptions: Schema; label: string }
    | undefined;
}

Deno.test("list() lists every translation, classification, detection, image-to-text and turn model with its config schema", async () => {
  await using emu = await startEmulator();
  const listed = (await cloudflareAI(options(emu)).list!()) as Meta[];
  for (const m of MINE) {
    const meta = modelMeta(listed, m.id);
    assert.ok(meta, `${m.id} is listed`);
    assert.equal(meta.supports.multiturn, false, m.id);
    assert.equal(meta.supports.tools, false, m.id);
    assert.equal(meta.customOptions.additionalProperties, false, `${m.id} shows only its keys`);
  }
  const m2m = modelMeta(listed, "@cf/meta/m2m100-1.2b")!.customOptions;
  // Besides how a request travels (request_config.ts), which every model takes.
  const own = (keys: string[]) => keys.filter((k) => !Object.hasOwn(REQUEST_CONFIG_SHAPE, k));
  assert.deepEqual(own(Object.keys(m2m.properties)).sort(), ["sourceLang", "targetLang"]);
  assert.deepEqual(m2m.required, ["targetLang"]);
  const indic = modelMeta(listed, "@cf/ai4bharat/indictrans2-en-indic-1B")!.customOptions;
  assert.deepEqual(own(Object.keys(indic.properties)), ["targetLang"]);
  assert.ok(indic.properties.targetLang.enum!.includes("hin_Deva"));
  // LLaVA publishes types and no ranges; Moondream publishes max_tokens 1 to 28672.
  const llava = modelMeta(listed, "@cf/llava-hf/llava-1.5-7b-hf")!.customOptions;
  assert.equal(llava.properties.maxOutputTokens.type, "integer");
  assert.equal(llava.properties.topP.maximum, undefined);
  const moondream = modelMeta(listed, "@cf/moondream/moondream3.1-9B-A2B")!.customOptions;
  assert.equal(
    moondream.properties.maxOutputTokens.maximum,
    inputProperties("@cf/moondream/moondream3.1-9B-A2B").max_tokens.maximum,
  );
  assert.deepEqual(moondream.properties.task.enum, ["query", "caption", "point", "detect"]);
  assert.deepEqual(moondream.properties.captionLength.enum, ["short", "normal", "long"]);
  assert.deepEqual(
    own(Object.keys(modelMeta(listed, "@cf/microsoft/resnet-50")!.customOptions.properties)),
    [],
  );
  assert.equal(modelMeta(listed, "@cf/microsoft/resnet-50")!.supports.media, true);
  assert.equal(modelMeta(listed, "@cf/huggingface/distilbert-sst-2-int8")!.supports.media, false);
  assert.deepEqual(
    modelMeta(listed, "@cf/pipecat-ai/smart-turn-v2")!.customOptions.properties.dtype.enum,
    ["uint8", "float32", "float64"],
  );
  // The reranker the search files under Text Classification stays a reranker.
  assert.ok(
    listed.some((m) => m.actionType === "reranker" && m.name.endsWith("bge-reranker-base")),
  );
  assert.equal(modelMeta(listed, "@cf/baai/bge-reranker-base"), undefined);
});

Deno.test("models the catalog does not know are listed by their task's family; unserved tasks are named once at debug level", async () => {
  await using emu = await startEmulator();
  const extra: [string, string][] = [
    ["@cf/acme/translate-x", "Translation"],
    ["@cf/acme/sentiment-x", "Text Classification"],
    ["@cf/acme/labels-x", "Image Classification"],
    ["@cf/acme/boxes-x", "Object Detection"],
    ["@cf/acme/caption-x", "Image-to-Text"],
    ["@cf/acme/turn-x", "Voice Activity Detection"],
    ["@cf/acme/summarize-x", "Summarization"],
    ["@cf/acme/depth-x", "Depth Estimation"],
  ];
  const debug: string[] = [];
  const original = logger.debug;
  logger.debug = (...args: unknown[]) => void debug.push(args.map(String).join(" "));
  let listed: Meta[];
  const p = cloudflareAI(options(emu, extra));
  try {
    listed = (await p.list!()) as Meta[];
    await p.list!();
  } finally {
    logger.debug = original;
  }
  for (const [id] of extra.slice(0, 6)) assert.ok(modelMeta(listed, id), `${id} is listed`);
  assert.ok(modelMeta(listed, "@cf/acme/translate-x")!.customOptions.properties.targetLang);
  assert.equal(modelMeta(listed, "@cf/acme/labels-x")!.supports.media, true);
  assert.equal(modelMeta(listed, "@cf/acme/sentiment-x")!.supports.media, false);
  for (const id of ["@cf/acme/summarize-x", "@cf/acme/depth-x"]) {
    assert.ok(!listed.some((m) => m.name === `cloudflare-ai/${id}`), `${id} is not listed`);
  }
  const unserved = debug.filter((d) => /tasks this plugin does not serve/.test(d));
  assert.equal(unserved.length, 1, debug.join("\n"));
  assert.match(unserved[0], /Depth Estimation, Summarization\./);

  // Resolving one sends its family's wire format.
  const ai = genkit({ promptDir: null, plugins: [cloudflareAI(options(emu, extra))] });
  await ai.generate({
    model: "cloudflare-ai/@cf/acme/translate-x",
    prompt: "Hi",
    config: { targetLang: "fr" },
  }).catch(() => {});
  assert.deepEqual(modelRequests(emu).at(-1)?.body, { text: "Hi", target_lang: "fr" });
});

Deno.test("the models option registers ids of any family at start; by default the whole catalog", async () => {
  await using emu = await startEmulator();
  const names = async (models?: string[]) =>
    (await cloudflareAI({ ...options(emu), models }).init!()).map((a) => a.__action.name);
  const picked = [
    "@cf/meta/m2m100-1.2b",
    "@cf/microsoft/resnet-50",
    "@cf/facebook/detr-resnet-50",
    "@cf/llava-hf/llava-1.5-7b-hf",
    "@cf/pipecat-ai/smart-turn-v2",
    "@cf/baai/bge-base-en-v1.5",
  ];
  assert.deepEqual(
    new Set(await names(picked)),
    new Set(picked.map((id) => `cloudflare-ai/${id}`)),
  );
  const all = new Set(await names());
  for (const m of MINE) assert.ok(all.has(`cloudflare-ai/${m.id}`), m.id);
});

Deno.test("references are typed with each family's config and carry its capabilities", () => {
  const m2m: ModelConfigFor<"@cf/meta/m2m100-1.2b"> = { targetLang: "fr", sourceLang: "en" };
  // @ts-expect-error: translation takes no temperature.
  const wrong: ModelConfigFor<"@cf/meta/m2m100-1.2b"> = { targetLang: "fr", temperature: 1 };
  // @ts-expect-error: classification takes no config.
  const none: ModelConfigFor<"@cf/microsoft/resnet-50"> = { topK: 3 };
  const caption: ModelConfigFor<"@cf/moondream/moondream3.1-9B-A2B"> = { captionLength: "short" };
  const turn: ModelConfigFor<"@cf/pipecat-ai/smart-turn-v2"> = { dtype: "float32" };
  assert.ok(m2m && wrong && none && caption && turn);
  const ref = cloudflareAI.model("@cf/facebook/detr-resnet-50");
  assert.deepEqual(ref.info?.supports, {
    multiturn: false,
    systemRole: false,
    media: true,
    tools: false,
    toolChoice: false,
    output: ["text", "json"],
    constrained: "none",
  });
  assert.equal(ref.info?.stage, "unstable", "DETR is in beta");
  assert.ok(ref.configSchema);
});
