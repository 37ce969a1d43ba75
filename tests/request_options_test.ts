// How a request travels besides its body: prompt-caching affinity, busy
// rejection, tags, AI Gateway's per-request controls; and what identifies
// it afterwards (Ray ID, gateway log id and cache status) on answers and errors.
import assert from "node:assert/strict";
import { genkit, type GenkitError } from "genkit";
import { Session } from "genkit/beta";
import { cloudflareAI, type CloudflareAIOptions, type CloudflareErrorDetail } from "../mod.ts";
import { type Emulator, startEmulator } from "../src/testing/mod.ts";
import { failure, modelRequests } from "./_setup.ts";
import { fakeBinding } from "./_tasks.ts";

const LLAMA = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
const model = `cloudflare-ai/${LLAMA}`;

function app(emu: Emulator, options: Partial<CloudflareAIOptions> = {}) {
  return genkit({
    promptDir: null,
    plugins: [cloudflareAI({
      accountId: emu.accountId,
      apiToken: emu.apiToken,
      baseUrl: emu.url,
      maxRetries: 0,
      ...options,
    })],
  });
}

const viaGateway = (emu: Emulator, extra: Record<string, unknown> = {}) => ({
  gateway: { id: "gw-1", baseUrl: emu.gatewayUrl, ...extra },
});

Deno.test("sessionAffinity goes out as the x-session-affinity header, never in the body", async () => {
  await using emu = await startEmulator();
  const ai = app(emu);
  await ai.generate({ model, prompt: "Hi", config: { sessionAffinity: "chat-42" } });
  const [sent] = modelRequests(emu);
  assert.equal(sent.headers["x-session-affinity"], "chat-42");
  assert.ok(!JSON.stringify(sent.body).includes("chat-42"), "not in the body");
  assert.equal((sent.body as Record<string, unknown>).sessionAffinity, undefined);
});

Deno.test("inside a Genkit session the session id is the default affinity key", async () => {
  await using emu = await startEmulator();
  const ai = app(emu);
  const session = new Session({ sessionId: "session-7", messages: [] } as never);
  await session.run(() => ai.generate({ model, prompt: "Hi" }));
  await session.run(() => ai.generate({ model, prompt: "Hi", config: { sessionAffinity: "own" } }));
  const [first, second] = modelRequests(emu);
  assert.equal(first.headers["x-session-affinity"], "session-7");
  assert.equal(second.headers["x-session-affinity"], "own", "an explicit key wins");
  await ai.generate({ model, prompt: "Hi" });
  assert.equal(modelRequests(emu)[2].headers["x-session-affinity"], undefined, "outside: none");
});

Deno.test("an affinity key with a newline, or too long, is refused before any request", async () => {
  await using emu = await startEmulator();
  const ai = app(emu);
  for (const key of ["a\r\nx-evil: 1", "x".repeat(257), ""]) {
    const e = await failure(() =>
      ai.generate({ model, prompt: "Hi", config: { sessionAffinity: key } })
    );
    assert.equal(e.status, "INVALID_ARGUMENT");
    assert.match(e.message, /sessionAffinity.*HTTP header/);
  }
  assert.equal(modelRequests(emu).length, 0);
});

Deno.test("rejectIfBusy goes in the body's options over REST, in the binding's options", async () => {
  await using emu = await startEmulator();
  await app(emu).generate({ model, prompt: "Hi", config: { rejectIfBusy: true } });
  assert.deepEqual((modelRequests(emu)[0].body as Record<string, unknown>).options, {
    rejectIfBusy: true,
  });
  const { binding, calls } = fakeBinding(emu);
  const ai = genkit({ promptDir: null, plugins: [cloudflareAI({ binding, maxRetries: 0 })] });
  await ai.generate({ model, prompt: "Hi", config: { rejectIfBusy: true, tags: ["team:search"] } });
  assert.equal(calls[0].options.rejectIfBusy, true);
  assert.deepEqual(calls[0].options.tags, ["team:search"]);
  assert.equal((calls[0].inputs as Record<string, unknown>).rejectIfBusy, undefined);
});

