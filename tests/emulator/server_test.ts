// Routing, auth, the gateway form, both server adapters, service time and what is recorded.
import assert from "node:assert/strict";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { startEmulatorOn } from "../../src/testing/emulator.ts";
import { errorOf, GPT_OSS, hangThenAbort, LLAMA, post, run, sseData } from "./_helpers.ts";

Deno.test("a missing or wrong token gets the 401 Cloudflare envelope", async () => {
  await using emu = await startEmulator();
  const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${LLAMA}`, {
    method: "POST",
    headers: { authorization: "Bearer nope" },
    body: JSON.stringify({ prompt: "hi" }),
  });
  assert.equal(res.status, 401);
  assert.deepEqual(await res.json(), {
    result: null,
    success: false,
    errors: [{ code: 10000, message: "Authentication error" }],
    messages: [],
  });
  assert.equal(emu.requests.length, 1);
  assert.equal(emu.requests[0].status, 401);
  assert.equal(emu.requests[0].route, "run");
  assert.equal(emu.requests[0].model, LLAMA);
});

Deno.test("routing and validation errors look like Workers AI", async () => {
  await using emu = await startEmulator();
  let res = await fetch(`${emu.url}/accounts/other/ai/run/${LLAMA}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.apiToken}` },
    body: "{}",
  });
  assert.equal(res.status, 404);
  assert.equal((await res.json()).errors[0].code, 7003);
  // A model Cloudflare publishes no definition for.
  res = await run(emu, "@cf/meta/llama-0-nonexistent", { prompt: "hi" });
  assert.equal(res.status, 400);
  assert.deepEqual((await res.json()).errors[0], {
    code: 5007,
    message: "AiError: No such model @cf/meta/llama-0-nonexistent or task",
  });
  for (
    const body of [
      {},
      { prompt: "hi", stop: ["x"] },
      { prompt: "hi", temperature: 6 },
      { prompt: "hi", top_k: 1.5 },
    ]
  ) {
    res = await run(emu, LLAMA, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    const json = await res.json();
    assert.equal(json.errors[0].code, 5006);
    assert.match(json.errors[0].message, /^AiError: Bad input: /);
  }
  // gpt-oss publishes top_k from 1 to 50.
  res = await run(emu, GPT_OSS, { messages: [{ role: "user", content: "hi" }], top_k: 0 });
  assert.equal(res.status, 400);
  await res.body?.cancel();
});

Deno.test("serviceTimeMs lets requests overlap; maxInFlight counts them", async () => {
  await using emu = await startEmulator({ serviceTimeMs: 50 });
  const answers = await Promise.all(
    [1, 2, 3].map((i) => run(emu, LLAMA, { prompt: `n${i}` }).then((r) => r.json())),
  );
  assert.ok(answers.every((a) => a.success));
  assert.equal(emu.maxInFlight, 3);
  assert.equal(emu.inFlight, 0);
});

Deno.test("the gateway route answers like /ai/run and records its headers", async () => {
  await using emu = await startEmulator();
  const res = await fetch(`${emu.gatewayUrl}/${emu.accountId}/my-gw/workers-ai/${LLAMA}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.apiToken}`, "cf-aig-skip-cache": "true" },
    body: JSON.stringify({ prompt: "hi" }),
  });
  assert.equal(res.headers.get("cf-aig-cache-status"), "MISS");
  assert.equal((await res.json()).result.response, `Hello from ${LLAMA}! You said: hi`);
  assert.equal(emu.requests[0].route, "gateway");
  assert.equal(emu.requests[0].headers["cf-aig-skip-cache"], "true");
});

Deno.test({
  name: "the node:http adapter serves, streams and detects aborts",
  async fn() {
    await using emu = await startEmulatorOn({}, "node");
    const ok = await run(emu, LLAMA, { prompt: "hi", stream: true });
    assert.equal(sseData(await ok.text()).at(-1), "[DONE]");
    await hangThenAbort(emu);
    assert.equal(emu.requests[1].aborted, true);
  },
});

/** Posts a raw body with a content type to `/ai/run/{model}` (plus a query string). */
function postRaw(emu: Emulator, model: string, body: BodyInit, contentType: string, query = "") {
  return fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${model}${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": contentType },
    body,
  });
}

const NOT_AN_OBJECT = {
  status: 400,
  code: 5006,
  message: "AiError: Bad input: Error: Type mismatch of '/', 'string' not in 'object'",
};

Deno.test("a raw-bytes body is recorded with its type, length and query, and refused by JSON models", async () => {
  await using emu = await startEmulator();
  const audio = new Uint8Array(1234).map((_, i) => i % 251);
  const res = await postRaw(emu, LLAMA, audio, "audio/mpeg", "?detect_language=true");
  assert.deepEqual(await errorOf(res), NOT_AN_OBJECT);
  const [rec] = emu.requests;
  assert.equal(rec.contentType, "audio/mpeg");
  assert.equal(rec.bytes, 1234);
  assert.equal(rec.body, undefined);
  assert.equal(rec.form, undefined);
  assert.equal(rec.search, "?detect_language=true");
  assert.equal(rec.status, 400);
  // Embedding and reranking models take JSON only, too.
  for (const model of ["@cf/baai/bge-base-en-v1.5", "@cf/baai/bge-reranker-base"]) {
    const refused = await postRaw(emu, model, audio, "application/octet-stream");
    assert.deepEqual(await errorOf(refused), NOT_AN_OBJECT, model);
  }
  assert.equal(emu.requests[1].contentType, "application/octet-stream");
  // The model-less /ai/v1 endpoints find no model in bytes.
  const v1 = await post(emu, "/ai/v1/chat/completions", {}, {
    headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": "audio/wav" },
    body: audio,
  });
  const e = await errorOf(v1);
  assert.equal(e.code, 5006);
  assert.match(e.message, /required properties at '\/' are 'model'/);
});

Deno.test("a multipart body is recorded field by field and refused by a text model", async () => {
  await using emu = await startEmulator();
  const form = new FormData();
  form.append("prompt", "a lighthouse at dusk");
  form.append("steps", "4");
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  form.append("input_image_0", new File([png], "ref.png", { type: "image/png" }));
  form.append("tag", "one");
  form.append("tag", "two");
  // Encoded once here, so that the length sent is known.
  const encoded = new Response(form);
  const type = encoded.headers.get("content-type")!;
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  const res = await postRaw(emu, LLAMA, bytes, type);
  assert.deepEqual(await errorOf(res), NOT_AN_OBJECT);
  const [rec] = emu.requests;
  assert.match(rec.headers["content-type"], /^multipart\/form-data; boundary=/);
  assert.equal(rec.contentType, "multipart/form-data");
  assert.equal(rec.bytes, bytes.length);
  assert.equal(rec.body, undefined);
  assert.deepEqual(rec.form, {
    prompt: "a lighthouse at dusk",
    steps: "4",
    input_image_0: { type: "image/png", size: png.length, name: "ref.png" },
    tag: ["one", "two"],
  });
  // fetch's own FormData encoding is read the same way.
  const direct = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${LLAMA}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.apiToken}` },
    body: form,
  });
  assert.deepEqual(await errorOf(direct), NOT_AN_OBJECT);
  assert.deepEqual(emu.requests[1].form, rec.form);
});

Deno.test("JSON is read whatever JSON-ish type names it, and recorded with that type", async () => {
  await using emu = await startEmulator();
  for (
    const type of [
      undefined,
      "application/json; charset=utf-8",
      "text/plain",
      "application/x-www-form-urlencoded",
    ]
  ) {
    const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${LLAMA}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${emu.apiToken}`,
        ...(type ? { "content-type": type } : {}),
      },
      body: new TextEncoder().encode(JSON.stringify({ prompt: "hi" })),
    });
    assert.equal((await res.json()).result.response, `Hello from ${LLAMA}! You said: hi`, type);
    const rec = emu.requests.at(-1)!;
    assert.equal(rec.contentType, type?.split(";")[0], type);
    assert.deepEqual(rec.body, { prompt: "hi" });
    assert.equal(rec.bytes, undefined);
  }
});
