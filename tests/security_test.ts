// What a hostile or careless caller can pass, and what it must never achieve:
// a request outside /ai/run, a smuggled query, a token in an error or a log.
import assert from "node:assert/strict";
import fc from "fast-check";
import { genkit, GenkitError } from "genkit";
import { logger } from "genkit/logging";
import { cloudflareAI, type CloudflareAIOptions } from "../mod.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";
// Long enough that a 120- or 160-character cut falls inside it.
const TOKEN = "tok-SECRET-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP";
const GATEWAY_TOKEN = "gw-SECRET-zyxwvutsrqponmlkjihgfedcba-9876543210";

/** Every place a caller, a log or a trace can see of an error. */
function seen(e: Error & Record<string, unknown>): string {
  return [String(e), e.message, e.stack ?? "", JSON.stringify(e), JSON.stringify(e.detail ?? null)]
    .join("\n");
}

/** Asserts neither token, nor any 8-character piece of one, appears in `text`. */
function assertNoSecret(text: string, where: string) {
  for (const secret of [TOKEN, GATEWAY_TOKEN]) {
    for (let i = 0; i + 8 <= secret.length; i += 4) {
      const piece = secret.slice(i, i + 8);
      assert.equal(text.includes(piece), false, `${where}: "${piece}" of a token leaked`);
    }
  }
}

const HOSTILE_IDS = [
  "@cf/x/../../../../../../user/tokens/verify",
  "@cf/x/../../../openai/chat/completions",
  "@cf/x/%2e%2e/%2e%2e/user/tokens/verify",
  "@cf/x/a?b#c",
  "@cf/x/a#b",
  "@cf/x/a?page=2",
  "@cf/x\\..\\..\\y",
  "@cf/../x/y",
  "@cf/./x/y",
  "@cf/x/./y",
  "@cf/x/y/z",
  "@cf/x/ y",
  "@cf/x/y\n",
  "@cf/x/y\r\nHost: evil",
  "@cf/x/y\u0000",
  "@cf//y",
  "@cf/x/",
  "@xx/x/y",
  "cf/x/y",
];

Deno.test("hostile model ids are refused before any request, by model, embedder and reranker", async () => {
  await using app = await setup();
  for (const id of HOSTILE_IDS) {
    const name = `cloudflare-ai/${id}`;
    const calls: [string, () => Promise<unknown>][] = [
      ["generate", () => app.ai.generate({ model: name, prompt: "hi" })],
      ["embed", () => app.ai.embed({ embedder: name, content: "hi" })],
      ["rerank", () => app.ai.rerank({ reranker: name, query: "q", documents: [] })],
      ["model ref", () => Promise.resolve(cloudflareAI.model(id))],
      ["embedder ref", () => Promise.resolve(cloudflareAI.embedder(id))],
      ["reranker ref", () => Promise.resolve(cloudflareAI.reranker(id))],
    ];
    for (const [what, call] of calls) {
      const e = await failure(call);
      assert.ok(e instanceof GenkitError, `${what} ${JSON.stringify(id)}: a GenkitError`);
      assert.ok(
        e.status === "INVALID_ARGUMENT" || e.status === "NOT_FOUND",
        `${what} ${JSON.stringify(id)}: refused, got ${e.status}`,
      );
    }
  }
  assert.equal(app.emu.requests.length, 0, "no request reached the server");
});

Deno.test("hostile ids in the models option are refused when the plugin is made", () => {
  for (const id of HOSTILE_IDS.slice(0, 5)) {
    assert.throws(
      () => cloudflareAI({ accountId: "a", apiToken: "t", models: [id] }),
      (e: GenkitError) => e.status === "INVALID_ARGUMENT",
    );
  }
});

