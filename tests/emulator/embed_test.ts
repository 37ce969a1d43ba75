// Embeddings on /ai/run and /ai/v1/embeddings.
import assert from "node:assert/strict";
import { startEmulator } from "../../src/testing/mod.ts";
import { EMBEDDING_MODELS } from "../../src/embed/catalog.ts";
import { errorOf, post, run } from "./_helpers.ts";
import { inputProperties, publishedFile } from "../_published.ts";

function norm(v: number[]): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

Deno.test("embeddings have the model's shape and unit-norm vectors", async () => {
  await using emu = await startEmulator();
  const res = await run(emu, "@cf/baai/bge-base-en-v1.5", { text: ["hello world", "hello"] });
  const { result } = await res.json();
  assert.deepEqual(result.shape, [2, 768]);
  for (const v of result.data) assert.ok(Math.abs(norm(v) - 1) < 1e-9);
  const again = await (await run(emu, "@cf/baai/bge-base-en-v1.5", { text: "hello world" })).json();
  assert.deepEqual(again.result.data[0], result.data[0]);
  const tooMany = await run(emu, "@cf/baai/bge-small-en-v1.5", {
    text: Array.from({ length: 101 }, () => "x"),
  });
  assert.equal(tooMany.status, 400);
  assert.equal((await tooMany.json()).errors[0].code, 5006);
  const v1 = await (await post(emu, "/ai/v1/embeddings", {
    model: "@cf/pfnet/plamo-embedding-1b",
    input: ["a b"],
  })).json();
  assert.equal(v1.object, "list");
  assert.equal(v1.data[0].embedding.length, 2048);
  assert.deepEqual(v1.usage, { prompt_tokens: 2, total_tokens: 2 });
});

Deno.test("every catalog embedder answers its dimensions, up to its published batch limit", async () => {
  await using emu = await startEmulator();
  for (const m of EMBEDDING_MODELS) {
    const published = publishedFile(m.id).properties.output_dimensions;
    if (typeof published === "number") assert.equal(m.dimensions, published, m.id);
    const texts = Array.from({ length: m.batchLimit }, (_, i) => `text ${i}`);
    const body = (list: string[]) =>
      m.fields === "contexts"
        ? { contexts: list.map((text) => ({ text })) }
        : m.fields === "queries-documents"
        ? { documents: list }
        : { text: list };
    const { result } = await (await run(emu, m.id, body(texts))).json();
    const vectors = m.fields === "contexts" ? result.response : result.data;
    assert.deepEqual(result.shape, [m.batchLimit, m.dimensions], m.id);
    assert.equal(vectors[0].length, m.dimensions, m.id);
    const field = inputProperties(m.id)[m.fields === "queries-documents" ? "documents" : "text"];
    const limited = JSON.stringify(field ?? {}).includes(`"maxItems":${m.batchLimit}`);
    if (m.fields !== "contexts" && limited) {
      // bge-m3's contexts array publishes no maxItems, nor does plamo's text: no limit is judged.
      const e = await errorOf(await run(emu, m.id, body([...texts, "one more"])));
      assert.equal(e.code, 5006, m.id);
      assert.match(e.message, new RegExp(`more than maxItems ${m.batchLimit}`), m.id);
    }
    // pooling is taken exactly by the models whose published input has it.
    const pooled = await run(emu, m.id, { ...body(["x"]), pooling: "cls" });
    assert.equal(pooled.status, inputProperties(m.id).pooling ? 200 : 400, m.id);
    await pooled.body?.cancel();
  }
});
