// The client speaks bytes: JSON, raw bytes or multipart bodies with query
// options, and JSON or binary answers, over REST (against the emulator) and
// through a binding (a fake one).
import assert from "node:assert/strict";
import { WorkersAIClient } from "../src/client/client.ts";
import type { AiBinding, ClientConfig } from "../src/client/types.ts";
import { type Emulator, startEmulator } from "../src/testing/mod.ts";
import { failure, modelRequests } from "./_setup.ts";

// A 1x1 PNG.
const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);
const FLUX2 = "@cf/black-forest-labs/flux-2-dev";
const WHISPER = "@cf/openai/whisper";

function client(emu: Emulator, extra: Partial<ClientConfig> = {}): WorkersAIClient {
  return new WorkersAIClient({
    accountId: emu.accountId,
    apiToken: emu.apiToken,
    baseUrl: emu.url,
    fetch: (input, init) => fetch(input, init),
    maxRetries: 2,
    timeoutMs: 5_000,
    retryDelayMs: 1,
    ...extra,
  });
}

function form(): FormData {
  const f = new FormData();
  f.append("prompt", "a lighthouse at dusk");
  f.append("input_image_0", new File([PNG], "ref.png", { type: "image/png" }));
  return f;
}

Deno.test("REST: a multipart form is sent with its boundary, and a binary answer comes back as bytes with its type", async () => {
  await using emu = await startEmulator();
  emu.fault({ status: 200, body: PNG, contentType: "image/png" });
  const outcome = await client(emu).call(FLUX2, { body: { form: form() }, answer: "bytes" });
  assert.equal(outcome.kind, "bytes");
  assert.deepEqual(outcome.kind === "bytes" && [...outcome.bytes], [...PNG]);
  assert.equal(outcome.kind === "bytes" && outcome.contentType, "image/png");
  const [sent] = modelRequests(emu);
  assert.equal(sent.contentType, "multipart/form-data");
  assert.match(sent.headers["content-type"], /^multipart\/form-data; boundary=/);
  assert.equal(sent.form?.prompt, "a lighthouse at dusk");
  assert.deepEqual(
    { ...(sent.form?.input_image_0 as object) },
    { type: "image/png", size: PNG.length, name: "ref.png" },
  );
  assert.equal(sent.path, `/client/v4/accounts/${emu.accountId}/ai/run/${FLUX2}`);
});

Deno.test("REST: raw bytes go with their content type, options in the query string, and the answer may be JSON", async () => {
  await using emu = await startEmulator();
  emu.fault({
    status: 200,
    body: '{"result":{"text":"hello"},"success":true,"errors":[],"messages":[]}',
    contentType: "application/json",
  });
  const audio = new Uint8Array(1000).fill(7);
  const outcome = await client(emu).call(WHISPER, {
    body: { bytes: audio, contentType: "audio/mpeg" },
    query: { language: "en", keyterm: ["Ada", "Grace Hopper"], punctuate: true },
    answer: "bytes",
  });
  assert.deepEqual(outcome, { kind: "json", result: { text: "hello" } });
  const [sent] = modelRequests(emu);
  assert.equal(sent.contentType, "audio/mpeg");
  assert.equal(sent.bytes, 1000);
  assert.equal(sent.search, "?language=en&keyterm=Ada&keyterm=Grace+Hopper&punctuate=true");
});

Deno.test("REST: a byte request is retried whole, and a JSON call refuses a binary answer as malformed", async () => {
  await using emu = await startEmulator();
  emu.fault({ status: 503 });
  emu.fault({ status: 200, body: PNG, contentType: "image/png" });
  const c = client(emu);
  const outcome = await c.call(FLUX2, { body: { form: form() }, answer: "bytes" });
  assert.equal(outcome.kind, "bytes");
  const sent = modelRequests(emu);
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[0].form, sent[1].form, "the same form both times");

  emu.fault({ status: 200, body: PNG, contentType: "image/png" });
  const e = await failure(() => c.run(FLUX2, { prompt: "x" }));
  assert.equal(e.status, "INTERNAL");
  assert.match(e.message, /not valid JSON/);
});

Deno.test("REST: query options cannot smuggle a path or a second query", async () => {
  await using emu = await startEmulator();
  emu.fault({ status: 200, body: "{}", contentType: "application/json" });
  await client(emu).call(WHISPER, {
    body: { bytes: new Uint8Array(4), contentType: "audio/wav" },
    query: { "a&b": "c=d#e", "../x": "?y" },
  });
  const [sent] = modelRequests(emu);
  assert.equal(sent.path, `/client/v4/accounts/${emu.accountId}/ai/run/${WHISPER}`);
  assert.equal(sent.search, "?a%26b=c%3Dd%23e&..%2Fx=%3Fy");
});

/** A binding that records what it was given and answers with `answer`. */
function recordingBinding(answer: () => unknown) {
  const calls: { model: string; inputs: unknown; options: Record<string, unknown> }[] = [];
  const binding: AiBinding = {
    run(model, inputs, options = {}) {
      calls.push({ model, inputs, options });
      return Promise.resolve(answer());
    },
  };
  return { binding, calls };
}

function bindingClient(binding: AiBinding): WorkersAIClient {
  return new WorkersAIClient({
    baseUrl: "https://unused.example/client/v4",
    fetch: () => Promise.reject(new Error("REST must not be used with a binding")),
    maxRetries: 1,
    timeoutMs: 5_000,
    retryDelayMs: 1,
    binding,
  });
}

Deno.test("binding: a form goes as { multipart: { body, contentType } }, and a raw response is read as bytes with its type", async () => {
  const { binding, calls } = recordingBinding(() =>
    new Response(PNG, { headers: { "content-type": "image/png" } })
  );
  const outcome = await bindingClient(binding).call(FLUX2, {
    body: { form: form() },
    answer: "bytes",
  });
  assert.equal(outcome.kind === "bytes" && outcome.contentType, "image/png");
  assert.deepEqual(outcome.kind === "bytes" && [...outcome.bytes], [...PNG]);
  const [call] = calls;
  assert.equal(call.options.returnRawResponse, true);
  const multipart = (call.inputs as { multipart: { body: ReadableStream; contentType: string } })
    .multipart;
  assert.match(multipart.contentType, /^multipart\/form-data; boundary=/);
  const text = await new Response(multipart.body).text();
  assert.match(text, /name="prompt"\r\n\r\na lighthouse at dusk/);
  assert.match(text, /name="input_image_0"; filename="ref.png"/);
});

Deno.test("binding: a byte stream for a binary model is its file, not SSE; raw-bytes requests take the family's inputs", async () => {
  const stream = () =>
    new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(PNG.subarray(0, 10));
        c.enqueue(PNG.subarray(10));
        c.close();
      },
    });
  const { binding, calls } = recordingBinding(stream);
  const c = bindingClient(binding);
  const image = await c.call(FLUX2, { body: { json: { prompt: "x" } }, answer: "bytes" });
  assert.deepEqual(image, { kind: "bytes", bytes: PNG });

  const inputs = { audio: { body: "…", contentType: "audio/mpeg" }, language: "en" };
  await c.call(WHISPER, {
    body: { bytes: new Uint8Array(3), contentType: "audio/mpeg" },
    bindingInputs: inputs,
    answer: "bytes",
  });
  assert.equal(calls[1].inputs, inputs);

  const missing = await failure(() =>
    c.call(WHISPER, { body: { bytes: new Uint8Array(3), contentType: "audio/mpeg" } })
  );
  assert.equal(missing.status, "INTERNAL");
  assert.equal(calls.length, 2, "refused before the binding was called");
});
