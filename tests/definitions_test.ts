import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readPublished, renderFacts, renderSchemas } from "../scripts/definitions.ts";
import { PUBLISHED_MODEL_IDS, publishedModel } from "../src/definitions/mod.ts";
import type { PublishedDefinition, PublishedModel } from "../src/definitions/types.ts";

/**
 * The published model definitions: the refresh from Cloudflare's model
 * search and schema endpoints (recorded answers served on loopback), the
 * generated modules, and the snapshot's facts against values read from
 * Cloudflare's published definition files.
 */

const root = fileURLToPath(new URL("../", import.meta.url));
const script = join(root, "scripts/definitions.ts");
const fixtures = join(root, "tests/fixtures/definitions");
const decoder = new TextDecoder();

const ACCOUNT = "0123456789abcdef0123456789abcdef";
const TOKEN = "cf-token-Zq7WmX93kLr2";

const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";
const GLM = "@cf/zai-org/glm-5.3-flash";
const BGE = "@cf/baai/bge-small-en-v1.5";
const GUARD = "@hf/thebloke/llamaguard-7b-awq";

interface Served {
  url: string;
  close(): Promise<void>;
  requests: { path: string; query: string; authorization: string | null }[];
}

/** Serves the recorded answers like Cloudflare's API; `reject` answers every request with 403. */
function serveRecorded(reject = false): Served {
  const requests: Served["requests"] = [];
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });
  const fixture = async (name: string) =>
    json(JSON.parse(await Deno.readTextFile(join(fixtures, name))));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const url = new URL(req.url);
    requests.push({
      path: url.pathname,
      query: url.search,
      authorization: req.headers.get("authorization"),
    });
    if (reject || req.headers.get("authorization") !== `Bearer ${TOKEN}`) {
      // As a proxy that echoes what it was given might answer.
      return json({
        success: false,
        result: null,
        errors: [{
          code: 10000,
          message: `Authentication error (${req.headers.get("authorization")})`,
        }],
        messages: [],
      }, 403);
    }
    const prefix = `/client/v4/accounts/${ACCOUNT}/ai/models/`;
    if (url.pathname === `${prefix}search`) {
      return fixture(`search_page_${url.searchParams.get("page")}.json`);
    }
    if (url.pathname === `${prefix}schema`) {
      const id = url.searchParams.get("model") ?? "";
      return fixture(`schema_${id.split("/").pop()}.json`);
    }
    return json({ success: false, errors: [{ code: 7003, message: "No route" }] }, 404);
  });
  const { port } = server.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${port}/client/v4`,
    requests,
    close: () => server.shutdown(),
  };
}

/** Runs the definitions script with the deno task's permissions. */
async function runScript(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-env",
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-write",
      script,
      ...args,
    ],
    cwd: root,
    env: {
      NO_COLOR: "1",
      CLOUDFLARE_ACCOUNT_ID: "",
      CLOUDFLARE_API_TOKEN: "",
      CLOUDFLARE_API_BASE_URL: "",
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** A definitions folder whose `published/` holds the recorded snapshot. */
async function snapshotDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "cloudflare-ai-definitions-" });
  await Deno.mkdir(join(dir, "published"));
  for await (const entry of Deno.readDir(join(fixtures, "snapshot"))) {
    await Deno.copyFile(join(fixtures, "snapshot", entry.name), join(dir, "published", entry.name));
  }
  return dir;
}

async function listing(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for await (const entry of Deno.readDir(dir)) {
    files[entry.name] = await Deno.readTextFile(join(dir, entry.name));
  }
  return files;
}

async function readJson(path: string): Promise<PublishedDefinition> {
  return JSON.parse(await Deno.readTextFile(path));
}

Deno.test("refresh reads every search page and schema, and reports models added and removed and fields changed", async () => {
  const dir = await snapshotDir();
  const api = serveRecorded();
  try {
    const env = {
      CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
      CLOUDFLARE_API_TOKEN: TOKEN,
      CLOUDFLARE_API_BASE_URL: api.url,
    };
    const run = await runScript(["refresh", "--out", dir], env);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split("\n");
    assert.ok(
      lines.includes("refresh: 3 models listed; 1 added, 1 removed, 2 changed, 0 unchanged."),
      run.stdout,
    );
    assert.ok(lines.includes(`added: ${BGE}`));
    assert.ok(lines.includes(`removed: ${GUARD}`));
    // llama: the search now publishes `beta`; its schemas, descriptions removed, are unchanged.
    assert.deepEqual(lines.filter((l) => l.startsWith(`changed: ${LLAMA} `)), [
      `changed: ${LLAMA} properties.beta: (absent) -> true`,
    ]);
    const glm = lines.filter((l) => l.startsWith(`changed: ${GLM} `));
    const effort = "schema.input.anyOf[0].oneOf[0].properties.reasoning_effort";
    for (
      const expected of [
        `changed: ${GLM} properties.context_window: 1048576 -> 1310720`,
        `changed: ${GLM} properties.created_at: (absent) -> "2026-08-26 14:21:42.917"`,
        `changed: ${GLM} ${effort}.anyOf[0].enum: ["low","medium","high"] -> ["max","high","low"]`,
        `changed: ${GLM} ${effort}.default: (absent) -> "max"`,
      ]
    ) {
      assert.ok(glm.includes(expected), `${expected}\nin:\n${glm.join("\n")}`);
    }
    assert.ok(
      glm.some((l) => l.startsWith(`changed: ${GLM} properties.reasoning_effort: (absent) -> {`)),
    );
    assert.ok(
      glm.some((l) =>
        l.startsWith(`changed: ${GLM} schema.input.anyOf[0].oneOf[0].properties.service_tier: {`) &&
        l.endsWith("-> (absent)")
      ),
    );
    // Prices, terms and info links are not facts: never reported, never kept.
    assert.ok(!run.stdout.includes("price") && !run.stdout.includes("terms"));
    assert.match(run.stdout, /^cross-check with @cloudflare\/workers-types 5\.20261117\.1: /m);
    assert.match(run.stdout, new RegExp(`published, not in AiModels: ${LLAMA}$`, "m"));
    assert.ok(!(run.stdout + run.stderr).includes(TOKEN), "the token is never printed");

    // Every page of the search, then one schema per model, each with the token.
    assert.deepEqual(
      api.requests.map((r) => `${r.path.replace(/^.*\/ai\/models\//, "")}${r.query}`),
      [
        "search?per_page=100&page=1",
        "search?per_page=100&page=2",
        `schema?model=${encodeURIComponent(LLAMA)}`,
        `schema?model=${encodeURIComponent(GLM)}`,
        `schema?model=${encodeURIComponent(BGE)}`,
      ],
    );
    assert.ok(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));

    const files = Object.keys(await listing(join(dir, "published"))).sort();
    assert.deepEqual(files, [
      "bge-small-en-v1.5.json",
      "glm-5.3-flash.json",
      "llama-3.1-8b-instruct-fast.json",
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const bgeText = await Deno.readTextFile(join(dir, "published/bge-small-en-v1.5.json"));
    const bge = JSON.parse(bgeText) as PublishedDefinition;
    assert.equal(bge.id, BGE);
    assert.equal(bge.task, "Text Embeddings");
    assert.deepEqual(bge.source, { api: "models/search+schema", retrieved: today });
    assert.deepEqual(bge.properties, {
      async_queue: true,
      max_input_tokens: 512,
      output_dimensions: 384,
      created_at: "2023-11-07 15:43:58.042",
    });
    assert.ok(!bgeText.includes('"description"'), "descriptions are removed");
    assert.deepEqual(
      (bge.schema.input as { oneOf: { properties: { pooling: unknown } }[] }).oneOf[0].properties
        .pooling,
      { type: "string", enum: ["mean", "cls"], default: "mean" },
    );
    // A field *named* description (a tool's) is a fact, not prose: it stays.
    const llama = await readJson(join(dir, "published/llama-3.1-8b-instruct-fast.json"));
    const tool = (llama.schema.input as {
      oneOf: { properties: { tools: { items: { oneOf: Record<string, unknown>[] } } } }[];
    }).oneOf[1].properties.tools.items.oneOf[0];
    assert.deepEqual((tool.properties as Record<string, unknown>).description, { type: "string" });
    assert.deepEqual(tool.required, ["name", "description", "parameters"]);
    assert.deepEqual(llama.properties, { beta: true });

    // The generated modules of that folder describe the refreshed snapshot.
    const { PUBLISHED } = await import(join(dir, "facts.ts")) as {
      PUBLISHED: Record<string, PublishedModel>;
    };
    assert.deepEqual(Object.keys(PUBLISHED), [BGE, LLAMA, GLM]);
    const glmFacts = PUBLISHED[GLM];
    assert.deepEqual(glmFacts.reasoningEffort, {
      supported: ["max", "high", "low"],
      default: "max",
      normalizesTo: { none: "max", minimal: "max", medium: "max", xhigh: "max", null: "max" },
      mandatory: true,
      defaultEnabled: true,
    });
    assert.equal(glmFacts.contextWindow, 1310720);
    assert.equal(glmFacts.requireWorkersPaid, true);
    assert.equal(glmFacts.listedInTypes, true);
    assert.deepEqual(glmFacts.params.frequency_penalty, {
      type: "number",
      minimum: -2,
      maximum: 2,
      default: 0,
      nullable: true,
    });
    assert.deepEqual(glmFacts.params.reasoning_effort, {
      type: "string",
      enum: ["max", "high", "low"],
      default: "max",
      nullable: true,
    });
    const llamaFacts = PUBLISHED[LLAMA];
    assert.equal(llamaFacts.beta, true);
    assert.equal(llamaFacts.listedInTypes, false);
    assert.deepEqual(llamaFacts.variants.map((v) => [v.title, v.required]), [
      ["Prompt", ["prompt"]],
      ["Messages", ["messages"]],
    ]);
    // A text model's parameters are those of its chat variant: `lora` and `raw` are prompt-only.
    assert.deepEqual(Object.keys(llamaFacts.params), [
      "stream",
      "max_tokens",
      "temperature",
      "top_k",
      "seed",
    ]);
    assert.deepEqual(llamaFacts.params.temperature, {
      type: "number",
      minimum: 0,
      maximum: 5,
      default: 0.6,
    });
    assert.deepEqual(PUBLISHED[BGE].params, {
      pooling: { type: "string", enum: ["mean", "cls"], default: "mean" },
    });
    assert.equal(PUBLISHED[BGE].outputDimensions, 384);
    assert.equal(PUBLISHED[BGE].asyncQueue, true);
    const { PUBLISHED_SCHEMAS } = await import(join(dir, "schemas.ts")) as {
      PUBLISHED_SCHEMAS: Record<string, { source: unknown; input: unknown }>;
    };
    assert.deepEqual(PUBLISHED_SCHEMAS[BGE].source, {
      api: "models/search+schema",
      retrieved: today,
    });
    assert.deepEqual(PUBLISHED_SCHEMAS[BGE].input, bge.schema.input);

    // What the refresh writes is formatted as `deno fmt` writes it.
    const fmt = await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--check", "--no-config", "--line-width=100", dir],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(fmt.code, 0, decoder.decode(fmt.stderr));

    // Refreshing again changes nothing.
    const before = await listing(join(dir, "published"));
    const again = await runScript(["refresh", "--out", dir], env);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(
      again.stdout.includes(
        "refresh: 3 models listed; 0 added, 0 removed, 0 changed, 3 unchanged.",
      ),
      again.stdout,
    );
    assert.deepEqual(await listing(join(dir, "published")), before);
  } finally {
    await api.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("refresh without credentials names the missing variables in one line and exits 1", async () => {
  const dir = await snapshotDir();
  try {
    const none = await runScript(["refresh", "--out", dir], {});
    assert.equal(none.code, 1);
    assert.equal(none.stdout, "");
    const lines = none.stderr.trim().split("\n");
    assert.equal(lines.length, 1, none.stderr);
    assert.match(lines[0], /CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN are not set/);

    const noToken = await runScript(["refresh", "--out", dir], { CLOUDFLARE_ACCOUNT_ID: ACCOUNT });
    assert.equal(noToken.code, 1);
    assert.equal(noToken.stderr.trim().split("\n").length, 1);
    assert.match(noToken.stderr, /CLOUDFLARE_API_TOKEN is not set/);
    assert.doesNotMatch(noToken.stderr, /CLOUDFLARE_ACCOUNT_ID/);
    assert.deepEqual(
      Object.keys(await listing(join(dir, "published"))).sort(),
      Object.keys(await listing(join(fixtures, "snapshot"))).sort(),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a refused refresh writes nothing, says what failed with Cloudflare's code, and never shows the token", async () => {
  const dir = await snapshotDir();
  const api = serveRecorded(true);
  try {
    const before = await listing(join(dir, "published"));
    const run = await runScript(["refresh", "--out", dir], {
      CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
      CLOUDFLARE_API_TOKEN: TOKEN,
      CLOUDFLARE_API_BASE_URL: api.url,
    });
    assert.equal(run.code, 1);
    const lines = run.stderr.trim().split("\n");
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], /nothing written: model search, page 1: HTTP 403/);
    assert.match(lines[0], /10000 Authentication error/);
    assert.match(lines[0], /CLOUDFLARE_API_TOKEN/);
    assert.ok(!(run.stdout + run.stderr).includes(TOKEN), run.stderr);
    assert.deepEqual(await listing(join(dir, "published")), before);
    const entries = await Array.fromAsync(Deno.readDir(dir));
    assert.deepEqual(entries.map((e) => e.name), ["published"]);
  } finally {
    await api.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the generated modules are deterministic and up to date with the published files", async () => {
  const { files } = await readPublished();
  const definitions = files.map((f) => f.definition);
  assert.ok(definitions.length > 0, "the snapshot has published files");
  const facts = renderFacts(definitions);
  assert.equal(renderFacts([...definitions].reverse()), facts);
  assert.equal(
    await Deno.readTextFile(join(root, "src/definitions/facts.ts")),
    facts,
    "src/definitions/facts.ts is stale: run `deno task definitions build`",
  );
  const schemas = renderSchemas(definitions);
  assert.equal(renderSchemas([...definitions].reverse()), schemas);
  assert.equal(
    await Deno.readTextFile(join(root, "src/definitions/schemas.ts")),
    schemas,
    "src/definitions/schemas.ts is stale: run `deno task definitions build`",
  );
});

Deno.test("glm-5.3-flash in the snapshot is as Cloudflare publishes it now", () => {
  // As published in cloudflare-docs at 192d4051 (the version the AiModels types
  // of @cloudflare/workers-types 5.20261117.1 agree with: efforts max, high, low).
  const glm = publishedModel(GLM);
  assert.ok(glm, `${GLM} has a published definition`);
  assert.deepEqual(glm.reasoningEffort?.supported, ["max", "high", "low"]);
  assert.equal(glm.reasoningEffort?.default, "max");
  assert.equal(glm.reasoningEffort?.mandatory, true);
  assert.equal(glm.contextWindow, 1310720);
  assert.equal(glm.functionCalling, true);
  assert.equal(glm.vision, true);
  assert.equal(glm.requireWorkersPaid, true);
  assert.equal(glm.listedInTypes, true);
});

Deno.test("llama-3.1-8b-instruct-fast in the snapshot has its published ranges and is not in AiModels", () => {
  const llama = publishedModel(LLAMA);
  assert.ok(llama);
  assert.equal(llama.task, "Text Generation");
  assert.deepEqual(llama.params.temperature, {
    type: "number",
    minimum: 0,
    maximum: 5,
    default: 0.6,
  });
  assert.deepEqual(llama.params.max_tokens, { type: "integer", default: 256 });
  assert.deepEqual(llama.params.top_k, { type: "integer", minimum: 1, maximum: 50 });
  assert.equal(llama.listedInTypes, false);
});

Deno.test("bge-small-en-v1.5 in the snapshot is as Cloudflare publishes it now", () => {
  // As published at 0f82325b (the version whose `pooling` the AiModels types agree with).
  const bge = publishedModel(BGE);
  assert.ok(bge);
  assert.equal(bge.task, "Text Embeddings");
  assert.equal(bge.outputDimensions, 384);
  assert.equal(bge.maxInputTokens, 512);
  assert.equal(bge.asyncQueue, true);
  assert.deepEqual(bge.params.pooling, {
    type: "string",
    enum: ["mean", "cls"],
    default: "mean",
  });
});

Deno.test("the snapshot's ids are sorted and unknown ids have no facts", () => {
  assert.deepEqual(PUBLISHED_MODEL_IDS, [...PUBLISHED_MODEL_IDS].sort());
  assert.ok(PUBLISHED_MODEL_IDS.includes(GLM));
  assert.equal(publishedModel("@cf/nobody/no-such-model"), undefined);
  assert.equal(publishedModel("constructor"), undefined);
});
