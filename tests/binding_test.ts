import assert from "node:assert/strict";
import { genkit } from "genkit";
import { type AiBinding, cloudflareAI } from "../mod.ts";
import { type Emulator, startEmulator } from "../src/testing/mod.ts";
import { failure } from "./_setup.ts";

const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";

/**
 * A stand-in for `env.AI` that behaves like the Workers binding: it resolves
 * to the result object (or the SSE byte stream for `stream: true`) and throws
 * `Error("<Name>: <code>: <message>")` on failure. It serves from the emulator.
 */
function fakeBinding(emu: Emulator) {
  const calls: { model: string; options: Record<string, unknown> }[] = [];
  const binding: AiBinding = {
    async run(model, inputs, options = {}) {
      calls.push({ model, options });
      const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${model}`, {
        method: "POST",
        headers: { authorization: `Bearer ${emu.apiToken}` },
        body: JSON.stringify(inputs),
        signal: options.signal as AbortSignal | undefined,
      });
      if ((res.headers.get("content-type") ?? "").includes("text/event-stream")) return res.body;
      const json = await res.json();
      if (!json.success) {
        const [e] = json.errors;
        throw new Error(`InferenceUpstreamError: ${e.code}: ${e.message}`);
      }
      return json.result;
    },
  };
  return { binding, calls };
}

Deno.test("with a Workers AI binding, no account or token is needed and generate works", async () => {
  await using emu = await startEmulator();
  const { binding, calls } = fakeBinding(emu);
  const ai = genkit({
    promptDir: null,
    plugins: [cloudflareAI({ binding, gateway: { id: "gw", cacheTtl: 60, skipCache: true } })],
  });
  const res = await ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi" });
  assert.equal(res.text, `Hello from ${LLAMA}! You said: Hi`);
  assert.equal(calls[0].model, LLAMA);
  assert.deepEqual(
    { ...(calls[0].options.gateway as object) },
    { id: "gw", skipCache: true, cacheTtl: 60 },
  );
  assert.ok(calls[0].options.signal instanceof AbortSignal);

  const { stream, response } = ai.generateStream({
    model: cloudflareAI.model(LLAMA),
    prompt: "Yo",
  });
  let text = "";
  for await (const c of stream) text += c.text;
  assert.equal(text, `Hello from ${LLAMA}! You said: Yo`);
  assert.equal((await response).usage.outputTokens, 6);
});

Deno.test('binding errors ("<code>: <message>") map like REST errors, and capacity errors are retried', async () => {
  await using emu = await startEmulator();
  const { binding, calls } = fakeBinding(emu);
  const ai = genkit({
    promptDir: null,
    plugins: [cloudflareAI({ binding, retryDelayMs: 5 })],
  });
  emu.fault({ status: 429, code: 3040 });
  const ok = await ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi" });
  assert.ok(ok.text.startsWith("Hello"));
  assert.equal(calls.length, 2, "retried once");

  emu.fault({ status: 403, code: 5016 });
  const e = await failure(() => ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi" }));
  assert.equal(e.status, "PERMISSION_DENIED");
  assert.match(e.message, /Cloudflare error 5016/);
});

// The binding's codes, with the status REST gives the same code (reference §2.3):
// one table serves both, so they cannot disagree.
const BINDING_CODES: [number, string, boolean][] = [
  [10000, "UNAUTHENTICATED", false],
  [5007, "INVALID_ARGUMENT", false],
  [5006, "INVALID_ARGUMENT", false],
  [3003, "INVALID_ARGUMENT", false],
  [5016, "PERMISSION_DENIED", false],
  [5018, "PERMISSION_DENIED", false],
  [3023, "PERMISSION_DENIED", false],
  [3041, "PERMISSION_DENIED", false],
  [5035, "PERMISSION_DENIED", false],
  [5005, "FAILED_PRECONDITION", false],
  [5019, "FAILED_PRECONDITION", false],
  [3042, "NOT_FOUND", false],
  [7003, "NOT_FOUND", false],
  [3006, "INVALID_ARGUMENT", false],
  [3007, "DEADLINE_EXCEEDED", false],
  [3008, "DEADLINE_EXCEEDED", false],
  [3036, "RESOURCE_EXHAUSTED", false],
  [4006, "RESOURCE_EXHAUSTED", false],
  [3040, "RESOURCE_EXHAUSTED", true],
  [3050, "UNAVAILABLE", true],
];

/** A binding whose run() does what `behave` says, counting calls. */
function scripted(behave: (call: number, options: Record<string, unknown>) => Promise<unknown>) {
  let calls = 0;
  const binding: AiBinding = { run: (_m, _i, options = {}) => behave(++calls, options) };
  const ai = genkit({
    promptDir: null,
    plugins: [cloudflareAI({ binding, retryDelayMs: 1, timeoutMs: 300 })],
  });
  return { ai, calls: () => calls };
}

Deno.test("binding errors map through the same code table as REST, and only capacity errors are retried", async () => {
  for (const [code, status, retried] of BINDING_CODES) {
    const { ai, calls } = scripted(() =>
      Promise.reject(new Error(`InferenceUpstreamError: ${code}: something failed`))
    );
    const e = await failure(() => ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi" }));
    assert.equal(e.status, status, `code ${code}`);
    assert.equal((e.detail as { errors: { code: number }[] }).errors[0].code, code);
    assert.equal(calls(), retried ? 3 : 1, `code ${code} retried: ${retried}`);
  }
});

Deno.test("a number inside a binding's message is not a code; a thrown { code } object keeps its code", async () => {
  const late = scripted(() =>
    Promise.reject(new Error("upstream gave up after 30000: retry later"))
  );
  const e = await failure(() =>
    late.ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi" })
  );
  assert.equal((e.detail as { errors: { code: number }[] }).errors[0].code, 0);
  assert.doesNotMatch(e.message, /Cloudflare error 30000/);

  const coded = scripted((call) =>
    call === 1
      ? Promise.reject({ code: 3040, message: "Capacity temporarily exceeded" })
      : Promise.resolve({ response: "fine" })
  );
  const ok = await coded.ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi" });
  assert.equal(ok.text, "fine");
  assert.equal(coded.calls(), 2, "the 3040 object was retried as a capacity error");
});

Deno.test("a binding that resolves nothing, a string or an error envelope is an error, never an empty answer", async () => {
  const answers: [unknown, string, RegExp][] = [
    [undefined, "INTERNAL", /malformed/],
    [null, "INTERNAL", /malformed/],
    ["Hello", "INTERNAL", /malformed/],
    [42, "INTERNAL", /malformed/],
    [[], "INTERNAL", /malformed/],
    [{ result: null, success: true }, "INTERNAL", /malformed/],
    [
      { success: false, errors: [{ code: 5006, message: "Bad input" }], result: null },
      "INVALID_ARGUMENT",
      /5006/,
    ],
  ];
  for (const [answer, status, message] of answers) {
    const { ai } = scripted(() => Promise.resolve(answer));
    const e = await failure(() => ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi" }));
    assert.equal(e.status, status, JSON.stringify(answer));
    assert.match(e.message, message);
    assert.ok(e.message.includes(LLAMA), "names the model");
  }
});

Deno.test("timeoutMs and the caller's abort end a binding call that never settles and ignores its signal", async () => {
  const never = scripted(() => new Promise(() => {}));
  const started = Date.now();
  const e = await failure(() =>
    never.ai.generate({ model: cloudflareAI.model(LLAMA), prompt: "Hi" })
  );
  assert.equal(e.status, "DEADLINE_EXCEEDED");
  assert.ok(Date.now() - started < 5000, "ended by timeoutMs, not hung");
  assert.equal(never.calls(), 1, "a deadline is not retried");

  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const aborted = await failure(() =>
    never.ai.generate({
      model: cloudflareAI.model(LLAMA),
      prompt: "Hi",
      abortSignal: controller.signal,
    })
  );
  assert.equal(aborted.status, "CANCELLED");
});

Deno.test("a binding stream that stalls mid-way is cancelled at timeoutMs", async () => {
  let cancelled = false;
  const { ai } = scripted(() => {
    const encoder = new TextEncoder();
    return Promise.resolve(
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(encoder.encode('data: {"response":"Hel"}\n\n'));
        },
        cancel() {
          cancelled = true;
        },
      }),
    );
  });
  const chunks: string[] = [];
  const e = await failure(async () => {
    const { stream, response } = ai.generateStream({
      model: cloudflareAI.model(LLAMA),
      prompt: "Hi",
    });
    for await (const c of stream) chunks.push(c.text);
    await response;
  });
  assert.equal(e.status, "DEADLINE_EXCEEDED");
  assert.deepEqual(chunks, ["Hel"]);
  assert.ok(cancelled, "the binding's stream was cancelled");
});

Deno.test("a binding stream that arrives after the caller gave up is cancelled", async () => {
  let cancelled = false;
  const { ai } = scripted(() =>
    new Promise((resolve) =>
      setTimeout(() =>
        resolve(
          new ReadableStream({
            cancel() {
              cancelled = true;
            },
          }),
        ), 100)
    )
  );
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  const e = await failure(async () => {
    const { stream, response } = ai.generateStream({
      model: cloudflareAI.model(LLAMA),
      prompt: "Hi",
      abortSignal: controller.signal,
    });
    for await (const _ of stream) { /* drain */ }
    await response;
  });
  assert.equal(e.status, "CANCELLED");
  await new Promise((r) => setTimeout(r, 150));
  assert.ok(cancelled, "the late stream was let go of");
});
