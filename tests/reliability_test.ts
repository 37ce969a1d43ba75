import assert from "node:assert/strict";
import { GenkitError } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { Deadline } from "../src/timer.ts";
import { eventually, failure, modelRequests, setup } from "./_setup.ts";

const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";
const TOKEN = "tok-SECRET-0123456789abcdef";
const model = cloudflareAI.model(LLAMA);

/** Asserts the token appears nowhere in what a caller or a log could see of an error. */
function assertNoToken(e: Error & Record<string, unknown>) {
  const seen = [String(e), e.message, e.stack ?? "", JSON.stringify(e.detail ?? null)].join("\n");
  assert.equal(seen.includes(TOKEN), false, "the API token leaked into an error");
}

// Reference §2.3: every documented envelope, with the Genkit status it must map to.
const ENVELOPES: [number, number, string][] = [
  [400, 5007, "INVALID_ARGUMENT"],
  [400, 5004, "INVALID_ARGUMENT"],
  [400, 3039, "INVALID_ARGUMENT"],
  [400, 3003, "INVALID_ARGUMENT"],
  [400, 5006, "INVALID_ARGUMENT"],
  [403, 5018, "PERMISSION_DENIED"],
  [403, 5016, "PERMISSION_DENIED"],
  [403, 3023, "PERMISSION_DENIED"],
  [403, 3041, "PERMISSION_DENIED"],
  [403, 5035, "PERMISSION_DENIED"],
  [405, 5019, "FAILED_PRECONDITION"],
  [405, 5005, "FAILED_PRECONDITION"],
  [404, 3042, "NOT_FOUND"],
  [413, 3006, "INVALID_ARGUMENT"],
  [408, 3007, "DEADLINE_EXCEEDED"],
  [408, 3008, "DEADLINE_EXCEEDED"],
  [429, 3036, "RESOURCE_EXHAUSTED"],
  [429, 4006, "RESOURCE_EXHAUSTED"],
  [429, 3040, "RESOURCE_EXHAUSTED"],
  [503, 3050, "UNAVAILABLE"],
];

Deno.test("each Cloudflare error envelope maps to its status, with code, model and no token", async () => {
  await using app = await setup({ apiToken: TOKEN, maxRetries: 0 }, { apiToken: TOKEN });
  for (const [status, code, expected] of ENVELOPES) {
    app.emu.fault({ status, code });
    const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
    assert.ok(e instanceof GenkitError, `${code}: a GenkitError`);
    assert.equal(e.status, expected, `${code}`);
    assert.match(e.message, new RegExp(`Cloudflare error ${code}`));
    assert.ok(e.message.includes(LLAMA), `${code}: names the model`);
    const detail = e.detail as { httpStatus: number; errors: { code: number }[] };
    assert.equal(detail.httpStatus, status);
    assert.equal(detail.errors[0].code, code);
    assertNoToken(e);
  }
});

Deno.test("errors carry a hint for daily quota, paid-only models and the Llama 3.2 license", async () => {
  await using app = await setup({ maxRetries: 0 });
  const cases: [number, number, RegExp][] = [
    [429, 4006, /resets at 00:00 UTC/],
    [403, 5035, /Workers Paid plan/],
    [403, 5016, /"prompt":"agree"/],
  ];
  for (const [status, code, hint] of cases) {
    app.emu.fault({ status, code });
    const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
    assert.match(e.message, hint);
  }
});

Deno.test("a wrong API token is UNAUTHENTICATED with code 10000, and the token is not in the error", async () => {
  await using app = await setup({ apiToken: TOKEN });
  const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
  assert.equal(e.status, "UNAUTHENTICATED");
  assert.match(e.message, /10000/);
  assert.match(e.message, /CLOUDFLARE_API_TOKEN/);
  assertNoToken(e);
  assert.equal(modelRequests(app.emu).length, 1, "authentication failures are not retried");
});

