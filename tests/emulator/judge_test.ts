// The emulator judges every /ai/run request by the model's published input schema: values at
// the published bounds are accepted, one step past them refused with Workers AI's 5006 envelope
// naming the field. Every expected value is read from Cloudflare's published JSON files.
import assert from "node:assert/strict";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { run, user } from "./_helpers.ts";

type Schema = Record<string, unknown>;

const PUBLISHED = new URL("../../src/definitions/published/", import.meta.url);

/** The input schema of a published definition file. */
async function inputOf(file: string): Promise<Schema> {
  const definition = JSON.parse(await Deno.readTextFile(new URL(`${file}.json`, PUBLISHED)));
  return definition.schema.input;
}

/** A schema and its `oneOf` / `anyOf` branches, deep. */
function levels(s: unknown): Schema[] {
  if (typeof s !== "object" || s === null || Array.isArray(s)) return [];
  const o = s as Schema;
  const branches = [
    ...(Array.isArray(o.oneOf) ? o.oneOf : []),
    ...(Array.isArray(o.anyOf) ? o.anyOf : []),
  ];
  return [o, ...branches.flatMap(levels)];
}

/** A top-level property's schema, in the first branch that also has `beside` (if given). */
function property(input: Schema, key: string, beside?: string): Schema {
  for (const s of levels(input)) {
    const props = s.properties as Record<string, Schema> | undefined;
    if (props?.[key] && (beside === undefined || props[beside])) return props[key];
  }
  throw new Error(`no published property ${key}`);
}

/** The published numeric range of a property (over its branches). */
function range(p: Schema): { min: number; max: number; integer: boolean } {
  const r = levels(p).find((s) => typeof s.minimum === "number" && typeof s.maximum === "number");
  if (!r) throw new Error("no published range");
  return { min: r.minimum as number, max: r.maximum as number, integer: r.type === "integer" };
}

/** The status and parsed body of a request. */
async function send(emu: Emulator, model: string, body: unknown) {
  const res = await run(emu, model, body);
  const type = res.headers.get("content-type") ?? "";
  if (!type.includes("json")) {
    await res.body?.cancel();
    return { status: res.status, body: undefined };
  }
  return { status: res.status, body: await res.json() };
}

/** Asserts the request is accepted. */
async function accepted(emu: Emulator, model: string, body: unknown) {
  const { status, body: answer } = await send(emu, model, body);
  assert.equal(status, 200, `${model} ${JSON.stringify(body).slice(0, 200)}`);
  if (answer !== undefined) assert.equal(answer.success, true);
}

/** Asserts Workers AI's 5006 envelope and returns its message. */
async function refused(emu: Emulator, model: string, body: unknown): Promise<string> {
  const { status, body: answer } = await send(emu, model, body);
  assert.equal(status, 400, `${model} ${JSON.stringify(body).slice(0, 200)}`);
  assert.equal(answer.success, false);
  assert.equal(answer.errors.length, 1);
  assert.equal(answer.errors[0].code, 5006);
  assert.match(answer.errors[0].message, /^AiError: Bad input: Error: /);
  return answer.errors[0].message;
}

/** Checks a ranged parameter at both bounds and one step past each. */
async function bounds(
  emu: Emulator,
  model: string,
  base: Record<string, unknown>,
  key: string,
  p: Schema,
) {
  const { min, max } = range(p);
  await accepted(emu, model, { ...base, [key]: min });
  await accepted(emu, model, { ...base, [key]: max });
  const over = await refused(emu, model, { ...base, [key]: max + 1 });
  assert.ok(over.includes(`Value ${max + 1} at '/${key}' is greater than maximum ${max}`), over);
  const under = await refused(emu, model, { ...base, [key]: min - 1 });
  assert.ok(under.includes(`Value ${min - 1} at '/${key}' is less than minimum ${min}`), under);
}

Deno.test("text, native: published ranges and integer types of the chat input", async () => {
  await using emu = await startEmulator();
  const model = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
  const input = await inputOf("llama-3.3-70b-instruct-fp8-fast");
  const chat = { messages: [user("hi")] };
  await bounds(emu, model, chat, "temperature", property(input, "temperature", "messages"));
  const topK = property(input, "top_k", "messages");
  assert.equal(range(topK).integer, true);
  await bounds(emu, model, chat, "top_k", topK);
  const fraction = await refused(emu, model, { ...chat, top_k: range(topK).min + 0.5 });
  assert.match(fraction, /Type mismatch of '\/top_k', 'number' not in 'integer'/);
  // The same parameters on the prompt input.
  await bounds(
    emu,
    model,
    { prompt: "hi" },
    "temperature",
    property(input, "temperature", "prompt"),
  );
});

Deno.test("text, OpenAI-style: a nullable ranged parameter of glm-5.3-flash", async () => {
  await using emu = await startEmulator();
  const model = "@cf/zai-org/glm-5.3-flash";
  const input = await inputOf("glm-5.3-flash");
  const p = property(input, "frequency_penalty", "messages");
  await bounds(emu, model, { messages: [user("hi")] }, "frequency_penalty", p);
  // Its published type admits null.
  assert.ok(levels(p).some((s) => s.type === "null"));
  await accepted(emu, model, { messages: [user("hi")], frequency_penalty: null });
});

