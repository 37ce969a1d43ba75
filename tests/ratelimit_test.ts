// Cloudflare's per-task rate limits, in the emulator, and a batched call
// that rides them instead of crashing into them.
import assert from "node:assert/strict";
import { genkit } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { startEmulator } from "../src/testing/mod.ts";
import { failure, modelRequests } from "./_setup.ts";

const BGE = "@cf/baai/bge-base-en-v1.5";
const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";

Deno.test("the emulator enforces a budget per task and window: 429, code 3040, Retry-After, counted", async () => {
  await using emu = await startEmulator({
    rateLimits: { "Text Embeddings": { requests: 3, windowMs: 1000 } },
  });
  const post = (model: string, body: unknown) =>
    fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${model}`, {
      method: "POST",
      headers: { authorization: `Bearer ${emu.apiToken}` },
      body: JSON.stringify(body),
    });
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push(await post(BGE, { text: [`t${i}`] }));
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 429, 429]);
  const refused = await answers[3].json();
  assert.equal(refused.errors[0].code, 3040);
  assert.equal(answers[3].headers.get("retry-after"), "1");
  await Promise.all(answers.map((r) => r.bodyUsed ? undefined : r.body?.cancel()));
  assert.equal(emu.rateLimited, 2);
  // Other tasks have their own budget (none here).
  const text = await post(LLAMA, { prompt: "Hi" });
  assert.equal(text.status, 200);
  await text.body?.cancel();
  emu.reset();
  assert.equal(emu.rateLimited, 0);
});

function app(emu: Awaited<ReturnType<typeof startEmulator>>, extra = {}) {
  return genkit({
    promptDir: null,
    plugins: [cloudflareAI({
      accountId: emu.accountId,
      apiToken: emu.apiToken,
      baseUrl: emu.url,
      ...extra,
    })],
  });
}

Deno.test("embedMany shares back-pressure across its batches: one 429 pauses them all until the budget is back", async () => {
  // 24 batches, 8 allowed a second, 16 in flight: without shared back-pressure
  // every batch that finds the budget spent is refused once a window (24
  // refusals here), and batches run out of retries.
  await using emu = await startEmulator({
    rateLimits: { "Text Embeddings": { requests: 8, windowMs: 1000 } },
  });
  const ai = app(emu, { embedConcurrency: 16 });
  const content = Array.from({ length: 2400 }, (_, i) => `passage ${i}`);
  const vectors = await ai.embedMany({ embedder: cloudflareAI.embedder(BGE), content });
  assert.equal(vectors.length, 2400);
  const sent = modelRequests(emu).filter((r) => r.status === 200);
  assert.equal(sent.length, 24, "every batch answered once");
  // At most the requests in flight when a window's budget runs out are refused:
  // 8 of the first 16, then 8 of the second round; none in the third.
  assert.ok(emu.rateLimited <= 20, `${emu.rateLimited} requests refused for the rate limit`);
});

Deno.test("maxRetries still bounds each batch under a rate limit", async () => {
  await using emu = await startEmulator({
    rateLimits: { "Text Embeddings": { requests: 1, windowMs: 120_000 } },
  });
  const ai = app(emu, { maxRetries: 1, timeoutMs: 300_000 });
  const content = Array.from({ length: 300 }, (_, i) => `passage ${i}`);
  // Retry-After is two minutes here: longer than the plugin waits (60 s at most), so it gives up.
  const e = await failure(() => ai.embedMany({ embedder: cloudflareAI.embedder(BGE), content }));
  assert.equal(e.status, "RESOURCE_EXHAUSTED");
  assert.match(e.message, /batch \d of 3/);
  assert.ok(modelRequests(emu).length <= 3, "no request after the call failed");
});

Deno.test("a pacer pauses every request of a call, halves its limit once per rate-limit event, and grows it back", async () => {
  const { Pacer } = await import("../src/client/pacer.ts");
  const pacer = new Pacer(8);
  assert.equal(pacer.limit, 8);
  pacer.throttled(200, false);
  pacer.throttled(200, false); // a second refusal of the same event
  assert.equal(pacer.limit, 4, "halved once");
  const started = Date.now();
  await pacer.ready();
  assert.ok(Date.now() - started >= 150, "waited for the pause");
  for (let i = 0; i < 5; i++) pacer.succeeded();
  assert.equal(pacer.limit, 5, "about one more after a round of successes");
  const controller = new AbortController();
  pacer.throttled(10_000, false);
  const waiting = pacer.ready(controller.signal);
  controller.abort();
  await assert.rejects(waiting);
});

/**
 * A round's first request sent and answered through `pacer` (the server's
 * window opens between the two), then `spentMs` until the budget is spent.
 */
async function spendRound(
  pacer: { ready(): Promise<void>; succeeded(): void },
  spentMs: number,
): Promise<{ sent: number; answered: number }> {
  const sent = Date.now();
  await pacer.ready();
  pacer.succeeded();
  const answered = Date.now();
  await new Promise((r) => setTimeout(r, spentMs));
  return { sent, answered };
}

Deno.test("a pacer told a Retry-After resumes when the budget's window ends, not a whole Retry-After after the refusal", async () => {
  const { Pacer } = await import("../src/client/pacer.ts");
  const pacer = new Pacer(4);
  const { sent, answered } = await spendRound(pacer, 300); // the budget is spent 300 ms in
  const refused = Date.now();
  pacer.throttled(1000, true); // "Retry-After: 1" from the refusal: a window of 1 s
  assert.ok(pacer.resumesAt >= sent + 1000, "not before the window can have ended");
  assert.ok(pacer.resumesAt <= answered + 1000, "once the window has surely ended");
  assert.ok(pacer.resumesAt < refused + 1000, "before a whole Retry-After from the refusal");
  await pacer.ready();
  assert.ok(Date.now() >= sent + 1000);
});

Deno.test("a pacer resumes when a per-minute style window ends, though the Retry-After counts from the refusal", async () => {
  // A window of 5 s whose budget is spent 1.1 s in: the refusal says
  // "Retry-After: 4" (the seconds left, rounded up), and the budget is back 5 s
  // after the window opened, not 4 s after.
  const { Pacer } = await import("../src/client/pacer.ts");
  const pacer = new Pacer(4);
  const { sent, answered } = await spendRound(pacer, 1100);
  pacer.throttled(4000, true);
  assert.ok(pacer.resumesAt >= sent + 5000, "not before the window can have ended");
  assert.ok(pacer.resumesAt <= answered + 5000, "once the window has surely ended");
});

Deno.test("a pacer waits the whole Retry-After when it cannot tell which window was spent", async () => {
  const { Pacer } = await import("../src/client/pacer.ts");
  // No answer yet since the round began: the budget may have been spent
  // before its first request arrived (by another caller, or a window still open).
  const unanswered = new Pacer(4);
  await unanswered.ready();
  let before = Date.now();
  unanswered.throttled(1000, true);
  assert.ok(unanswered.resumesAt >= before + 1000, "a whole Retry-After from the refusal");
  // A round longer than the Retry-After may have spanned two windows.
  const long = new Pacer(4);
  await long.ready();
  long.succeeded();
  await new Promise((r) => setTimeout(r, 1100));
  before = Date.now();
  long.throttled(1000, true);
  assert.ok(long.resumesAt >= before + 1000, "a whole Retry-After from the refusal");
  // A Retry-After that is not whole seconds says the end itself.
  const exact = new Pacer(4);
  await exact.ready();
  exact.succeeded();
  before = Date.now();
  exact.throttled(1500, true);
  assert.ok(exact.resumesAt >= before + 1500, "the Retry-After from the refusal");
});