Deno.test("tags are refused over REST, and bad tags anywhere, before any request", async () => {
  await using emu = await startEmulator();
  const e = await failure(() =>
    app(emu).generate({ model, prompt: "Hi", config: { tags: ["a"] } })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /binding only/);
  const { binding, calls } = fakeBinding(emu);
  const ai = genkit({ promptDir: null, plugins: [cloudflareAI({ binding, maxRetries: 0 })] });
  for (const tags of [["a", "b", "c", "d", "e", "f"], ["has space"], ["x".repeat(51)]]) {
    const bad = await failure(() => ai.generate({ model, prompt: "Hi", config: { tags } }));
    assert.equal(bad.status, "INVALID_ARGUMENT");
  }
  assert.equal(calls.length, 0);
  assert.equal(modelRequests(emu).length, 0);
});

Deno.test("AI Gateway controls go out as cf-aig-* headers, per request over the plugin's", async () => {
  await using emu = await startEmulator();
  const ai = app(
    emu,
    viaGateway(emu, {
      collectLog: false,
      eventId: "evt-1",
      requestTimeoutMs: 20_000,
      retries: { maxAttempts: 3, retryDelayMs: 500, backoff: "exponential" },
      customCost: { perTokenIn: 0.000001, perTokenOut: 0.000002 },
    }),
  );
  await ai.generate({ model, prompt: "Hi" });
  await ai.generate({
    model,
    prompt: "Hi",
    config: { gateway: { eventId: "evt-2", collectLog: true, customCost: { totalCost: 0.5 } } },
  });
  const [plain, own] = modelRequests(emu);
  assert.equal(plain.route, "gateway");
  assert.equal(plain.headers["cf-aig-collect-log"], "false");
  assert.equal(plain.headers["cf-aig-event-id"], "evt-1");
  assert.equal(plain.headers["cf-aig-request-timeout"], "20000");
  assert.equal(plain.headers["cf-aig-max-attempts"], "3");
  assert.equal(plain.headers["cf-aig-retry-delay"], "500");
  assert.equal(plain.headers["cf-aig-backoff"], "exponential");
  assert.deepEqual(JSON.parse(plain.headers["cf-aig-custom-cost"]), {
    per_token_in: 0.000001,
    per_token_out: 0.000002,
  });
  assert.equal(own.headers["cf-aig-event-id"], "evt-2");
  assert.equal(own.headers["cf-aig-collect-log"], "true");
  assert.deepEqual(JSON.parse(own.headers["cf-aig-custom-cost"]), { total_cost: 0.5 });
  assert.equal(own.headers["cf-aig-retry-delay"], "500", "the plugin's controls still apply");
});

Deno.test("AI Gateway controls are checked before any request, in the plugin and per request", async () => {
  await using emu = await startEmulator();
  for (const bad of [{ retries: { maxAttempts: 6 } }, { cacheTtl: 10 }, { eventId: "a\nb" }]) {
    assert.throws(
      () => cloudflareAI({ accountId: "a", apiToken: "t", ...viaGateway(emu, bad) }),
      (e: GenkitError) => e.status === "INVALID_ARGUMENT",
      JSON.stringify(bad),
    );
  }
  const ai = app(emu, viaGateway(emu));
  for (
    const gateway of [
      { retries: { backoff: "sometimes" } },
      { metadata: { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 } },
      { customCost: { perTokenIn: -1 } },
      { cacheKey: "x".repeat(300) },
      { nope: true },
    ]
  ) {
    const e = await failure(() => ai.generate({ model, prompt: "Hi", config: { gateway } }));
    assert.equal(e.status, "INVALID_ARGUMENT", JSON.stringify(gateway));
    assert.match(e.message, /config\.gateway/);
  }
  const noGateway = await failure(() =>
    app(emu).generate({ model, prompt: "Hi", config: { gateway: { eventId: "x" } } })
  );
  assert.match(noGateway.message, /does not route through one/);
  assert.equal(modelRequests(emu).length, 0);
});

