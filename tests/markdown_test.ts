// Documents from files: toMarkdown on the plugin instance, over REST
// (multipart `files`) and through a fake env.AI.toMarkdown, against the emulator.
import assert from "node:assert/strict";
import { type Document, GenkitError } from "genkit";
import { type AiBinding, cloudflareAI } from "../mod.ts";
import { type Emulator, startEmulator } from "../src/testing/mod.ts";
import { failure } from "./_setup.ts";

const FILES = [
  {
    name: "guide.html",
    data: "<html><head><title>Guide</title><script>x()</script></head><body><header>menu</header>" +
      "<h1>Kettle guide</h1><p>Hold the <b>button</b> for five seconds.</p></body></html>",
  },
  { name: "prices.csv", data: new TextEncoder().encode('item,price\ntea,3\n"cake, lemon",4') },
  { name: "notes.md", data: new Blob(["# Notes\n\nDescale monthly."]), type: "text/markdown" },
  { name: "readme.txt", data: "Plain words here." },
];

function restPlugin(emu: Emulator) {
  const { url: baseUrl, accountId, apiToken } = emu;
  return cloudflareAI({ baseUrl, accountId, apiToken, retryDelayMs: 1 });
}

/**
 * A stand-in for env.AI with toMarkdown, served by the emulator: as the
 * binding does, it sends each { name, blob } and resolves to the results.
 */
function aiBinding(emu: Emulator): AiBinding & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    run: () => Promise.reject(new Error("not used")),
    async toMarkdown(
      docs: { name: string; blob: Blob }[],
      options?: { conversionOptions?: unknown },
    ) {
      calls.push({ docs, options });
      const form = new FormData();
      for (const d of docs) form.append("files", d.blob, d.name);
      if (options?.conversionOptions) {
        form.append("conversionOptions", JSON.stringify(options.conversionOptions));
      }
      const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai/tomarkdown`, {
        method: "POST",
        headers: { authorization: `Bearer ${emu.apiToken}` },
        body: form,
      });
      const body = await res.json();
      if (!body.success) throw new Error(`${body.errors[0].code}: ${body.errors[0].message}`);
      return body.result;
    },
  } as AiBinding & { calls: unknown[] };
}

const shape = (docs: Document[]) => docs.map((d) => ({ text: d.text, metadata: d.metadata }));

Deno.test("toMarkdown gives one document per file, in order, with name, type and tokens", async () => {
  await using emu = await startEmulator();
  const cf = restPlugin(emu);
  const docs = await cf.toMarkdown(FILES);
  assert.equal(docs.length, 4);
  assert.deepEqual(docs.map((d) => d.metadata?.name), FILES.map((f) => f.name));
  assert.equal(docs[0].text, "# Kettle guide\n\nHold the **button** for five seconds.");
  assert.equal(docs[1].text, "| item | price |\n| --- | --- |\n| tea | 3 |\n| cake, lemon | 4 |");
  assert.equal(docs[2].text, "# Notes\n\nDescale monthly.");
  assert.deepEqual(docs.map((d) => d.metadata?.type), [
    "text/html",
    "text/csv",
    "text/markdown",
    "text/plain",
  ]);
  for (const d of docs) {
    assert.equal(typeof d.metadata?.tokens, "number");
    assert.ok((d.metadata?.tokens as number) > 0);
    assert.equal(d.metadata?.format, "markdown");
  }
  // One multipart request, with a `files` part per file (reference §7).
  const [req] = emu.requests;
  assert.equal(req.path, `/client/v4/accounts/${emu.accountId}/ai/tomarkdown`);
  assert.equal(req.contentType, "multipart/form-data");
  assert.deepEqual(
    (req.form?.files as { name: string }[]).map((f) => f.name),
    FILES.map((f) => f.name),
  );
});

Deno.test("the binding path gives the same documents as REST, and passes the conversion options", async () => {
  await using emu = await startEmulator();
  const binding = aiBinding(emu);
  const viaBinding = cloudflareAI({ binding });
  const options = { conversionOptions: { output: { format: "text" as const } } };
  const a = await viaBinding.toMarkdown(FILES, options);
  const b = await restPlugin(emu).toMarkdown(FILES, options);
  assert.deepEqual(shape(a), shape(b));
  assert.equal(a[0].text, "Kettle guide\n\nHold the button for five seconds.");
  assert.equal(a[0].metadata?.format, "text");
  assert.deepEqual((binding.calls[0] as { options: unknown }).options, options);
  const rest = emu.requests.find((r) => r.form && !binding.calls.includes(r));
  assert.ok(rest?.form?.conversionOptions, "REST sends conversionOptions as a form field");
});

Deno.test("a file the service cannot convert is reported by name; the others are kept", async () => {
  await using emu = await startEmulator();
  const files = [
    FILES[0],
    { name: "scan.pdf", data: new Uint8Array([0x25, 0x50, 0x44, 0x46]) },
    FILES[3],
  ];
  for (const cf of [restPlugin(emu), cloudflareAI({ binding: aiBinding(emu) })]) {
    const e = await failure(() => cf.toMarkdown(files));
    assert.ok(e instanceof GenkitError);
    assert.equal(e.status, "INVALID_ARGUMENT");
    assert.match(e.message, /could not convert scan\.pdf \(Unsupported file type/);
    const detail = e.detail as {
      failed: { name: string }[];
      documents: { metadata: { name: string } }[];
    };
    assert.deepEqual(detail.failed.map((f) => f.name), ["scan.pdf"]);
    assert.deepEqual(detail.documents.map((d) => d.metadata.name), ["guide.html", "readme.txt"]);
  }
});

Deno.test("bad input is refused before any request", async () => {
  await using emu = await startEmulator();
  const cf = restPlugin(emu);
  const cases: [unknown, unknown, RegExp][] = [
    [[], undefined, /non-empty array/],
    [[{ name: "", data: "x" }], undefined, /files\[0\] needs a name/],
    [[{ name: "a.txt", data: 42 }], undefined, /data must be bytes/],
    [[{ name: "a.txt", data: "" }], undefined, /a\.txt\) is empty/],
    [[{ name: "a.txt", data: "x", type: "text" }], undefined, /media type/],
    [
      [FILES[3]],
      { conversionOptions: { html: { cssSelectr: "main" } } },
      /conversionOptions\.html: unknown option cssSelectr/,
    ],
    [
      [FILES[3]],
      { conversionOptions: { output: { format: "pdf" } } },
      /conversionOptions\.output\.format/,
    ],
    [
      [FILES[3]],
      { conversionOptions: { html: { images: { maxConvertedImages: 11 } } } },
      /maxConvertedImages/,
    ],
  ];
  for (const [files, options, pattern] of cases) {
    const e = await failure(() =>
      cf.toMarkdown(files as Parameters<typeof cf.toMarkdown>[0], options as never)
    );
    assert.equal(e.status, "INVALID_ARGUMENT", String(pattern));
    assert.match(e.message, pattern);
  }
  assert.equal(emu.requests.length, 0);
});

Deno.test("service errors name the service and keep Cloudflare's code, without the token", async () => {
  await using emu = await startEmulator();
  const { url: baseUrl, accountId } = emu;
  const cf = cloudflareAI({ baseUrl, accountId, apiToken: "wrong-token-123", maxRetries: 0 });
  const e = await failure(() => cf.toMarkdown([FILES[3]]));
  assert.equal(e.status, "UNAUTHENTICATED");
  assert.match(e.message, /Markdown conversion toMarkdown on readme\.txt failed.*10000/);
  assert.ok(!e.message.includes("wrong-token-123"));
});
