// Reranking.
import assert from "node:assert/strict";
import { startEmulator } from "../../src/testing/mod.ts";
import { run } from "./_helpers.ts";

Deno.test("the reranker puts the relevant context first", async () => {
  await using emu = await startEmulator();
  const res = await run(emu, "@cf/baai/bge-reranker-base", {
    query: "how do cats purr",
    contexts: [
      { text: "Stock markets fell today." },
      { text: "Cats purr by vibrating muscles in the larynx; that is how cats purr." },
      { text: "Dogs bark at strangers." },
    ],
    top_k: 2,
  });
  const { result } = await res.json();
  assert.equal(result.response.length, 2);
  assert.equal(result.response[0].id, 1);
  assert.ok(result.response[0].score > result.response[1].score);
  assert.ok(result.response.every((r: { score: number }) => r.score > 0 && r.score < 1));
});
