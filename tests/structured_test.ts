import assert from "node:assert/strict";
import { z } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

const Person = z.object({
  name: z.string(),
  age: z.number(),
  tags: z.array(z.string()),
});
const EXPECTED = { name: "name-value", age: 1, tags: ["tags-value"] };

Deno.test("JSON output uses each model's own mechanism, and each answer form is read", async () => {
  await using app = await setup();
  const cases: [string, (body: Record<string, unknown>) => void][] = [
    // response_format with a bare schema, as granite's published input takes it.
    ["@cf/ibm-granite/granite-4.0-h-micro", (body) => {
      const rf = body.response_format as { type: string; json_schema: Record<string, unknown> };
      assert.equal(rf.type, "json_schema");
      assert.equal(rf.json_schema.type, "object");
      assert.ok(!("$schema" in rf.json_schema), "bare schema, no $schema");
      assert.ok(!("name" in rf.json_schema && "schema" in rf.json_schema), "not an envelope");
    }],
    // response_format again; llama-4-scout answers an object.
    ["@cf/meta/llama-4-scout-17b-16e-instruct", (body) => {
      assert.ok(body.response_format);
    }],
    // guided_json, answered as a JSON string.
    ["@cf/mistralai/mistral-small-3.1-24b-instruct", (body) => {
      assert.equal((body.guided_json as { type: string }).type, "object");
      assert.ok(!("response_format" in body));
    }],
    // The OpenAI envelope, answered in message.content.
    ["@cf/zai-org/glm-5.3", (body) => {
      const rf = body.response_format as { json_schema: { name: string; schema: unknown } };
      assert.equal(rf.json_schema.name, "output");
      assert.equal((rf.json_schema.schema as { type: string }).type, "object");
    }],
  ];
  for (const [id, check] of cases) {
    app.emu.reset();
    const res = await app.ai.generate({
      model: cloudflareAI.model(id),
      prompt: "Make up a person",
      output: { schema: Person },
    });
    assert.deepEqual(res.output, EXPECTED, id);
    check(modelRequests(app.emu)[0].body as Record<string, unknown>);
  }
});

Deno.test("a JSON-mode answer that is a number is accepted", async () => {
  await using app = await setup();
  const res = await app.ai.generate({
    model: cloudflareAI.model("@cf/meta/llama-4-scout-17b-16e-instruct"),
    prompt: "Pick a number",
    output: { schema: z.number() },
  });
  assert.equal(res.output, 1);
});

Deno.test("models without JSON mode get Genkit's schema instructions instead", async () => {
  await using app = await setup();
  // The published Messages input of llama-3.2-3b has neither response_format nor guided_json.
  const id = "@cf/meta/llama-3.2-3b-instruct";
  assert.equal(cloudflareAI.model(id).info?.supports?.constrained, "none");
  await app.ai.generate({
    model: cloudflareAI.model(id),
    prompt: "Make up a person",
    output: { schema: Person },
  }).catch(() => {/* the echo is not JSON; only the request matters here */});
  const body = modelRequests(app.emu)[0].body as { messages: { content: string }[] };
  assert.ok(!("response_format" in body));
  assert.match(JSON.stringify(body.messages), /JSON/);
});

Deno.test("streaming with a schema falls back to instructions and still yields partial output", async () => {
  await using app = await setup();
  const { stream, response } = app.ai.generateStream({
    model: cloudflareAI.model("@cf/meta/llama-4-scout-17b-16e-instruct"),
    prompt: '{"name": "Ada", "age": 36, "tags": ["math"]}',
    output: { schema: Person },
  });
  const outputs: unknown[] = [];
  for await (const chunk of stream) if (chunk.output) outputs.push(chunk.output);
  const res = await response;
  const body = modelRequests(app.emu)[0].body as Record<string, unknown>;
  assert.equal(body.stream, true);
  assert.ok(!("response_format" in body), "JSON mode cannot stream on Workers AI");
  assert.match(JSON.stringify(body.messages), /schema/i);
  assert.ok(outputs.length >= 2, `partial outputs streamed (${outputs.length})`);
  assert.deepEqual(res.output, { name: "Ada", age: 36, tags: ["math"] });
});

Deno.test('"JSON Mode couldn\'t be met" becomes a clear error', async () => {
  await using app = await setup({ maxRetries: 0 });
  app.emu.fault({ status: 400, code: 5006, message: "AiError: JSON Mode couldn't be met" });
  const e = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model("@cf/meta/llama-4-scout-17b-16e-instruct"),
      prompt: "Make up a person",
      output: { schema: Person },
    })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /could not produce JSON that matches the output schema/);
});
