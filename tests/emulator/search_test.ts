// The model search.
import assert from "node:assert/strict";
import { FAMILIES } from "../../src/families.ts";
import { startEmulator } from "../../src/testing/mod.ts";
import { run } from "./_helpers.ts";

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
  assert.equal(embeddings.result_info.total_count, 7);
  assert.ok(
    embeddings.result.every((m: { task: { name: string } }) => m.task.name === "Text Embeddings"),
  );
  const llama = await get(`search=${encodeURIComponent("llama-3.3")}`);
  assert.equal(llama.result[0].name, "@cf/meta/llama-3.3-70b-instruct-fp8-fast");
  assert.ok(
    llama.result[0].properties.some((p: { property_id: string; value: string }) =>
      p.property_id === "function_calling" && p.value === "true"
    ),
  );
});

Deno.test("the search lists each catalog model once, and each one it lists is served", async () => {
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
  // Every family's catalog, so that a family added to the registry is covered too.
  const catalog = new Set(FAMILIES.flatMap((f) => f.catalog.map((m) => m.id)));
  assert.equal(names.length, new Set(names).size, "no model is listed twice");
  assert.deepEqual(new Set(names), catalog);
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