Deno.test("an account id or gateway id that could change the path is refused when the plugin is made", () => {
  const bad = ["../x", "a/b", "a?b", "a#b", "%2e%2e", "a b", "a\nb", ".."];
  for (const accountId of bad) {
    assert.throws(
      () => cloudflareAI({ accountId, apiToken: "t" }),
      (e: GenkitError) => e.status === "INVALID_ARGUMENT" && /accountId/.test(e.message),
      `accountId ${JSON.stringify(accountId)}`,
    );
    assert.throws(
      () => cloudflareAI({ accountId: "a", apiToken: "t", gateway: { id: accountId } }),
      (e: GenkitError) => e.status === "INVALID_ARGUMENT" && /gateway\.id/.test(e.message),
      `gateway.id ${JSON.stringify(accountId)}`,
    );
  }
});

Deno.test("option values are checked when the plugin is made", () => {
  const base = { accountId: "a", apiToken: "t" };
  const cases: [string, unknown][] = [
    ["models", { models: "@cf/meta/llama-3.1-8b-instruct-fast" }],
    ["baseUrl", { baseUrl: "not a url" }],
    ["baseUrl", { baseUrl: "ftp://example.com/client/v4" }],
    ["baseUrl", { baseUrl: "https://example.com/client/v4?x=1" }],
    ["baseUrl", { baseUrl: "https://user:pass@example.com/client/v4" }],
    ["fetch", { fetch: "fetch" }],
    ["binding", { binding: {} }],
    ["gateway.cacheKey", { gateway: { id: "gw", cacheKey: "k\r\nX-Evil: 1" } }],
    ["gateway.authToken", { gateway: { id: "gw", authToken: "t\nX-Evil: 1" } }],
    ["gateway.metadata", {
      gateway: { id: "gw", metadata: { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 } },
    }],
    ["gateway.metadata", { gateway: { id: "gw", metadata: { a: { nested: true } } } }],
    ["gateway.baseUrl", { gateway: { id: "gw", baseUrl: "javascript:alert(1)" } }],
    ["gateway.cache is not an AI Gateway control", { gateway: { id: "gw", cache: 60 } }],
    ["apiToken", { apiToken: "tok\r\nX-Evil: 1" }],
    ["maxRetries", { maxRetries: 11 }],
    ["maxRetries", { maxRetries: -1 }],
    ["timeoutMs", { timeoutMs: 1.5 }],
    ["embedConcurrency", { embedConcurrency: 0 }],
    ["options must be an object", "@cf/meta/llama-3.1-8b-instruct-fast"],
  ];
  for (const [field, extra] of cases) {
    const options = (typeof extra === "object" ? { ...base, ...extra } : extra) as
      | CloudflareAIOptions
      | undefined;
    assert.throws(
      () => cloudflareAI(options),
      (e: GenkitError) => e.status === "INVALID_ARGUMENT" && e.message.includes(field),
      `${field}: ${JSON.stringify(extra)}`,
    );
  }
  // And the documented forms still work.
  cloudflareAI({ ...base, maxRetries: 10, baseUrl: "HTTP://LOCALHOST:8787/client/v4/" });
  cloudflareAI({ ...base, gateway: { id: "my-gateway_1", metadata: { team: "a", n: 1 } } });
});

/**
 * A fetch that records each model request's URL and answers it with a tiny
 * text answer; the model search (read to resolve an unknown id) finds nothing.
 */
function recordingFetch(urls: URL[]): typeof fetch {
  return (input) => {
    const url = new URL(String(input));
    if (url.pathname.endsWith("/ai/models/search")) {
      return Promise.resolve(Response.json({ result: [], success: true }));
    }
    urls.push(url);
    return Promise.resolve(Response.json({ result: { response: "ok" }, success: true }));
  };
}

const ID_PIECES = [
  "@cf/",
  "@hf/",
  "/",
  "..",
  ".",
  "%2e",
  "%2F",
  "?",
  "#",
  "\\",
  " ",
  "\n",
  "\t",
  "a",
  "meta",
  "llama-3.1",
  "_",
  "-",
  "@",
  ":",
  "é",
  "\u0000",
];
const segment = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,12}$/);
const wellFormed = fc.tuple(fc.constantFrom("@cf/", "@hf/"), segment, segment)
  .map(([p, a, b]) => `${p}${a}/${b}`);