Deno.test("HTTP 200 with success: false is an error", async () => {
  await using app = await setup({ maxRetries: 0 });
  app.emu.fault({ status: 200, code: 5006, message: "AiError: Bad input: something" });
  const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /5006/);
});

Deno.test("retries a 429/3040 capacity error, then succeeds", async () => {
  await using app = await setup();
  app.emu.fault({ status: 429, code: 3040 });
  const res = await app.ai.generate({ model, prompt: "Hi" });
  assert.equal(res.text, `Hello from ${LLAMA}! You said: Hi`);
  assert.equal(modelRequests(app.emu).length, 2);
});

Deno.test("retries a 502 with an HTML body, then succeeds", async () => {
  await using app = await setup();
  app.emu.fault({
    status: 502,
    body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
    contentType: "text/html",
  });
  const res = await app.ai.generate({ model, prompt: "Hi" });
  assert.ok(res.text.startsWith("Hello"));
  assert.equal(modelRequests(app.emu).length, 2);
});

Deno.test("an HTML error page that persists is reported readably", async () => {
  await using app = await setup({ maxRetries: 1 });
  app.emu.fault({ status: 502, body: "<html><h1>502 Bad Gateway</h1></html>", times: 5 });
  const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
  assert.equal(e.status, "UNAVAILABLE");
  assert.match(e.message, /HTTP 502/);
  assert.match(e.message, /502 Bad Gateway/);
  assert.equal(modelRequests(app.emu).length, 2);
});

Deno.test("the daily quota (4006) and bad input (5006) are not retried", async () => {
  await using app = await setup();
  for (const [status, code] of [[429, 4006], [400, 5006]]) {
    app.emu.reset();
    app.emu.fault({ status, code, times: 5 });
    const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
    assert.match(e.message, new RegExp(String(code)));
    assert.equal(modelRequests(app.emu).length, 1, `${code} tried once`);
  }
});

Deno.test("a persistent 500 fails after maxRetries + 1 attempts", async () => {
  await using app = await setup({ maxRetries: 3 });
  app.emu.fault({ status: 500, times: 10 });
  const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
  assert.equal(e.status, "INTERNAL");
  assert.match(e.message, /4 attempts/);
  assert.equal(modelRequests(app.emu).length, 4);
});

Deno.test("Retry-After is honoured before the next attempt", async () => {
  await using app = await setup({ retryDelayMs: 1 });
  app.emu.fault({ status: 429, code: 3040, retryAfter: 1 });
  const started = performance.now();
  await app.ai.generate({ model, prompt: "Hi" });
  assert.ok(performance.now() - started >= 990, "waited the server's Retry-After");
  assert.equal(modelRequests(app.emu).length, 2);
});

Deno.test("a malformed 200 body is an error, not an answer", async () => {
  await using app = await setup({ maxRetries: 0 });
  app.emu.fault({ malformed: true });
  const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
  assert.match(e.message, /not valid JSON/);
});

Deno.test("timeoutMs bounds the wait for headers on a hung server (DEADLINE_EXCEEDED)", async () => {
  await using app = await setup({ timeoutMs: 150 });
  app.emu.fault({ hang: true });
  const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
  assert.equal(e.status, "DEADLINE_EXCEEDED");
  assert.match(e.message, /150 ms/);
  await eventually(() => modelRequests(app.emu)[0].aborted);
  assert.equal(modelRequests(app.emu).length, 1, "a timeout is not retried");
});

Deno.test("timeoutMs bounds each gap between stream events", async () => {
  await using app = await setup({ timeoutMs: 100 }, { streamEventDelayMs: 400 });
  const { stream, response } = app.ai.generateStream({ model, prompt: "Hi" });
  const e = await failure(async () => {
    for await (const _ of stream) { /* drain */ }
  });
  await response.catch(() => {});
  assert.equal(e.status, "DEADLINE_EXCEEDED");
  await eventually(() => modelRequests(app.emu)[0].aborted);
});

