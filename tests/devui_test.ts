import assert from "node:assert/strict";
import { FAMILIES } from "../src/families.ts";
import type { TaskFamily } from "../src/task_family.ts";
import { eventually } from "./_setup.ts";
import { dataUrlOf, PNG_URL, wav } from "./_tasks.ts";

type ActionInfo = {
  key: string;
  name: string;
  metadata?: {
    model?: { label: string; supports: Record<string, unknown>; customOptions?: unknown };
    embedder?: { customOptions?: unknown };
    reranker?: { customOptions?: unknown };
  };
};

const user = (...content: unknown[]) => ({ messages: [{ role: "user", content }] });
const WAV_URL = dataUrlOf(wav(0.25, 0.5), "audio/wav");

/**
 * What the Developer UI would send to a family's first model, by the Workers
 * AI task it serves (rerankers by action type). A family registered in
 * FAMILIES without an entry here fails the test, naming itself.
 */
const SAMPLES: Record<string, unknown> = {
  "Text Generation": user({ text: "Hi" }),
  "Text Embeddings": { input: [{ content: [{ text: "Ada Lovelace" }] }] },
  reranker: {
    query: { content: [{ text: "first program" }] },
    documents: [{ content: [{ text: "Ada wrote the first program" }] }, {
      content: [{ text: "Cats purr" }],
    }],
  },
  "Text-to-Image": user({ text: "A lighthouse at dusk" }),
  "Automatic Speech Recognition": user({ media: { url: WAV_URL, contentType: "audio/wav" } }),
  "Text-to-Speech": user({ text: "Hello there" }),
  Translation: { ...user({ text: "Good morning" }), config: { targetLang: "fr" } },
  "Text Classification": user({ text: "What a lovely day" }),
  "Object Detection": user({ media: { url: PNG_URL, contentType: "image/png" } }),
  "Image-to-Text": user({ text: "What colour is it?" }, { media: { url: PNG_URL } }),
  "Voice Activity Detection": user({ media: { url: WAV_URL, contentType: "audio/wav" } }),
  // Clef claims its models by id (their published task is text generation's): by family name.
  clef: {
    ...user({ text: "Win a free cruise! Reply with your bank details." }),
    output: {
      format: "json",
      schema: {
        type: "object",
        properties: { spam: { type: "boolean", description: "Is this message spam?" } },
      },
    },
  },
};

function sampleFor(family: TaskFamily): unknown {
  const key = family.actionType === "reranker" ? "reranker" : family.tasks[0] ?? family.name;
  const sample = SAMPLES[key];
  assert.ok(sample, `add a Developer UI sample request for the ${family.name} family (${key})`);
  return sample;
}

/** Whether an action's answer carries something. */
function answered(kind: string, result: Record<string, unknown>): boolean {
  if (kind === "embedder") return (result.embeddings as unknown[]).length === 1;
  if (kind === "reranker") return (result.documents as unknown[]).length === 2;
  return ((result.message as { content: unknown[] }).content ?? []).length > 0;
}

Deno.test({
  name:
    "in dev mode the reflection API lists the models with label, supports and config schema, and runs one of every family",
  // The reflection server is a separate process; it is ended below.
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dir = await Deno.makeTempDir();
  const app = new URL("./fixtures/dev_app.ts", import.meta.url).pathname;
  const config = new URL("../deno.json", import.meta.url).pathname;
  // Genkit writes its runtime file next to the nearest package.json.
  await Deno.writeTextFile(`${dir}/package.json`, "{}");
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${config}`,
      "--allow-env",
      "--allow-net",
      "--allow-read",
      "--allow-write",
      "--allow-sys",
      app,
    ],
    cwd: dir,
    env: { GENKIT_ENV: "dev" },
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    // Genkit writes the runtime file (with the reflection URL) under .genkit/runtimes.
    let url = "";
    await eventually(() => {
      try {
        for (const e of Deno.readDirSync(`${dir}/.genkit/runtimes`)) {
          const info = JSON.parse(Deno.readTextFileSync(`${dir}/.genkit/runtimes/${e.name}`));
          url = info.reflectionServerUrl;
        }
      } catch { /* not written yet */ }
      return url !== "";
    }, 30_000);
    const actions = await (await fetch(`${url}/api/actions`)).json() as Record<string, ActionInfo>;
    // qwen3-30b publishes function calling, response_format, temperature 0..5, top_p ..1.
    const qwen = actions["/model/cloudflare-ai/@cf/qwen/qwen3-30b-a3b-fp8"];
    assert.ok(qwen, "the model is listed");
    const model = qwen.metadata!.model!;
    assert.match(model.label, /Qwen3 30B/);
    assert.equal(model.supports.tools, true);
    assert.equal(model.supports.constrained, "no-tools");
    const schema = model.customOptions as { properties: Record<string, { maximum?: number }> };
    assert.equal(schema.properties.temperature.maximum, 5, "the form shows the model's range");
    assert.equal(schema.properties.topP.maximum, 1);
    assert.ok(actions["/embedder/cloudflare-ai/@cf/baai/bge-base-en-v1.5"]);
    assert.ok(actions["/reranker/cloudflare-ai/@cf/baai/bge-reranker-base"]);

    // One model of every family: listed with its config schema, and run as the UI runs it.
    for (const family of FAMILIES) {
      const id = family.catalog[0].id;
      const key = `/${family.actionType}/cloudflare-ai/${id}`;
      const listed = actions[key];
      assert.ok(listed, `${key} is listed (${family.name})`);
      const meta = listed.metadata![family.actionType] as { customOptions?: { type?: string } };
      assert.equal(meta?.customOptions?.type, "object", `${key} shows its config schema`);
      const res = await fetch(`${url}/api/runAction`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ key, input: sampleFor(family) }),
      });
      const body = await res.text();
      assert.equal(res.status, 200, `${key}: ${body}`);
      const { result, error } = JSON.parse(body);
      assert.equal(error, undefined, `${key}: ${JSON.stringify(error)}`);
      assert.ok(answered(family.actionType, result), `${key} answered: ${body.slice(0, 300)}`);
    }
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
});
