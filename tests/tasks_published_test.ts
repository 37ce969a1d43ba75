// The contract of the retrieval and single-answer families (embeddings,
// reranking, translation, classification, detection, image-to-text, turn
// detection) with Cloudflare's published definitions, read from the
// snapshot's JSON files: every model of these tasks is served (or refused as
// retired), its config takes exactly its published parameters, each at both
// ends of its published range goes out under its published name (as the
// emulator, judging by the same schemas, records it), and one step past
// either end is refused before any request.
import assert from "node:assert/strict";
import { Document, type Genkit } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { RETIRED_MODELS } from "../src/models.ts";
import { REQUEST_CONFIG_SHAPE } from "../src/request_config.ts";
import type { Emulator } from "../src/testing/mod.ts";
import { idsOfTask, inputProperties } from "./_published.ts";
import { failure, modelRequests, setup } from "./_setup.ts";
import { dataUrlOf, PNG_URL, wav } from "./_tasks.ts";

/** The tasks of these families, as Cloudflare names them. */
const TASKS = [
  "Text Embeddings",
  "Text Classification",
  "Image Classification",
  "Object Detection",
  "Image-to-Text",
  "Translation",
  "Voice Activity Detection",
];

/**
 * Fields the prompt fills, not the config: the texts, images and audio, the
 * question or target of Moondream, and the stream switch the plugin sets.
 */
const PROMPT_FIELDS = new Set([
  "text",
  "image",
  "prompt",
  "question",
  "target",
  "queries",
  "documents",
  "contexts",
  "query",
  "audio",
  "stream",
  "requests",
]);

/** The config key the plugin documents for each published parameter. */
const KEYS: Readonly<Record<string, string>> = {
  pooling: "pooling",
  instruction: "instruction",
  truncate_inputs: "truncateInputs",
  top_k: "topK",
  source_lang: "sourceLang",
  target_lang: "targetLang",
  target_language: "targetLang",
  dtype: "dtype",
  task: "task",
  max_tokens: "maxOutputTokens",
  temperature: "temperature",
  top_p: "topP",
  seed: "seed",
  repetition_penalty: "repetitionPenalty",
  frequency_penalty: "frequencyPenalty",
  presence_penalty: "presencePenalty",
  raw: "raw",
  caption_length: "captionLength",
  reasoning: "reasoning",
  max_objects: "maxObjects",
};

/** A published property, its nullable `anyOf [X, {type: null}]` unwrapped. */
function unwrap(p: Record<string, unknown>): Record<string, unknown> {
  const list = (p.anyOf ?? p.oneOf) as Record<string, unknown>[] | undefined;
  return list?.find((b) => b.type !== "null") ?? p;
}

/** The published scalar parameters of a model (what its config may set), by wire name. */
function scalarParams(id: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(inputProperties(id))
      .filter(([name]) => !PROMPT_FIELDS.has(name))
      .map(([name, p]) => [name, unwrap(p)] as const)
      .filter(([, p]) => ["number", "integer", "boolean", "string"].includes(p.type as string)),
  );
}

/** The values a parameter must take (both ends of its range) and those one step past. */
function probes(p: Record<string, unknown>): { take: unknown[]; refuse: unknown[] } {
  if (Array.isArray(p.enum)) {
    const values = p.enum.length > 6 ? [p.enum[0], p.enum.at(-1)] : p.enum;
    return { take: values, refuse: ["not-a-value"] };
  }
  if (p.type === "boolean") return { take: [true, false], refuse: ["yes"] };
  if (p.type === "string") return { take: ["fr"], refuse: [5] };
  const int = p.type === "integer";
  const step = int ? 1 : 0.001;
  const min = p.minimum as number | undefined;
  const max = p.maximum as number | undefined;
  const take = [min, max].filter((v) => v !== undefined);
  const refuse: unknown[] = [
    ...(min === undefined ? [] : [min - step]),
    ...(max === undefined ? [] : [max + step]),
  ];
  if (int) refuse.push((take[0] ?? 1) + 0.5);
  return { take: take.length > 0 ? take : [1], refuse };
}

