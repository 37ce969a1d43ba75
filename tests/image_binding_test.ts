// Image generation over a Workers AI binding: a fake one that answers as
// env.AI does, serving from the emulator.
import assert from "node:assert/strict";
import { genkit } from "genkit";
import { type AiBinding, cloudflareAI, type ImageModelId } from "../mod.ts";
import { IMAGE_MODELS } from "../src/models.ts";
import { type Emulator, startEmulator } from "../src/testing/mod.ts";
import {
  decode,
  expectedType,
  FLUX2,
  madeFrom,
  PHOENIX,
  prompt,
  SDXL,
  SOURCE,
  toBase64,
} from "./_image.ts";
import { failure } from "./_setup.ts";

/**
 * A stand-in for `env.AI` answering as the Workers binding does, from the
 * emulator: a `Response` when `returnRawResponse` is set, else a
 * `ReadableStream` of the bytes for binary models and the result object
 * (`{ image }`) for JSON ones; failures thrown as `"<Name>: <code>: <message>"`.
 */
function fakeBinding(emu: Emulator, options: { ignoreRaw?: boolean } = {}) {
  const calls: { model: string; inputs: unknown; options: Record<string, unknown> }[] = [];
  const binding: AiBinding = {
    async run(model, inputs, opts = {}) {
      calls.push({ model, inputs, options: opts });
      const multipart = (inputs as { multipart?: { body: ReadableStream; contentType: string } })
        .multipart;
      const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/run/${model}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${emu.apiToken}`,
          "content-type": multipart ? multipart.contentType : "application/json",
        },
        body: multipart ? await new Response(multipart.body).arrayBuffer() : JSON.stringify(inputs),
      });
      const type = res.headers.get("content-type") ?? "";
      if (!res.ok) {
        const [err] = (await res.json()).errors;
        throw new Error(`InferenceUpstreamError: ${err.code}: ${err.message}`);
      }
      if (opts.returnRawResponse && !options.ignoreRaw) return res;
      if (type.startsWith("image/")) return res.body;
      return (await res.json()).result;
    },
  };
  return { binding, calls };
}

Deno.test("over a binding every catalog model works: raw responses for binary answers, { image } for JSON ones, FLUX.2 as { multipart }", async () => {
  await using emu = await startEmulator();
  const { binding, calls } = fakeBinding(emu);
  const ai = genkit({ promptDir: null, plugins: [cloudflareAI({ binding })] });
  for (const spec of IMAGE_MODELS) {
    calls.length = 0;
    const res = await ai.generate({
      model: cloudflareAI.model(spec.id),
      prompt: prompt(spec, "a red fox"),
    });
    assert.equal(res.media!.contentType, expectedType(spec.id), spec.id);
    assert.match(madeFrom(decode(res.media!.url).bytes), new RegExp(`model=${spec.id} `));
    const [call] = calls;
    assert.equal(call.options.returnRawResponse, spec.answer === "binary" ? true : undefined);
    if (spec.request === "multipart") {
      const { multipart } = call.inputs as { multipart: { body: unknown; contentType: string } };
      assert.ok(multipart.body instanceof ReadableStream, spec.id);
      assert.match(multipart.contentType, /^multipart\/form-data; boundary=/);
    } else {
      const source = spec.needsImage ? { image_b64: toBase64(SOURCE) } : {};
      assert.deepEqual(call.inputs, { prompt: "a red fox", ...source }, spec.id);
    }
  }
});

Deno.test("over a binding, a binary model's ReadableStream is read as the image (typed by its magic numbers), not as SSE", async () => {
  await using emu = await startEmulator();
  const { binding } = fakeBinding(emu, { ignoreRaw: true });
  const ai = genkit({ promptDir: null, plugins: [cloudflareAI({ binding })] });
  for (const id of [SDXL, PHOENIX] as ImageModelId[]) {
    const res = await ai.generate({ model: cloudflareAI.model(id), prompt: "a red fox" });
    assert.equal(res.media!.contentType, expectedType(id), id);
    assert.match(madeFrom(decode(res.media!.url).bytes), new RegExp(`model=${id} `));
  }
});

Deno.test("over a binding, FLUX.2 through a gateway that refuses its stream is explained", async () => {
  const binding: AiBinding = {
    run: () =>
      Promise.reject(new Error("AiError: AI Gateway does not support ReadableStreams yet")),
  };
  const ai = genkit({
    promptDir: null,
    plugins: [cloudflareAI({ binding, gateway: { id: "gw" }, maxRetries: 0 })],
  });
  const e = await failure(() => ai.generate({ model: cloudflareAI.model(FLUX2), prompt: "x" }));
  assert.match(e.message, /FLUX\.2 through AI Gateway is a known Cloudflare limitation/);
});