Deno.test("aborting mid-request cancels the HTTP request (CANCELLED)", async () => {
  await using app = await setup();
  app.emu.fault({ hang: true });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const e = await failure(() =>
    app.ai.generate({ model, prompt: "Hi", abortSignal: controller.signal })
  );
  assert.equal(e.status, "CANCELLED");
  await eventually(() => modelRequests(app.emu)[0].aborted);
});

Deno.test("aborting mid-stream closes the connection (CANCELLED)", async () => {
  await using app = await setup({}, { streamEventDelayMs: 30 });
  const controller = new AbortController();
  const { stream, response } = app.ai.generateStream({
    model,
    prompt: "Hi",
    abortSignal: controller.signal,
  });
  let chunks = 0;
  const e = await failure(async () => {
    for await (const _ of stream) {
      if (++chunks === 2) controller.abort();
    }
  });
  await response.catch(() => {});
  assert.equal(e.status, "CANCELLED");
  await eventually(() => modelRequests(app.emu)[0].aborted);
});

Deno.test("a stream cut before [DONE] is an error, never a complete answer", async () => {
  await using app = await setup({ maxRetries: 0 });
  app.emu.fault({ cutAfterEvents: 3 });
  const { stream, response } = app.ai.generateStream({ model, prompt: "Hi" });
  const e = await failure(async () => {
    for await (const _ of stream) { /* drain */ }
  });
  await response.catch(() => {});
  assert.equal(e.status, "UNAVAILABLE");
  assert.match(e.message, /ended before \[DONE\]/);
});

Deno.test("an error event inside a stream is raised with its code", async () => {
  await using app = await setup();
  app.emu.fault({ errorAfterEvents: 3 });
  const { stream, response } = app.ai.generateStream({ model, prompt: "Hi" });
  const e = await failure(async () => {
    for await (const _ of stream) { /* drain */ }
  });
  await response.catch(() => {});
  assert.equal(e.status, "RESOURCE_EXHAUSTED");
  assert.match(e.message, /3040/);
});

Deno.test("a JSON body returned to a streaming request is delivered as the answer", async () => {
  await using app = await setup();
  app.emu.fault({ jsonForStream: true });
  const { stream, response } = app.ai.generateStream({ model, prompt: "Hi" });
  let text = "";
  for await (const c of stream) text += c.text;
  assert.equal(text, `Hello from ${LLAMA}! You said: Hi`);
  assert.equal((await response).text, text);
});

Deno.test("streams split into tiny network writes and CRLF lines parse the same", async () => {
  await using app = await setup();
  app.emu.fault({ crlf: true, chunkBytes: 3 });
  const { stream, response } = app.ai.generateStream({ model, prompt: "Grüße 日本 🙂" });
  let text = "";
  for await (const c of stream) text += c.text;
  assert.equal(text, `Hello from ${LLAMA}! You said: Grüße 日本 🙂`);
  assert.equal((await response).usage.outputTokens, 8);
});

Deno.test("a failed stream is retried when no event reached the caller", async () => {
  await using app = await setup();
  app.emu.fault({ status: 503, code: 3040 });
  const { stream, response } = app.ai.generateStream({ model, prompt: "Hi" });
  for await (const _ of stream) { /* drain */ }
  assert.ok((await response).text.startsWith("Hello"));
  assert.equal(modelRequests(app.emu).length, 2);
});

Deno.test("HTTP 200 with a JSON body that is not an object, or an envelope with no result, is INTERNAL naming the model", async () => {
  await using app = await setup({ maxRetries: 0 });
  for (const body of ["null", "42", '"text"', "true", "[]", '{"result":null,"success":true}']) {
    app.emu.fault({ status: 200, body, contentType: "application/json" });
    const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
    assert.equal(e.status, "INTERNAL", body);
    assert.match(e.message, /malformed/, body);
    assert.ok(e.message.includes(LLAMA), `${body}: names the model`);
    assert.doesNotMatch(e.message, /Cannot use 'in' operator|Could not reach/);
  }
});

