// The model search.
import assert from "node:assert/strict";
import { publishedModel } from "../../src/definitions/mod.ts";
import { PUBLISHED_SCHEMAS } from "../../src/definitions/schemas.ts";
import { startEmulator } from "../../src/testing/mod.ts";
import { run } from "./_helpers.ts";

const NEMOTRON_SPEECH = "@cf/nvidia/nemotron-speech-streaming-en-0.6b";

Deno.test("model search paginates and filters by task", async () => {
  await using emu = await startEmulator();
  const get = async (query: string) => {
    const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/models/search?${query}`, {
      headers: { authorization: `Bearer ${emu.apiToken}` },
    });
    return await res.json();
  };
  const first = await get("per_page=5&page=1");
  assert.equal(first.success, true);
  assert.equal(first.result.length, 5);
  assert.deepEqual(first.result_info, {
    page: 1,
    per_page: 5,
    count: 5,
    total_count: first.result_info.total_count,
  });
  const second = await get("per_page=5&page=2");
  assert.notEqual(second.result[0].id, first.result[0].id);
  const embeddings = await get("task=Text%20Embeddings");
  const publishedEmbedders = Object.values(PUBLISHED_SCHEMAS).filter((s) =>
    s.task === "Text Embeddings"
  );
  assert.equal(embeddings.result_info.total_count, publishedEmbedders.length);
  assert.ok(
    embeddings.result.every((m: { task: { name: string } }) => m.task.name === "Text Embeddings"),
  );
  const llama = await get(`search=${encodeURIComponent("llama-3.3")}`);
  assert.equal(llama.result[0].name, "@cf/meta/llama-3.3-70b-instruct-fp8-fast");
  // Its properties are those its published definition lists.
  const facts = publishedModel("@cf/meta/llama-3.3-70b-instruct-fp8-fast")!;
  const props = new Map(
    llama.result[0].properties.map((p: { property_id: string; value: string }) => [
      p.property_id,
      p.value,
    ]),
  );
  const window = facts.contextWindow === undefined ? undefined : String(facts.contextWindow);
  assert.equal(props.get("context_window"), window);
  assert.equal(props.get("function_calling"), facts.functionCalling ? "true" : undefined);
  const glm = await get(`search=${encodeURIComponent("glm-5.3-flash")}`);
  const glmFacts = publishedModel("@cf/zai-org/glm-5.3-flash")!;
  assert.ok(glmFacts.contextWindow !== undefined);
  assert.ok(
    glm.result[0].properties.some((p: { property_id: string; value: string }) =>
      p.property_id === "context_window" && p.value === String(glmFacts.contextWindow)
    ),
  );
});

Deno.test("the search lists published models once, every chat model among them, and serves each", async () => {
  await using emu = await startEmulator();
  const names: string[] = [];
  for (let page = 1;; page++) {
    const res = await fetch(
      `${emu.url}/accounts/${emu.accountId}/ai/models/search?per_page=100&page=${page}`,
      { headers: { authorization: `Bearer ${emu.apiToken}` } },
    );
    const { result } = await res.json();
    if (result.length === 0) break;
    names.push(...result.map((m: { name: string }) => m.name));
  }
  assert.equal(names.length, new Set(names).size, "no model is listed twice");
  // Only published models (and nemotron speech, whose input only workers-types has).
  for (const name of names) {
    assert.ok(Object.hasOwn(PUBLISHED_SCHEMAS, name) || name === NEMOTRON_SPEECH, name);
  }
  // Every published chat model (Clef's decision input is not a chat).
  const chat = Object.entries(PUBLISHED_SCHEMAS).filter(([id, s]) =>
    s.task === "Text Generation" && !id.startsWith("@cf/cloudflare/clef")
  ).map(([id]) => id);
  for (const id of chat) assert.ok(names.includes(id), id);
  for (const name of names) {
    // An empty body is bad input for every model: refused by its task, not as an unknown model.
    const res = await run(emu, name, {});
    if (name === "@cf/moondream/moondream3.1-9B-A2B") {
      // Except Moondream, whose schema requires no field: {} streams its default question.
      assert.equal(res.status, 200, name);
      await res.body?.cancel();
      continue;
    }
    assert.equal(res.status, 400, name);
    assert.equal((await res.json()).errors[0].code, 5006, name);
  }
});
