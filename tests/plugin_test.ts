import assert from "node:assert/strict";
import process from "node:process";
import { genkit } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";

Deno.test("an out-of-range config value is refused before any request, naming field and range", async () => {
  await using app = await setup();
  const e = await failure(() =>
    app.ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi", config: { temperature: 9 } })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /temperature/);
  assert.match(e.message, /from 0 to 5/);
  // qwen3-30b's published definition narrows top_p to 0.001..1 where others take 0..2.
  const e2 = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model("@cf/qwen/qwen3-30b-a3b-fp8"),
      prompt: "Hi",
      config: { topP: 1.5 },
    })
  );
  assert.match(e2.message, /topP.*0\.001 to 1/);
  const e3 = await failure(() =>
    app.ai.generate({
      // glm-4.7-flash's published input has no top_k.
      model: cloudflareAI.model("@cf/zai-org/glm-4.7-flash"),
      prompt: "Hi",
      config: { topK: 5 },
    })
  );
  assert.match(e3.message, /topK is not supported/);
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("a retired model is refused before any request with NOT_FOUND and a replacement", async () => {
  await using app = await setup();
  for (
    const [id, replacement] of [
      ["@cf/qwen/qwen1.5-14b-chat-awq", "@cf/qwen/qwen3-30b-a3b-fp8"],
      ["@cf/mistral/mistral-7b-instruct-v0.2", "@cf/mistralai/mistral-small-3.1-24b-instruct"],
    ]
  ) {
    const e = await failure(() => app.ai.generate({ model: `cloudflare-ai/${id}`, prompt: "Hi" }));
    assert.equal(e.status, "NOT_FOUND", id);
    assert.ok(e.message.includes(replacement), `${id} names ${replacement}`);
    assert.throws(() => cloudflareAI.model(id), /Use @/);
  }
  assert.equal(app.emu.requests.length, 0);
});

Deno.test("an id that is not @cf/ or @hf/ is refused before any request", async () => {
  await using app = await setup();
  const e = await failure(() => app.ai.generate({ model: "cloudflare-ai/gpt-4o", prompt: "Hi" }));
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /not a Workers AI model id/);
  assert.throws(() => cloudflareAI.model("meta/llama"), /@cf\//);
  assert.equal(app.emu.requests.length, 0);
});

Deno.test("missing credentials throw at once, naming the missing variables", () => {
  const saved = [process.env.CLOUDFLARE_ACCOUNT_ID, process.env.CLOUDFLARE_API_TOKEN];
  delete process.env.CLOUDFLARE_ACCOUNT_ID;
  delete process.env.CLOUDFLARE_API_TOKEN;
  try {
    assert.throws(() => cloudflareAI(), /CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN/);
    assert.throws(() => cloudflareAI({ accountId: "a" }), (e: Error) => {
      return /CLOUDFLARE_API_TOKEN/.test(e.message) && !/CLOUDFLARE_ACCOUNT_ID/.test(e.message);
    });
    process.env.CLOUDFLARE_ACCOUNT_ID = "from-env";
    process.env.CLOUDFLARE_API_TOKEN = "from-env";
    assert.doesNotThrow(() => cloudflareAI());
  } finally {
    if (saved[0] === undefined) delete process.env.CLOUDFLARE_ACCOUNT_ID;
    else process.env.CLOUDFLARE_ACCOUNT_ID = saved[0];
    if (saved[1] === undefined) delete process.env.CLOUDFLARE_API_TOKEN;
    else process.env.CLOUDFLARE_API_TOKEN = saved[1];
  }
});

Deno.test("AI Gateway: URL and cf-aig-* headers as the gateway receives them", async () => {
  await using app = await setup();
  const ai = genkit({
    promptDir: null,
    plugins: [
      cloudflareAI({
        accountId: app.emu.accountId,
        apiToken: app.emu.apiToken,
        gateway: {
          id: "my-gateway",
          baseUrl: app.emu.gatewayUrl,
          cacheTtl: 3600,
          skipCache: true,
          cacheKey: "greeting-1",
          metadata: { team: "ai", user: 42, test: true },
          authToken: "gateway-secret",
        },
      }),
    ],
  });
  const res = await ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi" });
  assert.equal(res.text, `Hello from ${LLAMA}! You said: Hi`);
  const [req] = app.emu.requests;
  assert.equal(req.route, "gateway");
  const base = new URL(app.emu.gatewayUrl).pathname;
  assert.equal(req.path, `${base}/${app.emu.accountId}/my-gateway/workers-ai/${LLAMA}`);
  assert.equal(req.headers.authorization, `Bearer ${app.emu.apiToken}`);
  assert.equal(req.headers["cf-aig-cache-ttl"], "3600");
  assert.equal(req.headers["cf-aig-skip-cache"], "true");
  assert.equal(req.headers["cf-aig-cache-key"], "greeting-1");
  assert.deepEqual(JSON.parse(req.headers["cf-aig-metadata"]), {
    team: "ai",
    user: 42,
    test: true,
  });
  assert.equal(req.headers["cf-aig-authorization"], "Bearer gateway-secret");
});

Deno.test("a custom fetch carries every request", async () => {
  await using app = await setup();
  const seen: string[] = [];
  const ai = genkit({
    promptDir: null,
    plugins: [
      cloudflareAI({
        accountId: app.emu.accountId,
        apiToken: app.emu.apiToken,
        baseUrl: app.emu.url,
        fetch: (input, init) => {
          seen.push(String(input));
          return fetch(input, init);
        },
      }),
    ],
  });
  await ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi" });
  assert.deepEqual(seen, [`${app.emu.url}/accounts/${app.emu.accountId}/ai/run/${LLAMA}`]);
});

Deno.test("config.apiKey is refused before any request: Genkit would record it in traces", async () => {
  await using app = await setup();
  const e = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model(LLAMA),
      prompt: "Hi",
      // deno-lint-ignore no-explicit-any
      config: { apiKey: "tok-per-call" } as any,
    })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /traces/);
  assert.equal(e.message.includes("tok-per-call"), false);
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("model refs carry info and the config schema", () => {
  const ref = cloudflareAI.model("@cf/google/gemma-4-26b-a4b-it", { temperature: 0.2 });
  assert.equal(ref.name, "cloudflare-ai/@cf/google/gemma-4-26b-a4b-it");
  assert.equal(ref.info?.supports?.media, true);
  assert.equal(ref.info?.supports?.tools, true);
  assert.deepEqual(ref.config, { temperature: 0.2 });
  assert.ok(ref.configSchema);
});

Deno.test("the plugin registers the catalog's models under cloudflare-ai/<id>", async () => {
  await using app = await setup();
  const actions = await app.ai.registry.listResolvableActions();
  assert.ok(`/model/cloudflare-ai/${LLAMA}` in actions);
  assert.ok("/model/cloudflare-ai/@cf/openai/gpt-oss-120b" in actions);
});