/** One request to a model with a config, as the plugin makes it for the model's family. */
type Driver = (ai: Genkit, id: string, config: Record<string, unknown>) => Promise<unknown>;

const embed: Driver = (ai, id, config) => {
  // An instruction applies to queries: it needs inputType query (see EmbedConfig).
  const options = config.instruction === undefined ? config : { inputType: "query", ...config };
  return ai.embed({ embedder: cloudflareAI.embedder(id), content: "Hello, Ada", options });
};

const rerank: Driver = (ai, id, config) =>
  ai.rerank({
    reranker: cloudflareAI.reranker(id),
    query: "cats",
    documents: ["Cats purr.", "Dogs bark."].map((t) => Document.fromText(t)),
    options: config,
  });

const generate =
  (prompt: unknown, base: Record<string, unknown> = {}): Driver => (ai, id, config) =>
    ai.generate({
      model: cloudflareAI.model(id),
      prompt: prompt as never,
      config: { ...base, ...config },
    });

const image = { media: { url: PNG_URL } };

/** Moondream's prompt for a parameter: the task it applies to decides. */
const moondream: Driver = (ai, id, config) => {
  if (config.captionLength !== undefined || config.task === "caption") {
    return generate([image])(ai, id, config);
  }
  if (config.maxObjects !== undefined) {
    return generate([{ text: "cat" }, image])(ai, id, { task: "detect", ...config });
  }
  return generate([{ text: "What is it?" }, image])(ai, id, config);
};

/** The driver of a served model, by the family its id is in. */
function driverOf(id: string, task: string): Driver {
  if (task === "Text Embeddings") return embed;
  if (id === "@cf/baai/bge-reranker-base") return rerank;
  if (task === "Translation") {
    return generate("Hello", id.includes("indictrans2") ? {} : { targetLang: "fr" });
  }
  if (task === "Voice Activity Detection") {
    return generate([{ media: { url: dataUrlOf(wav(0.2, 0.5), "audio/wav") } }]);
  }
  if (id.includes("moondream")) return moondream;
  if (task === "Text Classification") return generate("What a day!");
  return generate([image]);
}

/** What the model's reference says its config takes. */
function schemaKeys(id: string, kind: "embedder" | "reranker" | "model"): string[] {
  const ref = kind === "embedder"
    ? cloudflareAI.embedder(id)
    : kind === "reranker"
    ? cloudflareAI.reranker(id)
    : cloudflareAI.model(id);
  const schema = ref.configSchema as { shape?: Record<string, unknown> } | undefined;
  // Every model also takes how its request travels (not a model parameter, never on its body).
  return Object.keys(schema?.shape ?? {}).filter((k) => !Object.hasOwn(REQUEST_CONFIG_SHAPE, k))
    .sort();
}

/** Keys a model's config takes beyond its published parameters (documented plugin choices). */
const PLUGIN_KEYS: Readonly<Record<string, string[]>> = {
  // Embeds its texts as `queries` or `documents`: both fields are published.
  "@cf/qwen/qwen3-embedding-0.6b": ["inputType"],
};

const retired = new Set(RETIRED_MODELS.map((m) => m.id));

