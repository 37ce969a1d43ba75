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
    { id: "gw", skipCache: true, cacheTtl: 60, cacheKey: undefined, metadata: undefined },
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