Deno.test("every answer carries its Ray ID; through AI Gateway its log id and cache status", async () => {
  await using emu = await startEmulator();
  const direct = await app(emu).generate({ model, prompt: "Hi" });
  assert.match(
    String((direct.custom as Record<string, unknown> | undefined)?.cfRay),
    /^[0-9a-f]{16}-EMU$/,
  );
  assert.equal((direct.custom as Record<string, unknown> | undefined)?.gatewayLogId, undefined);
  const routed = await app(emu, viaGateway(emu)).generate({ model, prompt: "Hi" });
  assert.match(String((routed.custom as Record<string, unknown> | undefined)?.cfRay), /-EMU$/);
  assert.match(
    String((routed.custom as Record<string, unknown> | undefined)?.gatewayLogId),
    /^01[0-9A-Z]{24}$/,
  );
  assert.equal((routed.custom as Record<string, unknown> | undefined)?.gatewayCacheStatus, "MISS");
  const streamed = app(emu).generateStream({ model, prompt: "Hi" });
  for await (const _ of streamed.stream) { /* drain */ }
  assert.match(
    String(((await streamed.response).custom as Record<string, unknown> | undefined)?.cfRay),
    /-EMU$/,
  );
});

Deno.test("an error's detail carries the request ids too, and never a token", async () => {
  await using emu = await startEmulator();
  emu.fault({ status: 400, code: 5006 });
  const e = await failure(() => app(emu, viaGateway(emu)).generate({ model, prompt: "Hi" }));
  const detail = e.detail as CloudflareErrorDetail;
  assert.match(String(detail.cfRay), /-EMU$/);
  assert.match(String(detail.gatewayLogId), /^01/);
  assert.ok(!JSON.stringify(detail).includes(emu.apiToken));
});

Deno.test("through a binding, the gateway controls join its gateway option and the log id is read back", async () => {
  await using emu = await startEmulator();
  const { binding, calls } = fakeBinding(emu);
  (binding as { aiGatewayLogId?: string }).aiGatewayLogId = "01JADMCQQQBWH3NXZ5GCRN98DP";
  const ai = genkit({
    promptDir: null,
    plugins: [cloudflareAI({ binding, maxRetries: 0, gateway: { id: "gw-1", collectLog: false } })],
  });
  const res = await ai.generate({
    model,
    prompt: "Hi",
    config: { sessionAffinity: "chat-9", gateway: { eventId: "evt-3" } },
  });
  assert.deepEqual(calls[0].options.gateway, { id: "gw-1", collectLog: false, eventId: "evt-3" });
  assert.deepEqual(calls[0].options.extraHeaders, { "x-session-affinity": "chat-9" });
  assert.equal(
    (res.custom as Record<string, unknown> | undefined)?.gatewayLogId,
    "01JADMCQQQBWH3NXZ5GCRN98DP",
  );
});

Deno.test("a conversation's repeated prefix comes back as cached input tokens, in both wire formats", async () => {
  await using emu = await startEmulator();
  const ai = app(emu);
  // llama-3.3 answers Workers AI's native shape; glm-4.7-flash OpenAI's chat completions.
  for (const id of [LLAMA, "@cf/zai-org/glm-4.7-flash"]) {
    const m = `cloudflare-ai/${id}`;
    const system = "You are the support assistant of ACME. We open at nine and close at five.";
    const config = { sessionAffinity: `conv-${id}` };
    const first = await ai.generate({ model: m, system, prompt: "When do you open?", config });
    assert.equal(first.usage.cachedContentTokens, 0, `${id}: the first request is a miss`);
    const second = await ai.generate({
      model: m,
      system,
      messages: first.messages,
      prompt: "And on Sundays?",
      config,
    });
    assert.ok(
      (second.usage.cachedContentTokens ?? 0) > 0 &&
        second.usage.cachedContentTokens! < (second.usage.inputTokens ?? 0),
      `${id}: the repeated prefix is read from cache: ${JSON.stringify(second.usage)}`,
    );
    const other = await ai.generate({ model: m, system, prompt: "When do you open?" });
    assert.notEqual(other.usage.cachedContentTokens ?? 0, second.usage.cachedContentTokens);
  }
});
