// Text config before any request: keys the plugin builds or checks, what a
// config must be, keys sent verbatim only where the model's published input
// names them, and the config schemas.
import assert from "node:assert/strict";
import type { MessageData } from "genkit";
import { toJsonSchema } from "genkit/schema";
import { cloudflareAI, TextConfigSchema } from "../mod.ts";
import { TEXT_MODELS } from "../src/models.ts";
import { configSchemaFor } from "../src/text/config.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";
const LLAMA33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
const GPT_OSS = "@cf/openai/gpt-oss-120b";
const GLM53 = "@cf/zai-org/glm-5.3";
const VISION_ONE = "@cf/meta/llama-3.2-11b-vision-instruct";
const PNG_URL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

type WireMessage = { role: string; content: unknown };
const bodyOf = (app: { emu: Parameters<typeof modelRequests>[0] }, i = 0) =>
  modelRequests(app.emu)[i].body as Record<string, unknown> & { messages: WireMessage[] };

/** Asserts that `fn` fails with INVALID_ARGUMENT matching every pattern. */
async function refused(fn: () => Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  const e = await failure(fn);
  assert.equal(e.status, "INVALID_ARGUMENT", e.message);
  for (const p of patterns) assert.match(e.message, p);
}

// --- Config -----------------------------------------------------------------

Deno.test("config keys for body fields the plugin builds are refused, naming what to use instead", async () => {
  await using app = await setup();
  const cases: [string, string, unknown, RegExp][] = [
    [LLAMA, "messages", [{ role: "user", content: "Injected" }], /messages, system and prompt/],
    [LLAMA, "prompt", "Injected", /request's prompt/],
    [LLAMA, "stream", true, /generateStream\(\)/],
    [GPT_OSS, "stream_options", { include_usage: false }, /generateStream\(\)/],
    [LLAMA33, "tools", [], /request's tools/],
    [LLAMA33, "tool_choice", "required", /toolChoice/],
    [LLAMA33, "functions", [], /request's tools/],
    [LLAMA33, "response_format", { type: "json_object" }, /output/],
    ["@cf/mistralai/mistral-small-3.1-24b-instruct", "guided_json", {}, /output/],
    [VISION_ONE, "image", PNG_URL, /media part/],
    [GPT_OSS, "stop", ["x"], /config\.stopSequences/],
    [GPT_OSS, "reasoning_effort", "high", /config\.reasoningEffort/],
  ];
  for (const [id, key, value, instead] of cases) {
    await refused(
      () =>
        app.ai.generate({ model: cloudflareAI.model(id), prompt: "Hi", config: { [key]: value } }),
      new RegExp(`config\\.${key} `),
      instead,
    );
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("wire names of validated parameters are refused, naming the camelCase key", async () => {
  await using app = await setup();
  const cases: [string, unknown, string][] = [
    ["max_tokens", 1e9, "maxOutputTokens"],
    ["max_completion_tokens", 1e9, "maxOutputTokens"],
    ["top_k", 999, "topK"],
    ["top_p", 5, "topP"],
    ["repetition_penalty", 9, "repetitionPenalty"],
    ["frequency_penalty", 9, "frequencyPenalty"],
    ["presence_penalty", 9, "presencePenalty"],
  ];
  for (const [key, value, camel] of cases) {
    await refused(
      () =>
        app.ai.generate({
          model: cloudflareAI.model(LLAMA33),
          prompt: "Hi",
          config: { [key]: value },
        }),
      new RegExp(`config\\.${key} `),
      new RegExp(`config\\.${camel}\\b`),
    );
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("a config that is not an object of named parameters (string, array, number) is refused", async () => {
  await using app = await setup();
  for (const config of ["abc", [1, 2]]) {
    await refused(
      () =>
        app.ai.generate({
          model: cloudflareAI.model(LLAMA),
          prompt: "Hi",
          config: config as never,
        }),
      /object of named parameters/,
    );
  }
  // Called directly, the model action sees the value as it was given.
  const action = await app.ai.registry.lookupAction(`/model/cloudflare-ai/${LLAMA}`);
  const messages: MessageData[] = [{ role: "user", content: [{ text: "Hi" }] }];
  for (const config of [5, "abc", [1]]) {
    await refused(() => action({ messages, config }), /object of named parameters/);
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("other config keys go verbatim only where the model's published input names them", async () => {
  await using app = await setup();
  await app.ai.generate({
    model: cloudflareAI.model(GLM53),
    prompt: "Hi",
    config: { chat_template_kwargs: { enable_thinking: false }, n: 1 },
  });
  const body = bodyOf(app);
  assert.deepEqual(body.chat_template_kwargs, { enable_thinking: false });
  assert.equal(body.n, 1);
  assert.deepEqual(body.messages, [{ role: "user", content: "Hi" }]);
  // llama-3.1-8b-fast's published input has no chat_template_kwargs; no model has `foo`.
  await refused(
    () =>
      app.ai.generate({
        model: cloudflareAI.model(LLAMA),
        prompt: "Hi",
        config: { chat_template_kwargs: { enable_thinking: false } },
      }),
    /config\.chat_template_kwargs .*no chat_template_kwargs field/,
  );
  await refused(
    () => app.ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi", config: { foo: 1 } }),
    /config\.foo .*no foo field/,
  );
  assert.equal(modelRequests(app.emu).length, 1);
});

// --- Config schema ----------------------------------------------------------

Deno.test("no config schema offers apiKey or version", () => {
  const schemas = [TextConfigSchema, ...TEXT_MODELS.map(configSchemaFor)];
  for (const schema of schemas) {
    const json = toJsonSchema({ schema }) as { properties: Record<string, unknown> };
    assert.ok("stopSequences" in json.properties);
    assert.ok(!("apiKey" in json.properties), "apiKey");
    assert.ok(!("version" in json.properties), "version");
  }
  const common = toJsonSchema({ schema: TextConfigSchema }) as { properties: object };
  assert.ok("temperature" in common.properties);
});

Deno.test("a set config.version is refused (Workers AI models have no versions); apiKey still is", async () => {
  await using app = await setup();
  await refused(
    () =>
      app.ai.generate({
        model: cloudflareAI.model(LLAMA).withVersion("2"),
        prompt: "Hi",
      }),
    /config\.version .*no versions/,
  );
  await refused(
    () =>
      app.ai.generate({
        model: cloudflareAI.model(LLAMA),
        prompt: "Hi",
        config: { version: "2" } as never,
      }),
    /config\.version/,
  );
  await refused(
    () =>
      app.ai.generate({
        model: cloudflareAI.model(LLAMA),
        prompt: "Hi",
        config: { apiKey: "t" } as never,
      }),
    /config\.apiKey .*traces/,
  );
  assert.equal(modelRequests(app.emu).length, 0);
  // Genkit always passes version, undefined when the reference has none.
  const res = await app.ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi" });
  assert.equal(res.text, `Hello from ${LLAMA}! You said: Hi`);
});
