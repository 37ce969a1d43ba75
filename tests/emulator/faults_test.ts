// Scripted faults: error statuses, stream faults, hangs, raw bodies.
import assert from "node:assert/strict";
import { startEmulator } from "../../src/testing/mod.ts";
import { GPT_OSS, hangThenAbort, LLAMA, run, sseData } from "./_helpers.ts";

Deno.test("a 429 fault with Retry-After applies once, then answers normally", async () => {
  await using emu = await startEmulator();
  emu.fault({ status: 429, retryAfter: 7, model: LLAMA });
  let res = await run(emu, GPT_OSS, { messages: [{ role: "user", content: "a" }] });
  assert.equal(res.status, 200, "the fault is for another model");
  await res.body?.cancel();
  res = await run(emu, LLAMA, { prompt: "x" });
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "7");
  const body = await res.json();
  assert.equal(body.success, false);
  assert.equal(body.errors[0].code, 3040);
  assert.match(body.errors[0].message, /^AiError: Capacity temporarily exceeded/);
  res = await run(emu, LLAMA, { prompt: "x" });
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("stream faults: cut, in-stream error, CRLF, small chunks", async () => {
  await using emu = await startEmulator();
  emu.fault({ cutAfterEvents: 2 });
  let text = await (await run(emu, LLAMA, { prompt: "é ü", stream: true })).text();
  assert.equal(sseData(text).length, 2);
  assert.ok(!text.includes("[DONE]"));
  emu.fault({ errorAfterEvents: 1, crlf: true });
  text = await (await run(emu, LLAMA, { prompt: "x", stream: true })).text();
  assert.ok(text.includes("\r\n\r\n"));
  assert.equal(JSON.parse(sseData(text)[1]).error.code, 3040);
  emu.fault({ chunkBytes: 7 });
  const split = await (await run(emu, LLAMA, { prompt: "éééé üüü" })).json();
  assert.equal(split.result.response, `Hello from ${LLAMA}! You said: éééé üüü`);
  emu.fault({ malformed: true });
  const res = await run(emu, LLAMA, { prompt: "x" });
  await assert.rejects(res.json());
});

Deno.test("hang + client abort records aborted: true and frees the slot", async () => {
  await using emu = await startEmulator();
  await hangThenAbort(emu);
  assert.equal(emu.requests[0].aborted, true);
  assert.equal(emu.requests[0].status, undefined);
  assert.equal(emu.maxInFlight, 1);
});

Deno.test("close() ends a hung request", async () => {
  const emu = await startEmulator();
  emu.fault({ hang: true });
  const pending = run(emu, LLAMA, { prompt: "x" }).then((r) => r.text());
  while (emu.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
  await emu.close();
  await assert.rejects(pending);
});

Deno.test("a fault with a Uint8Array body answers those exact bytes with its content type", async () => {
  await using emu = await startEmulator();
  const SDXL = "@cf/stabilityai/stable-diffusion-xl-base-1.0";
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0xff, 0x80, 7]);
  emu.fault({ model: SDXL, body: png, contentType: "image/png" });
  let res = await run(emu, SDXL, { prompt: "a cat" });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/png");
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), png);
  assert.equal(emu.requests[0].status, 200);
  // In small network writes, and without a content type, the bytes are the same.
  emu.fault({ body: png, chunkBytes: 5 });
  res = await run(emu, LLAMA, { prompt: "x" });
  assert.equal(res.headers.get("content-type"), "application/octet-stream");
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), png);
});
