// What a Genkit text request becomes on the wire, and what is refused before
// anything is sent: part kinds per role, text boundaries, inline thinking in
// every answer shape, and validation before remote images are downloaded
// (config: text_config_test.ts).
import assert from "node:assert/strict";
import type { MessageData } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";
const LLAMA33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
const QWEN3 = "@cf/qwen/qwen3-30b-a3b-fp8";
const SCOUT = "@cf/meta/llama-4-scout-17b-16e-instruct";
// Vision through content parts: Mistral Small 3.1's published input takes image_url parts.
const MISTRAL = "@cf/mistralai/mistral-small-3.1-24b-instruct";
// Images, tools and tool_choice, all published.
const KIMI = "@cf/moonshotai/kimi-k2.6";
const VISION_ONE = "@cf/meta/llama-3.2-11b-vision-instruct";

// A 1x1 PNG (70 bytes).
const PNG_B64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const PNG_URL = `data:image/png;base64,${PNG_B64}`;
const PNG_BYTES = Uint8Array.from(atob(PNG_B64), (c) => c.charCodeAt(0));

type WireMessage = { role: string; content: unknown };
const bodyOf = (app: { emu: Parameters<typeof modelRequests>[0] }, i = 0) =>
  modelRequests(app.emu)[i].body as Record<string, unknown> & { messages: WireMessage[] };

/** Asserts that `fn` fails with INVALID_ARGUMENT matching every pattern. */
async function refused(fn: () => Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  const e = await failure(fn);
  assert.equal(e.status, "INVALID_ARGUMENT", e.message);
  for (const p of patterns) assert.match(e.message, p);
}

// --- Parts per role ---------------------------------------------------------