const idStrings = fc.oneof(
  wellFormed,
  // A well-formed id with one hostile piece put somewhere in it.
  fc.tuple(wellFormed, fc.constantFrom(...ID_PIECES), fc.nat()).map(([id, piece, at]) => {
    const i = at % (id.length + 1);
    return id.slice(0, i) + piece + id.slice(i);
  }),
  fc.string({ maxLength: 40 }),
  fc.array(fc.constantFrom(...ID_PIECES), { maxLength: 12 }).map((p) => p.join("")),
  fc.tuple(
    fc.constantFrom("@cf/", "@hf/"),
    fc.array(fc.constantFrom(...ID_PIECES), { maxLength: 6 }).map((p) => p.join("")),
    fc.constantFrom("/", "/.", "/..", "/x"),
    fc.array(fc.constantFrom(...ID_PIECES), { maxLength: 6 }).map((p) => p.join("")),
  ).map((t) => t.join("")),
);

Deno.test("property: any id string is refused before any request, or sent to exactly /accounts/<account>/ai/run/<id>", async () => {
  for (const route of ["rest", "gateway"] as const) {
    const urls: URL[] = [];
    let sent = 0;
    let refused = 0;
    const ai = genkit({
      promptDir: null,
      plugins: [cloudflareAI({
        accountId: "acct",
        apiToken: "tok",
        baseUrl: "https://api.example/client/v4",
        fetch: recordingFetch(urls),
        maxRetries: 0,
        ...(route === "gateway" ? { gateway: { id: "gw", baseUrl: "https://gw.example/v1" } } : {}),
      })],
    });
    await fc.assert(
      fc.asyncProperty(idStrings, async (id) => {
        urls.length = 0;
        let failed: unknown;
        try {
          await ai.generate({ model: `cloudflare-ai/${id}`, prompt: "hi" });
        } catch (e) {
          failed = e;
        }
        if (urls.length === 0) {
          assert.ok(
            failed instanceof GenkitError,
            `${JSON.stringify(id)} refused with a GenkitError`,
          );
          refused++;
          return;
        }
        sent++;
        assert.equal(failed, undefined, `${JSON.stringify(id)} was sent, so it must succeed`);
        assert.equal(urls.length, 1);
        const expected = route === "rest"
          ? `/client/v4/accounts/acct/ai/run/${id}`
          : `/v1/acct/gw/workers-ai/${id}`;
        assert.equal(urls[0].pathname, expected, JSON.stringify(id));
        assert.equal(urls[0].search, "");
        assert.equal(urls[0].hash, "");
        assert.equal(urls[0].host, route === "rest" ? "api.example" : "gw.example");
      }),
      { numRuns: 400 },
    );
    // The generators reach both outcomes, so neither branch is vacuous.
    assert.ok(sent > 10 && refused > 100, `${route}: ${sent} sent, ${refused} refused`);
  }
});

Deno.test("a hostile id through the gateway never reaches another provider's route", async () => {
  await using app = await setup({}, {});
  const urls: URL[] = [];
  const ai = genkit({
    promptDir: null,
    plugins: [cloudflareAI({
      accountId: app.emu.accountId,
      apiToken: app.emu.apiToken,
      gateway: { id: "gw", baseUrl: app.emu.gatewayUrl },
      fetch: (input, init) => {
        urls.push(new URL(String(input)));
        return fetch(input, init);
      },
    })],
  });
  const e = await failure(() =>
    ai.generate({ model: "cloudflare-ai/@cf/x/../../../openai/chat/completions", prompt: "hi" })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.equal(urls.length, 0);
  // A well-formed id goes exactly where it should.
  await ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "hi" });
  assert.deepEqual(urls.map((u) => u.pathname), [
    `/gateway/v1/${app.emu.accountId}/gw/workers-ai/${LLAMA}`,
  ]);
  assert.equal(app.emu.requests[0].path, `/gateway/v1/${app.emu.accountId}/gw/workers-ai/${LLAMA}`);
});