Deno.test("embeddings: the published batch size and pooling values", async () => {
  await using emu = await startEmulator();
  const model = "@cf/baai/bge-small-en-v1.5";
  const input = await inputOf("bge-small-en-v1.5");
  const text = property(input, "text");
  const max = levels(text).find((s) => typeof s.maxItems === "number")!.maxItems as number;
  await accepted(emu, model, { text: Array.from({ length: max }, (_, i) => `t${i}`) });
  const over = await refused(emu, model, { text: Array.from({ length: max + 1 }, () => "t") });
  assert.ok(over.includes(`Array at '/text' has ${max + 1} items, more than maxItems ${max}`));
  const pooling = property(input, "pooling");
  const values = pooling.enum as string[];
  for (const value of values) await accepted(emu, model, { text: "x", pooling: value });
  const bad = await refused(emu, model, { text: "x", pooling: "max" });
  assert.ok(
    bad.includes(
      `Value at '/pooling' is not one of the enum values ${values.map((v) => `'${v}'`).join(", ")}`,
    ),
    bad,
  );
  const empty = await refused(emu, model, { text: "" });
  assert.match(empty, /String at '\/text' is shorter than minLength 1/);
});

Deno.test("images: published steps, size and prompt length", async () => {
  await using emu = await startEmulator();
  const schnell = "@cf/black-forest-labs/flux-1-schnell";
  const schnellInput = await inputOf("flux-1-schnell");
  const steps = property(schnellInput, "steps").maximum as number;
  await accepted(emu, schnell, { prompt: "a cat", steps });
  const over = await refused(emu, schnell, { prompt: "a cat", steps: steps + 1 });
  assert.ok(over.includes(`Value ${steps + 1} at '/steps' is greater than maximum ${steps}`));
  const length = property(schnellInput, "prompt").maxLength as number;
  await accepted(emu, schnell, { prompt: "a".repeat(length) });
  const long = await refused(emu, schnell, { prompt: "a".repeat(length + 1) });
  assert.ok(long.includes(`String at '/prompt' is longer than maxLength ${length}`));
  const sdxl = "@cf/stabilityai/stable-diffusion-xl-base-1.0";
  const sdxlInput = await inputOf("stable-diffusion-xl-base-1.0");
  await bounds(emu, sdxl, { prompt: "a cat" }, "width", property(sdxlInput, "width"));
});

Deno.test("speech: published voices and a minimum prompt length", async () => {
  await using emu = await startEmulator();
  const aura = "@cf/deepgram/aura-2-en";
  const speakers = property(await inputOf("aura-2-en"), "speaker").enum as string[];
  await accepted(emu, aura, { text: "hello", speaker: speakers[0] });
  await accepted(emu, aura, { text: "hello", speaker: speakers.at(-1) });
  const bad = await refused(emu, aura, { text: "hello", speaker: "nobody" });
  assert.match(bad, /Value at '\/speaker' is not one of the enum values /);
  const melo = "@cf/myshell-ai/melotts";
  const min = property(await inputOf("melotts"), "prompt").minLength as number;
  await accepted(emu, melo, { prompt: "a".repeat(min) });
  const short = await refused(emu, melo, { prompt: "a".repeat(min - 1) });
  assert.ok(short.includes(`String at '/prompt' is shorter than minLength ${min}`));
});

Deno.test("unknown top-level fields are refused, naming them, as the service answers them", async () => {
  await using emu = await startEmulator();
  const schnellInput = await inputOf("flux-1-schnell");
  // Not in flux-1-schnell's published properties (Cloudflare answers them with this 5006).
  const props = schnellInput.properties as Schema;
  assert.equal(props.width, undefined);
  assert.equal(props.height, undefined);
  const message = await refused(emu, "@cf/black-forest-labs/flux-1-schnell", {
    prompt: "a cat",
    width: 512,
    height: 512,
  });
  assert.equal(
    message,
    "AiError: Bad input: Error: Additional or unevaluated properties '/width, /height' at '/' " +
      "not allowed",
  );
  // A chat body: the messages input has no `nope`, the prompt input needs `prompt`.
  const chat = await refused(emu, "@cf/meta/llama-3.3-70b-instruct-fp8-fast", {
    messages: [user("hi")],
    nope: 1,
  });
  assert.match(chat, /^AiError: Bad input: Error: oneOf at '\/' not met, 0 matches: /);
  assert.match(chat, /Additional or unevaluated properties '\/nope' at '\/' not allowed/);
  assert.match(chat, /required properties at '\/' are 'prompt'/);
});

Deno.test("a model without a published definition is no such model; judge 'off' lets bodies through", async () => {
  await using emu = await startEmulator();
  const res = await run(emu, "@cf/nobody/no-such-model", { prompt: "hi" });
  assert.equal(res.status, 400);
  assert.deepEqual((await res.json()).errors, [{
    code: 5007,
    message: "AiError: No such model @cf/nobody/no-such-model or task",
  }]);
  const steps = property(await inputOf("flux-1-schnell"), "steps").maximum as number;
  await using lax = await startEmulator({ judge: "off" });
  await accepted(lax, "@cf/black-forest-labs/flux-1-schnell", { prompt: "x", steps: steps + 1 });
});
