// Every Workers AI error code, scripted as a fault of the emulator, over REST
// and over a binding: the Genkit status and the retry behaviour, judged
// against Cloudflare's table transcribed here (not against the plugin's).
import assert from "node:assert/strict";
import { genkit, GenkitError } from "genkit";
import { type AiBinding, cloudflareAI } from "../mod.ts";
import { type Emulator, startEmulator } from "../src/testing/mod.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";
const model = cloudflareAI.model(LLAMA);
const MAX_RETRIES = 2;

// Cloudflare's "Workers AI errors" table, code and HTTP status of each row:
// https://developers.cloudflare.com/workers-ai/platform/errors/ (the 5035 row
// was added in Jul 2026, cloudflare/cloudflare-docs pull request 32338).
const PUBLISHED: [code: number, http: number][] = [
  [5007, 400], // No such model
  [5004, 400], // Invalid data
  [3039, 400], // Finetune missing required files
  [3003, 400], // Incomplete request
  [5018, 403], // Account not allowed for private model
  [5016, 403], // Model agreement
  [3023, 403], // Account blocked
  [3041, 403], // Account not allowed for private model
  [5035, 403], // Model requires Workers Paid
  [5019, 405], // Deprecated SDK version
  [5005, 405], // LoRa unsupported
  [3042, 404], // Invalid model ID
  [3006, 413], // Request too large
  [3007, 408], // Timeout
  [3008, 408], // Aborted
  [3036, 429], // Account limited (daily free allocation)
  [3040, 429], // Out of capacity
];

// Codes seen in real answers but not in that table, with the status they came with.
const OBSERVED: [code: number, http: number][] = [
  [3021, 429], // per-minute rate limit: https://github.com/cloudflare/ai/issues/657
  [4006, 429], // daily free allocation, as real payloads carry it
  [5006, 400], // Bad input (JSON Schema validation)
  [10000, 401], // Authentication error
  [7000, 404], // No route for that URI
  [7001, 405], // Method not allowed
  [7003, 404], // Could not route to the account
  [8001, 400], // Invalid input (vLLM tool_choice)
  [3030, 400], // "auto" tool choice not enabled (vLLM)
  [3043, 500], // upstream failure
  [3046, 504], // upstream timeout
  [3050, 503], // Max retries exhausted
];

const CODES = [...PUBLISHED, ...OBSERVED];

/** The daily free allocation: it resets at 00:00 UTC, so trying again cannot help. */
const DAILY_QUOTA = new Set([3036, 4006]);

/** The Genkit status of an HTTP status (DESIGN.md, Reliability). */
function genkitStatus(http: number): string {
  const map: Record<number, string> = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "FAILED_PRECONDITION",
    408: "DEADLINE_EXCEEDED",
    413: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
  };
  return map[http];
}

/** Rate limits and capacity (429) and upstream failures (5xx) are retried; the daily quota and other 4xx never. */
function retried(code: number, http: number): boolean {
  return (http === 429 && !DAILY_QUOTA.has(code)) || http >= 500;
}

function errorCodes(e: Error & Record<string, unknown>): number[] {
  return ((e.detail as { errors?: { code: number }[] }).errors ?? []).map((x) => x.code);
}

