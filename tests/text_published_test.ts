// Every text model the snapshot of Cloudflare's published definitions lists,
// judged by its published JSON file (never by the plugin's catalog): each
// documented parameter at both ends of its published range goes through under
// its published name, one step past either end and any parameter the schema
// lacks are refused before any request, and each model takes its own tools,
// images and reasoning efforts.
import assert from "node:assert/strict";
import { z } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { RETIRED_MODELS, TEXT_MODELS } from "../src/models.ts";
import { textOverride } from "../src/text/derive.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

type Json = Record<string, unknown>;
interface Definition {
  id: string;
  task: string;
  properties: Json;
  schema?: { input: Json };
}

const DIR = new URL("../src/definitions/published/", import.meta.url);
const definitions = new Map<string, Definition>();
for await (const entry of Deno.readDir(DIR)) {
  if (!entry.name.endsWith(".json")) continue;
  const d = JSON.parse(await Deno.readTextFile(new URL(entry.name, DIR))) as Definition;
  definitions.set(d.id, d);
}

const retired = new Set(RETIRED_MODELS.map((m) => m.id));
/** Current published text models, the Clef decision models (their own family) left out. */
const TEXT_IDS = [...definitions.values()]
  .filter((d) => d.task === "Text Generation" || d.task === "Image-Text-to-Text")
  .filter((d) => !d.id.startsWith("@cf/cloudflare/clef") && !retired.has(d.id))
  .map((d) => d.id).sort();

/** A schema and its `oneOf` / `anyOf` branches, deep. */
function branches(s: Json | undefined): Json[] {
  if (!s) return [];
  return [s, ...[...(s.oneOf ?? []) as Json[], ...(s.anyOf ?? []) as Json[]].flatMap(branches)];
}

/** The branch of a published input that takes `messages`, if any. */
function chatInput(d: Definition): Json | undefined {
  return branches(d.schema?.input).find((b) =>
    (b.properties as Json | undefined)?.messages !== undefined
  );
}

/** A property's schema with a nullable `anyOf [X, {type: "null"}]` unwrapped. */
function unwrap(p: Json): Json {
  const alts = p.anyOf as Json[] | undefined;
  return alts?.find((a) => a.type !== "null") ?? p;
}

/** The sampling parameters a Genkit caller sets, by published name. */
const KEYS: Readonly<Record<string, string>> = {
  temperature: "temperature",
  max_tokens: "maxOutputTokens",
  top_p: "topP",
  top_k: "topK",
  seed: "seed",
  repetition_penalty: "repetitionPenalty",
  frequency_penalty: "frequencyPenalty",
  presence_penalty: "presencePenalty",
};

interface Param {
  wire: string;
  key: string;
  int: boolean;
  min?: number;
  max?: number;
}

function paramsOf(d: Definition): Param[] {
  const props = (chatInput(d)?.properties ?? {}) as Record<string, Json>;
  return Object.entries(KEYS).flatMap(([wire, key]) => {
    if (!props[wire]) return [];
    const p = unwrap(props[wire]);
    return [{
      wire,
      key,
      int: p.type === "integer",
      min: p.minimum as number | undefined,
      max: p.maximum as number | undefined,
    }];
  });
}

function truthy(v: unknown): boolean {
  return v === true || v === "true";
}

const withSchema = TEXT_IDS.filter((id) => chatInput(definitions.get(id)!) !== undefined);
const NO_SCHEMA = TEXT_IDS.filter((id) => !definitions.get(id)!.schema);

Deno.test("the catalog serves every current published text model, and only those", () => {
  assert.deepEqual(TEXT_MODELS.map((m) => m.id).sort(), TEXT_IDS);
  // What has no chat input: the two models with no schema.
  assert.deepEqual(TEXT_IDS.filter((id) => !withSchema.includes(id)), NO_SCHEMA);
  assert.deepEqual(NO_SCHEMA, ["@cf/swiss-ai/apertus-v1.5-8b", "@cf/utter-project/eurollm-9b-it"]);
});

Deno.test("every documented parameter at both ends of its published range goes through under its published name", async () => {
  await using app = await setup();
  let checked = 0;
  for (const id of withSchema) {
    const params = paramsOf(definitions.get(id)!);
    assert.ok(params.length > 0, `${id} publishes sampling parameters`);
    for (const end of ["min", "max"] as const) {
      const config: Json = {};
      const wire: Json = {};
      for (const p of params) {
        // A bound the definition leaves open is tried at an ordinary value.
        const v = p[end] ?? (end === "min" ? 1 : p.int ? 4096 : 1);
        config[p.key] = v;
        wire[p.wire] = v;
      }
      app.emu.reset();
      await app.ai.generate({ model: cloudflareAI.model(id), prompt: "Hi", config });
      const body = modelRequests(app.emu)[0].body as Json;
      for (const [name, v] of Object.entries(wire)) assert.equal(body[name], v, `${id} ${name}`);
      checked += params.length;
    }
  }
  assert.ok(checked >= withSchema.length * 2);
});

