// The account's LoRA fine-tunes, listed for config.lora.
import assert from "node:assert/strict";
import { cloudflareAI } from "../mod.ts";
import { startEmulator } from "../src/testing/mod.ts";
import { failure } from "./_setup.ts";
import { fakeBinding } from "./_tasks.ts";

const TUNES = [
  {
    id: "00000000-0000-4000-8000-000000000001",
    name: "support-tone",
    model: "@cf/mistral/mistral-7b-instruct-v0.2-lora",
    description: "Answers in our support tone",
    created_at: "2026-11-02 10:00:00",
    modified_at: "2026-11-03 10:00:00",
  },
  { id: "00000000-0000-4000-8000-000000000002", name: "sql", model: "@cf/google/gemma-7b-it-lora" },
  { name: "broken entry without an id" },
];

Deno.test("finetunes() lists the account's fine-tunes, flattening Cloudflare's nested list", async () => {
  await using emu = await startEmulator({ finetunes: TUNES });
  const cf = cloudflareAI({ accountId: emu.accountId, apiToken: emu.apiToken, baseUrl: emu.url });
  const tunes = await cf.finetunes();
  assert.deepEqual(tunes, [
    {
      id: TUNES[0].id,
      name: "support-tone",
      model: "@cf/mistral/mistral-7b-instruct-v0.2-lora",
      description: "Answers in our support tone",
      createdAt: "2026-11-02 10:00:00",
      modifiedAt: "2026-11-03 10:00:00",
    },
    { id: TUNES[1].id, name: "sql", model: "@cf/google/gemma-7b-it-lora" },
  ]);
  const [listed] = emu.requests.filter((r) => r.route === "finetunes");
  assert.equal(listed.method, "GET");
  assert.equal(listed.path, `/client/v4/accounts/${emu.accountId}/ai/finetunes`);
});

Deno.test("finetunes() through a binding says how to list them instead, before any request", async () => {
  await using emu = await startEmulator();
  const { binding, calls } = fakeBinding(emu);
  const e = await failure(() => cloudflareAI({ binding }).finetunes());
  assert.equal(e.status, "FAILED_PRECONDITION");
  assert.match(e.message, /wrangler ai finetune list/);
  assert.equal(calls.length, 0);
});