Deno.test("over REST, the emulator answers every code with its published HTTP status", async () => {
  await using emu = await startEmulator();
  for (const [code, http] of CODES) {
    emu.fault({ code });
    const answer = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${LLAMA}`, {
      method: "POST",
      headers: { authorization: `Bearer ${emu.apiToken}` },
      body: JSON.stringify({ prompt: "Hi" }),
    });
    const body = await answer.json();
    assert.equal(answer.status, http, `code ${code}`);
    assert.equal(body.success, false);
    assert.equal(body.errors[0].code, code);
    assert.equal(typeof body.errors[0].message, "string");
  }
});

Deno.test("over REST, every code gives its Genkit status, and only the retryable ones are retried", async () => {
  await using app = await setup({ maxRetries: MAX_RETRIES, retryDelayMs: 1 });
  for (const [code, http] of CODES) {
    app.emu.reset();
    // Retry-After: 0 lets a retried code be tried again at once; it must not make any other code retried.
    app.emu.fault({ code, retryAfter: 0, times: MAX_RETRIES + 1 });
    const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
    assert.ok(e instanceof GenkitError, `code ${code}: a GenkitError`);
    assert.equal(e.status, genkitStatus(http), `code ${code}`);
    assert.deepEqual(errorCodes(e), [code]);
    assert.equal((e.detail as { httpStatus: number }).httpStatus, http, `code ${code}`);
    assert.match(e.message, new RegExp(`Cloudflare error ${code}: `));
    assert.ok(e.message.includes(LLAMA), `code ${code}: names the model`);
    const attempts = retried(code, http) ? MAX_RETRIES + 1 : 1;
    assert.equal(modelRequests(app.emu).length, attempts, `code ${code}: attempts`);
    if (attempts > 1) assert.match(e.message, new RegExp(`gave up after ${attempts} attempts`));
    assert.deepEqual(e.responseMetadata, { retryAfterMs: 0 }, `code ${code}: Retry-After kept`);
  }
});

Deno.test("over REST, a code inside an HTTP 200 envelope gets the status its code is published with", async () => {
  await using app = await setup({ maxRetries: 0 });
  for (const [code, http] of CODES) {
    app.emu.fault({ status: 200, code });
    const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
    assert.equal(e.status, genkitStatus(http), `code ${code}`);
    assert.deepEqual(errorCodes(e), [code]);
  }
});

Deno.test("the per-minute rate limit (3021) is retried and then succeeds; Retry-After decides the wait", async () => {
  await using app = await setup({ retryDelayMs: 1, timeoutMs: 1000 });
  app.emu.fault({ code: 3021 });
  const ok = await app.ai.generate({ model, prompt: "Hi" });
  assert.equal(ok.text, `Hello from ${LLAMA}! You said: Hi`);
  assert.equal(modelRequests(app.emu).length, 2);

  // A Retry-After longer than timeoutMs is reported at once rather than waited out.
  app.emu.reset();
  app.emu.fault({ code: 3021, retryAfter: 5, times: 3 });
  const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
  assert.equal(e.status, "RESOURCE_EXHAUSTED");
  assert.equal(modelRequests(app.emu).length, 1);
  assert.deepEqual(e.responseMetadata, { retryAfterMs: 5000 });
  assert.match(e.message, /requests per minute/);
});

/**
 * A stand-in for `env.AI` served by the emulator: on a failure it throws the
 * way the binding does, `Error("<code>: <message>")` (cloudflare/ai issue
 * 657), optionally after an error name.
 */
function fakeBinding(emu: Emulator, prefix: string): AiBinding {
  return {
    async run(id, inputs, options = {}) {
      const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${id}`, {
        method: "POST",
        headers: { authorization: `Bearer ${emu.apiToken}` },
        body: JSON.stringify(inputs),
        signal: options.signal as AbortSignal | undefined,
      });
      const json = await res.json();
      if (json.success) return json.result;
      throw new Error(`${prefix}${json.errors[0].code}: ${json.errors[0].message}`);
    },
  };
}

Deno.test("over a binding, every code gives the same Genkit status as REST and the same retries", async () => {
  await using emu = await startEmulator();
  for (const prefix of ["", "InferenceUpstreamError: "]) {
    const ai = genkit({
      promptDir: null,
      plugins: [
        cloudflareAI({
          binding: fakeBinding(emu, prefix),
          maxRetries: MAX_RETRIES,
          retryDelayMs: 1,
        }),
      ],
    });
    for (const [code, http] of CODES) {
      emu.reset();
      emu.fault({ code, times: MAX_RETRIES + 1 });
      const e = await failure(() => ai.generate({ model, prompt: "Hi" }));
      assert.equal(e.status, genkitStatus(http), `code ${code} (${prefix || "bare"})`);
      assert.deepEqual(errorCodes(e), [code]);
      assert.match(e.message, new RegExp(`Cloudflare error ${code}: `));
      const attempts = retried(code, http) ? MAX_RETRIES + 1 : 1;
      assert.equal(
        modelRequests(emu).length,
        attempts,
        `code ${code} (${prefix || "bare"}): attempts`,
      );
    }
  }
});

Deno.test("over a binding, the per-minute rate limit (3021) is retried and then succeeds", async () => {
  await using emu = await startEmulator();
  const ai = genkit({
    promptDir: null,
    plugins: [cloudflareAI({ binding: fakeBinding(emu, ""), retryDelayMs: 1 })],
  });
  emu.fault({ code: 3021 });
  const ok = await ai.generate({ model, prompt: "Hi" });
  assert.equal(ok.text, `Hello from ${LLAMA}! You said: Hi`);
  assert.equal(modelRequests(emu).length, 2);
});
