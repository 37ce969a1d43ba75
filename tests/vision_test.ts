import assert from "node:assert/strict";
import { cloudflareAI } from "../mod.ts";
import { inlineRemoteMedia } from "../src/downloads/inline.ts";
import { DEFAULT_DOWNLOAD_CAPS } from "../src/downloads/policy.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

// A 1x1 PNG (70 bytes).
const PNG_B64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const PNG_URL = `data:image/png;base64,${PNG_B64}`;
const PNG_BYTES = Uint8Array.from(atob(PNG_B64), (c) => c.charCodeAt(0));

/** A loopback server for remote images; answers /image.png, /page.html and /big.png. */
function imageServer() {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/image.png") {
      return new Response(PNG_BYTES, { headers: { "content-type": "image/png" } });
    }
    if (path === "/big.png") {
      return new Response(new Uint8Array(4096), { headers: { "content-type": "image/png" } });
    }
    return new Response("<html></html>", { headers: { "content-type": "text/html" } });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

// Models whose published definitions flag vision and take image_url content parts.
const CONTENT_PARTS = [
  "@cf/google/gemma-4-26b-a4b-it",
  "@cf/zai-org/glm-5.3-flash",
  "@cf/qwen/qwen3.8-27b",
  "@cf/moonshotai/kimi-k2.6",
];

Deno.test("images go to content-parts models as OpenAI image_url parts with data: URLs", async () => {
  await using app = await setup();
  for (const id of CONTENT_PARTS) {
    app.emu.reset();
    const res = await app.ai.generate({
      model: cloudflareAI.model(id),
      prompt: [{ text: "What is this?" }, { media: { url: PNG_URL, contentType: "image/png" } }],
    });
    assert.match(res.text, /\[saw 1 image\(s\): image\/png 70 bytes\]/, id);
    const body = modelRequests(app.emu)[0].body as { messages: { content: unknown }[] };
    assert.deepEqual(body.messages[0].content, [
      { type: "text", text: "What is this?" },
      { type: "image_url", image_url: { url: PNG_URL } },
    ]);
  }
});

Deno.test("llama-3.2-vision takes its image in the top-level image field", async () => {
  await using app = await setup();
  const res = await app.ai.generate({
    model: cloudflareAI.model("@cf/meta/llama-3.2-11b-vision-instruct"),
    prompt: [{ text: "Describe it" }, { media: { url: PNG_URL } }],
  });
  assert.match(res.text, /saw 1 image\(s\): image\/png 70 bytes/);
  const body = modelRequests(app.emu)[0].body as { image: string; messages: unknown[] };
  assert.equal(body.image, PNG_URL);
  assert.deepEqual(body.messages, [{ role: "user", content: "Describe it" }]);
});

Deno.test("http(s) images are downloaded and inlined, since Workers AI takes only data: URLs", async () => {
  await using images = imageServer();
  // The image server is on loopback, which is refused unless allowed.
  await using app = await setup({ mediaDownloads: { allowPrivateHosts: true } });
  const res = await app.ai.generate({
    model: cloudflareAI.model("@cf/mistralai/mistral-small-3.1-24b-instruct"),
    prompt: [{ text: "And this?" }, { media: { url: `${images.url}/image.png` } }],
  });
  assert.match(res.text, /saw 1 image\(s\): image\/png 70 bytes/);
  const body = modelRequests(app.emu)[0].body as {
    messages: { content: { image_url?: { url: string } }[] }[];
  };
  assert.equal(body.messages[0].content[1].image_url?.url, PNG_URL);
});

Deno.test("a download that is not an image, or too large, is refused before any request", async () => {
  await using images = imageServer();
  await using app = await setup({ mediaDownloads: { allowPrivateHosts: true } });
  const e = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model(CONTENT_PARTS[0]),
      prompt: [{ text: "?" }, { media: { url: `${images.url}/page.html` } }],
    })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /not an image/);
  const big = await failure(() =>
    inlineRemoteMedia(
      "m",
      [{ role: "user", content: [{ media: { url: `${images.url}/big.png` } }] }],
      "image",
      {
        ...DEFAULT_DOWNLOAD_CAPS,
        fetch: (input, init) => fetch(input, init),
        timeoutMs: 15_000,
        maxBytes: 1024,
        allowPrivateHosts: true,
      },
    )
  );
  assert.equal(big.status, "INVALID_ARGUMENT");
  assert.match(big.message, /over the limit of 1024 bytes a file/);
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("an image for a model without vision, or a media type the model cannot take, is refused before any request", async () => {
  await using app = await setup();
  const noVision = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model("@cf/meta/llama-3.1-8b-instruct-fast"),
      prompt: [{ text: "?" }, { media: { url: PNG_URL } }],
    })
  );
  assert.equal(noVision.status, "INVALID_ARGUMENT");
  assert.match(noVision.message, /does not take images/);
  const pdf = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model(CONTENT_PARTS[0]),
      prompt: [{ text: "?" }, { media: { url: "data:application/pdf;base64,JVBERi0=" } }],
    })
  );
  assert.match(pdf.message, /cannot take media of type application\/pdf/);
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("the Llama 3.2 license error explains the one-time agreement", async () => {
  await using app = await setup({}, { requireLicenseAgreement: true });
  const e = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model("@cf/meta/llama-3.2-11b-vision-instruct"),
      prompt: [{ text: "Describe it" }, { media: { url: PNG_URL } }],
    })
  );
  assert.equal(e.status, "PERMISSION_DENIED");
  assert.match(e.message, /5016/);
  assert.match(e.message, /\{"prompt":"agree"\}/);
});