Deno.test("a user message of data, custom or reasoning parts is refused, naming the part kind and the message", async () => {
  await using app = await setup();
  const cases: [MessageData["content"][number], RegExp][] = [
    [{ data: { a: 1 } }, /data part in messages\[0\] \(user\).*as text/],
    [{ custom: { x: 1 } }, /custom part in messages\[0\] \(user\)/],
    [{ reasoning: "hmm" }, /reasoning part in messages\[0\] \(user\)/],
  ];
  for (const [part, pattern] of cases) {
    await refused(
      () =>
        app.ai.generate({
          model: cloudflareAI.model(LLAMA),
          messages: [{ role: "user", content: [part] }],
        }),
      pattern,
    );
    // Beside text, too: the part is never dropped silently.
    await refused(
      () =>
        app.ai.generate({
          model: cloudflareAI.model(LLAMA),
          messages: [{ role: "user", content: [{ text: "Look:" }, part] }],
        }),
      pattern,
    );
  }
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("tool requests only in model messages, tool responses only in tool messages", async () => {
  await using app = await setup();
  const request = { toolRequest: { name: "f", ref: "abc123def", input: {} } };
  const response = { toolResponse: { name: "f", ref: "abc123def", output: 1 } };
  await refused(
    () =>
      app.ai.generate({
        model: cloudflareAI.model(LLAMA33),
        messages: [{ role: "user", content: [{ text: "Hi" }, request] }],
      }),
    /toolRequest part in messages\[0\] \(user\)/,
  );
  await refused(
    () =>
      app.ai.generate({
        model: cloudflareAI.model(LLAMA33),
        messages: [
          { role: "user", content: [{ text: "Hi" }] },
          { role: "model", content: [{ text: "Ok" }, response] },
        ],
      }),
    /toolResponse part in messages\[1\] \(model\)/,
  );
  await refused(
    () =>
      app.ai.generate({
        model: cloudflareAI.model(LLAMA33),
        messages: [
          { role: "user", content: [{ text: "Hi" }] },
          { role: "model", content: [request] },
          { role: "tool", content: [response, { text: "and more" }] },
        ],
      }),
    /text part in messages\[2\] \(tool\).*only toolResponse/,
  );
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("reasoning in model history is not sent back, and a model message left with nothing is refused", async () => {
  await using app = await setup();
  await app.ai.generate({
    model: cloudflareAI.model(LLAMA),
    messages: [
      { role: "user", content: [{ text: "Hi" }] },
      { role: "model", content: [{ reasoning: "They greet me." }, { text: "Hello!" }] },
      { role: "user", content: [{ text: "Bye" }] },
    ],
  });
  assert.deepEqual(bodyOf(app).messages[1], { role: "assistant", content: "Hello!" });
  await refused(
    () =>
      app.ai.generate({
        model: cloudflareAI.model(LLAMA),
        messages: [
          { role: "user", content: [{ text: "Hi" }] },
          { role: "model", content: [{ reasoning: "Only thoughts." }] },
          { role: "user", content: [{ text: "Bye" }] },
        ],
      }),
    /messages\[1\] \(model\) has no content/,
  );
  assert.equal(modelRequests(app.emu).length, 1);
});

Deno.test("a JSON answer kept in the history (text beside its data part) is sent back as its text", async () => {
  await using app = await setup();
  const first = await app.ai.generate({
    model: cloudflareAI.model(SCOUT),
    prompt: "Pick a number",
    output: { jsonSchema: { type: "number" } },
  });
  assert.ok(first.message!.content.some((p) => p.data !== undefined));
  await app.ai.generate({
    model: cloudflareAI.model(SCOUT),
    messages: first.messages,
    prompt: "Another one",
  });
  const sent = bodyOf(app, 1).messages[1];
  assert.equal(sent.role, "assistant");
  assert.equal(sent.content, first.text);
});

// --- Text boundaries --------------------------------------------------------

Deno.test("separate text parts are joined with a blank line in string content, in every role", async () => {
  await using app = await setup();
  await app.ai.generate({
    model: cloudflareAI.model(LLAMA),
    system: [{ text: "Be brief." }, { text: "Be kind." }],
    messages: [
      { role: "user", content: [{ text: "Hello" }] },
      { role: "model", content: [{ text: "Hi." }, { text: "How can I help?" }] },
    ],
    prompt: [{ text: "First sentence." }, { text: "Second sentence." }],
  });
  assert.deepEqual(bodyOf(app).messages, [
    { role: "system", content: "Be brief.\n\nBe kind." },
    { role: "user", content: "Hello" },
    { role: "assistant", content: "Hi.\n\nHow can I help?" },
    { role: "user", content: "First sentence.\n\nSecond sentence." },
  ]);
});

Deno.test("Genkit's output instructions stay apart from the user's last word", async () => {
  await using app = await setup();
  // llama-3.1-8b-fast's published input has no JSON field: Genkit instructs instead.
  await app.ai.generate({
    model: cloudflareAI.model(LLAMA),
    prompt: "Describe a Lumberjack",
    output: { jsonSchema: { type: "object", properties: { name: { type: "string" } } } },
  }).catch(() => {/* the echo is not JSON; only the request matters here */});
  const content = bodyOf(app).messages.at(-1)!.content as string;
  assert.match(content, /^Describe a Lumberjack\n\nOutput should be in JSON format/);
});

Deno.test("each text part is its own content part beside images, in the caller's order", async () => {
  await using app = await setup();
  await app.ai.generate({
    model: cloudflareAI.model(MISTRAL),
    prompt: [
      { text: "First sentence." },
      { media: { url: PNG_URL } },
      { text: "Second sentence." },
    ],
  });
  assert.deepEqual(bodyOf(app).messages[0].content, [
    { type: "text", text: "First sentence." },
    { type: "image_url", image_url: { url: PNG_URL } },
    { type: "text", text: "Second sentence." },
  ]);
  // A model taking one image field gets the text as one string.
  await app.ai.generate({
    model: cloudflareAI.model(VISION_ONE),
    prompt: [{ text: "First sentence." }, { media: { url: PNG_URL } }, { text: "Second." }],
  });
  assert.equal(bodyOf(app, 1).messages[0].content, "First sentence.\n\nSecond.");
});

// --- Inline thinking --------------------------------------------------------

Deno.test("qwen3-30b's <think> in a chat.completion becomes reasoning, not answer text (streamed too)", async () => {
  await using app = await setup();
  const res = await app.ai.generate({ model: cloudflareAI.model(QWEN3), prompt: "Why?" });
  assert.equal(res.text, `Hello from ${QWEN3}! You said: Why?`);
  assert.equal(res.reasoning.trim(), "Thinking about: Why?");
  const { stream, response } = app.ai.generateStream({
    model: cloudflareAI.model(QWEN3),
    prompt: "Why?",
  });
  let text = "";
  let reasoning = "";
  for await (const c of stream) {
    text += c.text;
    reasoning += c.reasoning;
  }
  assert.equal(text, `Hello from ${QWEN3}! You said: Why?`);
  assert.equal(reasoning.trim(), "Thinking about: Why?");
  assert.equal((await response).text, text);
  assert.doesNotMatch(JSON.stringify((await response).message), /<\/?think>/);
});

// --- Validation before downloads --------------------------------------------

/** A plugin `fetch` that answers https://images.example/… itself and counts those calls. */
function imageHost() {
  const host = {
    calls: 0,
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.toLowerCase().startsWith("https://images.example/")) {
        return globalThis.fetch(input, init);
      }
      host.calls++;
      return Promise.resolve(
        new Response(PNG_BYTES, { headers: { "content-type": "image/png" } }),
      );
    }) as typeof fetch,
  };
  return host;
}

Deno.test("a request the model cannot take is refused before any remote image is downloaded", async () => {
  const host = imageHost();
  await using app = await setup({ fetch: host.fetch });
  const remote = (n: number) => ({ media: { url: `https://images.example/${n}.png` } });
  await refused(
    () =>
      app.ai.generate({
        model: cloudflareAI.model(VISION_ONE),
        prompt: [{ text: "Compare" }, remote(1), remote(2)],
      }),
    /single image/,
  );
  await refused(
    () => app.ai.generate({ model: cloudflareAI.model(LLAMA), prompt: [{ text: "?" }, remote(1)] }),
    /does not take images/,
  );
  await refused(
    () =>
      app.ai.generate({
        model: cloudflareAI.model(KIMI),
        prompt: [{ text: "?" }, remote(1), {
          media: { url: "data:application/pdf;base64,JVBERi0=" },
        }],
      }),
    /application\/pdf/,
  );
  await refused(
    () =>
      app.ai.generate({
        model: cloudflareAI.model(KIMI),
        prompt: [{ text: "?" }, remote(1)],
        toolChoice: "required",
      }),
    /needs at least one tool/,
  );
  await refused(
    () =>
      app.ai.generate({
        model: cloudflareAI.model(KIMI),
        prompt: [{ text: "?" }, remote(1)],
        config: { max_tokens: 5 },
      }),
    /maxOutputTokens/,
  );
  assert.equal(host.calls, 0);
  assert.equal(modelRequests(app.emu).length, 0);
  // A request it can take is downloaded (any case of the scheme) and sent inline.
  const res = await app.ai.generate({
    model: cloudflareAI.model(VISION_ONE),
    prompt: [{ text: "Describe it" }, { media: { url: "HTTPS://images.example/cat.png" } }],
  });
  assert.match(res.text, /saw 1 image\(s\): image\/png 70 bytes/);
  assert.equal(host.calls, 1);
  assert.equal(bodyOf(app).image, PNG_URL);
});