async function checkModel(
  ai: Genkit,
  emu: Emulator,
  id: string,
  task: string,
): Promise<number> {
  const params = scalarParams(id);
  const unmapped = Object.keys(params).filter((name) => !KEYS[name]);
  assert.deepEqual(unmapped, [], `${id}: every published parameter has a config key`);
  const keys = Object.keys(params).map((name) => KEYS[name]);
  assert.deepEqual(
    schemaKeys(
      id,
      task === "Text Embeddings"
        ? "embedder"
        : id === "@cf/baai/bge-reranker-base"
        ? "reranker"
        : "model",
    ),
    [...new Set([...keys, ...(PLUGIN_KEYS[id] ?? [])])].sort(),
    `${id}: its config schema has its published parameters`,
  );
  const drive = driverOf(id, task);
  let checked = 0;
  for (const [name, p] of Object.entries(params)) {
    const key = KEYS[name];
    const { take, refuse } = probes(p);
    for (const value of take) {
      const before = modelRequests(emu).length;
      await drive(ai, id, { [key]: value });
      const sent = modelRequests(emu).slice(before);
      assert.equal(sent.length, 1, `${id} ${key}=${JSON.stringify(value)}: one request`);
      assert.equal(sent[0].status, 200, `${id} ${name}=${JSON.stringify(value)} is accepted`);
      const body = sent[0].body as Record<string, unknown>;
      assert.deepEqual(body[name], value, `${id}: ${key} goes out as ${name}`);
      if ("stream" in body) assert.equal(body.stream, false, `${id}: the plugin never streams`);
    }
    for (const value of refuse) {
      const before = modelRequests(emu).length;
      const e = await failure(() => drive(ai, id, { [key]: value }) as Promise<unknown>);
      assert.equal(e.status, "INVALID_ARGUMENT", `${id} ${key}=${JSON.stringify(value)}`);
      assert.ok(e.message.includes(id), `names ${id}: ${e.message}`);
      assert.equal(modelRequests(emu).length, before, `${id} ${key}: no request`);
    }
    checked++;
  }
  // A key no published field stands for is refused before any request.
  const before = modelRequests(emu).length;
  const e = await failure(() => drive(ai, id, { notAParameter: 1 }) as Promise<unknown>);
  assert.equal(e.status, "INVALID_ARGUMENT", id);
  assert.match(e.message, /notAParameter is not supported/);
  assert.equal(modelRequests(emu).length, before);
  return checked;
}

Deno.test("every published model of these tasks is served and takes exactly its published parameters, at both ends of their ranges", async () => {
  await using app = await setup();
  const ids = idsOfTask(...TASKS);
  assert.ok(ids.length >= 15, `the snapshot has the models of these tasks (${ids.length})`);
  let models = 0;
  let params = 0;
  for (const id of ids) {
    const task = TASKS.find((t) => idsOfTask(t).includes(id))!;
    if (retired.has(id)) {
      const e = await failure(() => generate([image])(app.ai, id, {}) as Promise<unknown>);
      assert.equal(e.status, "NOT_FOUND", id);
      assert.match(e.message, /retired/);
      continue;
    }
    params += await checkModel(app.ai, app.emu, id, task);
    models++;
  }
  // bge-m3 is a reranker too: it publishes no top_k, so topK is the plugin's (no wire field).
  const m3 = inputProperties("@cf/baai/bge-m3");
  assert.equal(m3.top_k, undefined);
  assert.deepEqual(
    schemaKeys("@cf/baai/bge-m3", "reranker"),
    ["topK", ...(m3.truncate_inputs ? ["truncateInputs"] : [])],
  );
  assert.ok(models >= 15 && params >= 20, `${models} models, ${params} parameters checked`);
});

Deno.test("Moondream's four published tasks each go out as asked, end to end", async () => {
  await using app = await setup();
  const id = "@cf/moondream/moondream3.1-9B-A2B";
  const tasks = (inputProperties(id).task.enum as string[]).sort();
  assert.deepEqual(tasks, ["caption", "detect", "point", "query"]);
  for (const task of tasks) {
    const prompt = task === "caption"
      ? [image]
      : [{ text: task === "query" ? "What is it?" : "cat" }, image];
    const res = await generate(prompt, { task })(app.ai, id, {}) as {
      text: string;
      output: unknown;
    };
    const body = modelRequests(app.emu).at(-1)!.body as Record<string, unknown>;
    assert.equal(body.task, task);
    if (task === "point" || task === "detect") {
      assert.equal(body.target, "cat");
      assert.ok(Array.isArray(res.output) && res.output.length > 0, task);
      assert.match(res.text, /^\d+ × cat$/);
    } else {
      assert.ok(res.text.length > 0, task);
    }
  }
});