Deno.test("ids from the model search that break the grammar are never listed", async () => {
  const ai = genkit({
    promptDir: null,
    plugins: [cloudflareAI({
      accountId: "acct",
      apiToken: "tok",
      baseUrl: "https://api.example/client/v4",
      fetch: (input) => {
        const url = new URL(String(input));
        if (!url.pathname.endsWith("/ai/models/search")) throw new Error("unexpected request");
        const model = (name: string) => ({
          name,
          task: { name: "Text Generation" },
          properties: [],
        });
        return Promise.resolve(Response.json({
          success: true,
          result: [model("@cf/x/../../../user/tokens/verify"), model("@cf/acme/fine-1b")],
          result_info: { total_count: 2, per_page: 100 },
        }));
      },
    })],
  });
  const actions = await ai.registry.listResolvableActions();
  const names = Object.keys(actions);
  assert.ok(names.includes("/model/cloudflare-ai/@cf/acme/fine-1b"));
  assert.equal(names.some((n) => n.includes("..")), false);
});

Deno.test("no token, whole or in part, leaves through an error: echoed headers in a 401, a 200 success:false, an in-stream error and a cut HTML body", async () => {
  await using app = await setup(
    { apiToken: TOKEN, maxRetries: 0 },
    { apiToken: TOKEN },
  );
  const model = cloudflareAI.model(LLAMA);
  const faults = [
    { status: 401, code: 10000, echoHeaders: true },
    { status: 200, code: 5006, echoHeaders: true },
    { status: 400, echoHeaders: true },
    // A raw body cut short by the summary: the cut falls inside the token.
    { status: 502, body: `<html>${"x".repeat(130)} Authorization: Bearer ${TOKEN}</html>` },
    {
      status: 200,
      body: `not json ${"y".repeat(170)} Bearer ${TOKEN}`,
      contentType: "application/json",
    },
  ];
  for (const fault of faults) {
    app.emu.fault(fault);
    const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
    assert.ok(e instanceof GenkitError, JSON.stringify(fault));
    assertNoSecret(seen(e), JSON.stringify(fault));
  }
  app.emu.fault({ errorAfterEvents: 1, echoHeaders: true });
  const streamed = await failure(async () => {
    const { stream, response } = app.ai.generateStream({ model, prompt: "Hi" });
    for await (const _ of stream) { /* drain */ }
    await response;
  });
  assert.match(streamed.message, /No capacity/);
  assertNoSecret(seen(streamed), "in-stream error");
  const [first] = modelRequests(app.emu);
  assert.ok(first.headers.authorization.includes(TOKEN), "the server did see the token");
});

Deno.test("the gateway token is redacted too, and the model search's failure log carries no token", async () => {
  await using app = await setup({
    apiToken: TOKEN,
    maxRetries: 0,
    gateway: { id: "gw", authToken: GATEWAY_TOKEN },
  }, { apiToken: TOKEN });
  app.emu.fault({ status: 403, code: 5018, echoHeaders: true });
  // The emulator serves the gateway route; point the gateway at it.
  const ai = genkit({
    promptDir: null,
    plugins: [cloudflareAI({
      accountId: app.emu.accountId,
      apiToken: TOKEN,
      gateway: { id: "gw", baseUrl: app.emu.gatewayUrl, authToken: GATEWAY_TOKEN },
      maxRetries: 0,
    })],
  });
  const e = await failure(() => ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi" }));
  assert.equal(e.status, "PERMISSION_DENIED");
  assert.ok(
    app.emu.requests[0].headers["cf-aig-authorization"].includes(GATEWAY_TOKEN),
    "the server did see the gateway token",
  );
  assertNoSecret(seen(e), "gateway error");

  app.emu.fault({ target: "models-search", status: 500, code: 3043, echoHeaders: true });
  const logged: string[] = [];
  const original = logger.warn;
  logger.warn = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
  try {
    await app.ai.registry.listResolvableActions();
  } finally {
    logger.warn = original;
  }
  assert.equal(logged.length, 1, "one warning about the model search");
  assert.match(logged[0], /could not read the account's models/);
  assert.ok(app.emu.requests.some((r) => r.route === "models-search"));
  assertNoSecret(logged[0], "list() warning");
});