Deno.test("a stream cut after only empty events is retried, since nothing reached the caller", async () => {
  await using app = await setup();
  app.emu.fault({
    status: 200,
    contentType: "text/event-stream",
    body: 'data: {"response":""}\n\ndata: {"response":"","p":"abcdef"}\n\n',
  });
  const { stream, response } = app.ai.generateStream({ model, prompt: "Hi" });
  let text = "";
  for await (const c of stream) text += c.text;
  assert.equal(text, `Hello from ${LLAMA}! You said: Hi`);
  assert.equal((await response).text, text);
  assert.equal(modelRequests(app.emu).length, 2, "the empty stream was retried");
});

Deno.test("timeoutMs bounds every wait: a Retry-After longer than it is reported at once, not waited out", async () => {
  await using app = await setup({ timeoutMs: 1000, retryDelayMs: 1 });
  app.emu.fault({ status: 429, code: 3040, retryAfter: 4, times: 3 });
  const e = await failure(() => app.ai.generate({ model, prompt: "Hi" }));
  assert.equal(e.status, "RESOURCE_EXHAUSTED");
  assert.equal(modelRequests(app.emu).length, 1, "no attempt after a wait longer than timeoutMs");
  assert.deepEqual(e.responseMetadata, { retryAfterMs: 4000 });
});

Deno.test("no timer holds the process open after the last call", async () => {
  // A program that makes two calls (the second reuses the watchdog's interval)
  // with a fetch that answers in-process, then ends: nothing but a timer of
  // the plugin could keep it running. The interval of the default 60 s
  // timeout checks every second; the program must exit on its own long before
  // this test gives up on it (the 30 s below).
  const dir = await Deno.makeTempDir();
  const script = `${dir}/calls.ts`;
  await Deno.writeTextFile(
    script,
    `import { genkit } from "genkit";
import { cloudflareAI } from "${new URL("../mod.ts", import.meta.url).href}";
const ai = genkit({
  promptDir: null,
  plugins: [cloudflareAI({
    accountId: "acct",
    apiToken: "tok",
    fetch: () => Promise.resolve(Response.json({ result: { response: "ok" }, success: true })),
  })],
});
const model = "cloudflare-ai/@cf/meta/llama-3.1-8b-instruct-fast";
for (let i = 0; i < 2; i++) console.log((await ai.generate({ model, prompt: "Hi" })).text);
`,
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      `--config=${new URL("../deno.json", import.meta.url).pathname}`,
      script,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const giveUp = setTimeout(() => {
    timedOut = true;
    child.kill();
  }, 30_000);
  const out = await child.output();
  clearTimeout(giveUp);
  await Deno.remove(dir, { recursive: true });
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(timedOut, false, "the program was still running: a timer held it open");
  assert.equal(out.code, 0, stderr);
  assert.deepEqual(new TextDecoder().decode(out.stdout).trim().split("\n"), ["ok", "ok"]);
});

Deno.test("a per-request timer longer than setTimeout's limit sleeps in steps, not in 1 ms re-arms", () => {
  const delays: number[] = [];
  const original = globalThis.setTimeout;
  const timers: ReturnType<typeof setTimeout>[] = [];
  globalThis.setTimeout = ((fn: () => void, ms: number) => {
    delays.push(ms);
    const id = original(fn, ms > 2 ** 31 - 1 ? 1 : ms);
    timers.push(id);
    return id;
  }) as typeof setTimeout;
  try {
    const deadline = new Deadline(2 ** 31 + 10_000, undefined);
    deadline.arm();
    deadline.clear();
  } finally {
    globalThis.setTimeout = original;
    timers.forEach(clearTimeout);
  }
  assert.deepEqual(delays, [2 ** 31 - 1]);
});