Deno.test("one step past either end of a published range is refused before any request, naming the parameter", async () => {
  await using app = await setup();
  for (const id of withSchema) {
    for (const p of paramsOf(definitions.get(id)!)) {
      const step = p.int ? 1 : 0.01;
      const past = [
        ...(p.min !== undefined ? [p.min - step] : []),
        ...(p.max !== undefined ? [p.max + step] : []),
        ...(p.int ? [1.5] : []),
      ];
      for (const v of past) {
        const e = await failure(() =>
          app.ai.generate({ model: cloudflareAI.model(id), prompt: "Hi", config: { [p.key]: v } })
        );
        assert.equal(e.status, "INVALID_ARGUMENT", `${id} ${p.key}=${v}`);
        assert.match(e.message, new RegExp(`config\\.${p.key} = ${v} .*${id}`));
      }
    }
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("a parameter the model's published input lacks is refused before any request", async () => {
  await using app = await setup();
  for (const id of [...withSchema, ...NO_SCHEMA]) {
    const d = definitions.get(id)!;
    const props = (chatInput(d)?.properties ?? {}) as Json;
    const missing = Object.keys(KEYS).find((wire) => !(wire in props)) ??
      (!("reasoning_effort" in props) ? "reasoning_effort" : undefined);
    assert.ok(missing, `${id} lacks some parameter`);
    const key = KEYS[missing] ?? "reasoningEffort";
    const value = key === "reasoningEffort" ? "low" : 1;
    const e = await failure(() =>
      app.ai.generate({ model: cloudflareAI.model(id), prompt: "Hi", config: { [key]: value } })
    );
    assert.equal(e.status, "INVALID_ARGUMENT", id);
    assert.match(e.message, new RegExp(`config\\.${key} is not supported by ${id}`));
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("each model's reasoning efforts are its own published ones", async () => {
  await using app = await setup();
  const all = new Set<string>();
  const efforts = new Map<string, string[]>();
  for (const id of withSchema) {
    const d = definitions.get(id)!;
    const p = (chatInput(d)?.properties as Json).reasoning_effort;
    if (!p) continue;
    // The published reasoning_effort property's supported efforts, else the input's enum.
    const supported = (d.properties.reasoning_effort as Json | undefined)?.supported_efforts;
    const values = ((supported ?? unwrap(p as Json).enum) as unknown[])
      .filter((v): v is string => typeof v === "string");
    efforts.set(id, values);
    values.forEach((v) => all.add(v));
  }
  // Not one list for all: the models publish different efforts.
  assert.ok(new Set([...efforts.values()].map((v) => [...v].sort().join())).size > 1);
  for (const [id, values] of efforts) {
    for (const v of values) {
      app.emu.reset();
      await app.ai.generate({
        model: cloudflareAI.model(id),
        prompt: "Hi",
        config: { reasoningEffort: v as never },
      });
      assert.equal((modelRequests(app.emu)[0].body as Json).reasoning_effort, v, `${id} ${v}`);
    }
    for (const v of [...all].filter((x) => !values.includes(x))) {
      app.emu.reset();
      const e = await failure(() =>
        app.ai.generate({
          model: cloudflareAI.model(id),
          prompt: "Hi",
          config: { reasoningEffort: v as never },
        })
      );
      assert.equal(e.status, "INVALID_ARGUMENT", `${id} ${v}`);
      assert.match(e.message, /config\.reasoningEffort/);
      assert.equal(modelRequests(app.emu).length, 0);
    }
  }
});

// A 1x1 PNG (70 bytes).
const PNG_URL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

Deno.test("qwen3.8-27b and glm-5.3-flash take tools and images, as their definitions publish", async () => {
  await using app = await setup();
  const weather = app.ai.defineTool(
    { name: "weather", description: "The weather", inputSchema: z.object({ city: z.string() }) },
    ({ city }) => Promise.resolve(`sunny in ${city}`),
  );
  for (const id of ["@cf/qwen/qwen3.8-27b", "@cf/zai-org/glm-5.3-flash"]) {
    const d = definitions.get(id)!;
    assert.ok(truthy(d.properties.function_calling) && truthy(d.properties.vision), id);
    app.emu.reset();
    const res = await app.ai.generate({
      model: cloudflareAI.model(id),
      prompt: [{ text: "What is this? city=Rome" }, { media: { url: PNG_URL } }],
      tools: [weather],
    });
    assert.match(res.text, /sunny in Rome/, id);
    const body = modelRequests(app.emu)[0].body as { tools: unknown[]; messages: Json[] };
    assert.equal(body.tools.length, 1, id);
    assert.deepEqual((body.messages[0].content as Json[])[1], {
      type: "image_url",
      image_url: { url: PNG_URL },
    });
  }
});

Deno.test("a model whose reasoning is mandatory and whose input has no reasoning_effort gets no effort", async () => {
  await using app = await setup();
  const mandatory = withSchema.filter((id) => {
    const effort = definitions.get(id)!.properties.reasoning_effort as Json | undefined;
    return effort?.mandatory === true &&
      !("reasoning_effort" in (chatInput(definitions.get(id)!)!.properties as Json));
  });
  assert.ok(mandatory.length > 0, "the snapshot has such a model (gpt-oss-120b)");
  for (const id of mandatory) {
    const e = await failure(() =>
      app.ai.generate({
        model: cloudflareAI.model(id),
        prompt: "Hi",
        config: { reasoningEffort: "low" },
      })
    );
    assert.equal(e.status, "INVALID_ARGUMENT", id);
    assert.match(e.message, /config\.reasoningEffort .*no reasoning_effort field/);
    await app.ai.generate({ model: cloudflareAI.model(id), prompt: "Hi" });
    assert.ok(!("reasoning_effort" in (modelRequests(app.emu).at(-1)!.body as Json)), id);
  }
});

Deno.test("models with no published schema take their published tools and no parameter", async () => {
  // The emulator serves no model without a published schema: the bodies are
  // caught on their way to it, and answered as a native model answers.
  const bodies = new Map<string, Json>();
  const catching: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const id = NO_SCHEMA.find((m) => url.endsWith(`/ai/run/${m}`));
    if (!id) return fetch(input, init);
    bodies.set(id, JSON.parse(String(init?.body)));
    return Promise.resolve(Response.json({ success: true, result: { response: "ok" } }));
  };
  await using app = await setup({ fetch: catching });
  const weather = app.ai.defineTool(
    { name: "weather", description: "The weather", inputSchema: z.object({ city: z.string() }) },
    ({ city }) => Promise.resolve(`sunny in ${city}`),
  );
  for (const id of NO_SCHEMA) {
    assert.ok(truthy(definitions.get(id)!.properties.function_calling), id);
    const res = await app.ai.generate({
      model: cloudflareAI.model(id),
      prompt: "city=Oslo",
      tools: [weather],
    });
    assert.equal(res.text, "ok");
    assert.deepEqual(Object.keys(bodies.get(id)!).sort(), ["messages", "tools"], id);
    const e = await failure(() =>
      app.ai.generate({ model: cloudflareAI.model(id), prompt: "Hi", config: { temperature: 1 } })
    );
    assert.match(e.message, /no input schema is published/);
  }
  assert.equal(bodies.size, NO_SCHEMA.length);
});

Deno.test("LoRA: sent in the prompt input where only it takes lora, refused where the definition lists none", async () => {
  await using app = await setup();
  const base = "@cf/mistral/mistral-7b-instruct-v0.2-lora";
  const d = definitions.get(base)!;
  assert.ok(truthy(d.properties.lora));
  const promptOnly = branches(d.schema!.input).find((b) => (b.properties as Json)?.prompt)!;
  assert.ok("lora" in (promptOnly.properties as Json));
  assert.ok(!("lora" in (chatInput(d)!.properties as Json)));
  await app.ai.generate({
    model: cloudflareAI.model(base),
    prompt: "Hi",
    config: { lora: "my-adapter", temperature: 0.2 },
  });
  assert.deepEqual(modelRequests(app.emu)[0].body, {
    prompt: "Hi",
    lora: "my-adapter",
    temperature: 0.2,
  });
  // A conversation or a system prompt has no place in the prompt input.
  const e = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model(base),
      system: "Be brief.",
      prompt: "Hi",
      config: { lora: "my-adapter" },
    })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /single prompt/);
  // llama-3.3's definition lists no LoRA.
  const llama = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
  assert.ok(!truthy(definitions.get(llama)!.properties.lora));
  const refused = await failure(() =>
    app.ai.generate({ model: cloudflareAI.model(llama), prompt: "Hi", config: { lora: "x" } })
  );
  assert.match(refused.message, /config\.lora is not supported .*LoRA base model/);
  assert.equal(modelRequests(app.emu).length, 1);
});

Deno.test("every override of a published definition still departs from it", () => {
  const overridden = TEXT_IDS.filter((id) => textOverride(id));
  assert.ok(overridden.length > 0);
  for (const id of overridden) {
    const o = textOverride(id)!;
    const p = definitions.get(id)!.properties;
    assert.ok(o.reason.length > 40, `${id}: the reason and source are named`);
    const departs = [
      o.functionCalling !== undefined && o.functionCalling !== truthy(p.function_calling),
      o.vision !== undefined && o.vision !== truthy(p.vision),
      o.reasoning !== undefined && o.reasoning !== truthy(p.reasoning),
      o.contextWindow !== undefined && o.contextWindow !== p.context_window,
    ];
    assert.ok(departs.some(Boolean), `${id}: the snapshot now agrees; drop the override`);
  }
});
