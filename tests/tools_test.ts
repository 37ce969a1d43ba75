import assert from "node:assert/strict";
import { z } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { type App, failure, modelRequests, setup } from "./_setup.ts";

const LLAMA33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
const SCOUT = "@cf/meta/llama-4-scout-17b-16e-instruct";
const MISTRAL = "@cf/mistralai/mistral-small-3.1-24b-instruct";
const GLM = "@cf/zai-org/glm-4.7-flash";
const GPT_OSS = "@cf/openai/gpt-oss-120b";
const GEMMA4 = "@cf/google/gemma-4-26b-a4b-it";
// Its published definition flags function calling (the catalog once refused its tools).
const QWEN38 = "@cf/qwen/qwen3.8-27b";

type Msg = {
  role: string;
  content: unknown;
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
  name?: string;
};

function tools(app: App) {
  const getWeather = app.ai.defineTool(
    {
      name: "getWeather",
      description: "The current weather in a city",
      // No descriptions on the fields: the plugin must fill what Workers AI requires.
      inputSchema: z.object({ city: z.string(), unit: z.enum(["C", "F"]).optional() }),
      outputSchema: z.object({ city: z.string(), temperature: z.number() }),
    },
    ({ city }) => Promise.resolve({ city, temperature: 21 }),
  );
  const getTime = app.ai.defineTool(
    {
      name: "getTime",
      description: "The local time in a city",
      inputSchema: z.object({ city: z.string().describe("City name") }),
      outputSchema: z.string(),
    },
    ({ city }) => Promise.resolve(`12:00 in ${city}`),
  );
  return { getWeather, getTime };
}

Deno.test("each tool-call shape is parsed into toolRequest parts", async () => {
  await using app = await setup();
  const { getWeather } = tools(app);
  for (const id of [LLAMA33, SCOUT, GLM]) {
    const res = await app.ai.generate({
      model: cloudflareAI.model(id),
      prompt: "Weather please: city=Paris",
      tools: [getWeather],
      returnToolRequests: true,
    });
    assert.equal(res.toolRequests.length, 1, id);
    const call = res.toolRequests[0].toolRequest;
    assert.equal(call.name, "getWeather", id);
    assert.deepEqual(call.input, { city: "Paris", unit: "C" }, id);
    assert.ok(call.ref && call.ref.length > 0, `${id}: a ref`);
  }
  // Flat native calls carry no id: the plugin makes one every model accepts back.
  const flat = await app.ai.generate({
    model: cloudflareAI.model(LLAMA33),
    prompt: "city=Rome",
    tools: [getWeather],
    returnToolRequests: true,
  });
  assert.match(flat.toolRequests[0].toolRequest.ref!, /^[a-zA-Z0-9]{9}$/);
});

Deno.test("tool definitions keep their descriptions and get the ones Workers AI requires", async () => {
  await using app = await setup();
  const { getWeather, getTime } = tools(app);
  await app.ai.generate({
    model: cloudflareAI.model(LLAMA33),
    prompt: "city=Paris",
    tools: [getWeather, getTime],
    returnToolRequests: true,
  });
  const sent = (modelRequests(app.emu)[0].body as { tools: Record<string, unknown>[] }).tools;
  const fn = sent[0].function as Record<string, unknown>;
  assert.equal(fn.description, "The current weather in a city");
  const params = fn.parameters as {
    type: string;
    properties: Record<string, Record<string, unknown>>;
  };
  assert.equal(params.type, "object");
  assert.equal(params.properties.city.type, "string");
  assert.equal(typeof params.properties.city.description, "string");
  assert.equal(
    ((sent[1].function as Record<string, unknown>).parameters as typeof params).properties.city
      .description,
    "City name",
  );
});

Deno.test("the full tool loop round-trips ids, names and results (native and OpenAI formats)", async () => {
  for (const id of [LLAMA33, MISTRAL, QWEN38, SCOUT]) {
    await using app = await setup();
    const { getWeather } = tools(app);
    const res = await app.ai.generate({
      model: cloudflareAI.model(id),
      prompt: "What is the weather? city=Oslo",
      tools: [getWeather],
    });
    assert.equal(res.text, 'Tool results: getWeather={"city":"Oslo","temperature":21}', id);
    const [first, second] = modelRequests(app.emu);
    assert.ok(first && second, `${id}: two requests`);
    const messages = (second.body as { messages: Msg[] }).messages;
    const assistant = messages.at(-2)!;
    const tool = messages.at(-1)!;
    assert.equal(assistant.role, "assistant");
    assert.equal(assistant.tool_calls?.length, 1);
    const call = assistant.tool_calls![0];
    assert.equal(call.type, "function");
    assert.equal(call.function.name, "getWeather");
    assert.deepEqual(JSON.parse(call.function.arguments), { city: "Oslo", unit: "C" });
    assert.equal(tool.role, "tool");
    assert.equal(tool.tool_call_id, call.id, `${id}: the result carries the call's id`);
    assert.equal(tool.name, "getWeather");
    assert.equal(tool.content, '{"city":"Oslo","temperature":21}');
  }
});

Deno.test("several tool calls in one turn all run and all go back", async () => {
  await using app = await setup();
  const { getWeather, getTime } = tools(app);
  const res = await app.ai.generate({
    model: cloudflareAI.model(LLAMA33),
    prompt: "Use getTime and getWeather for city=Lima",
    tools: [getWeather, getTime],
  });
  assert.equal(
    res.text,
    'Tool results: getTime=12:00 in Lima; getWeather={"city":"Lima","temperature":21}',
  );
  const messages = (modelRequests(app.emu)[1].body as { messages: Msg[] }).messages;
  const calls = messages.at(-3)!.tool_calls!;
  assert.deepEqual(calls.map((c) => c.function.name), ["getTime", "getWeather"]);
  assert.deepEqual(messages.slice(-2).map((m) => m.tool_call_id), calls.map((c) => c.id));
});

Deno.test("streamed tool calls arrive as partial chunks, then complete (both stream grammars)", async () => {
  for (const id of [LLAMA33, GLM]) {
    await using app = await setup();
    const { getWeather } = tools(app);
    const { stream, response } = app.ai.generateStream({
      model: cloudflareAI.model(id),
      prompt: "city=Kyoto",
      tools: [getWeather],
    });
    let partials = 0;
    let text = "";
    for await (const chunk of stream) {
      for (const p of chunk.content) {
        if (p.toolRequest?.partial) partials++;
      }
      text += chunk.text;
    }
    assert.ok(partials >= 2, `${id}: partial tool requests streamed (${partials})`);
    const res = await response;
    assert.equal(res.text, 'Tool results: getWeather={"city":"Kyoto","temperature":21}', id);
    const messages = (modelRequests(app.emu)[1].body as { messages: Msg[] }).messages;
    assert.deepEqual(JSON.parse(messages.at(-2)!.tool_calls![0].function.arguments), {
      city: "Kyoto",
      unit: "C",
    });
    assert.ok(text.includes("Tool results"), id);
  }
});

Deno.test("toolChoice maps to tool_choice where the published input has it: required forces the one tool by name", async () => {
  await using app = await setup();
  const { getWeather, getTime } = tools(app);
  await app.ai.generate({
    model: cloudflareAI.model(GLM),
    prompt: "city=Paris",
    tools: [getWeather],
    toolChoice: "required",
    returnToolRequests: true,
  });
  const none = await app.ai.generate({
    model: cloudflareAI.model(GLM),
    prompt: "city=Paris",
    tools: [getWeather],
    toolChoice: "none",
  });
  assert.ok(none.text.startsWith("Hello from"));
  await app.ai.generate({
    model: cloudflareAI.model(GLM),
    prompt: "city=Paris",
    tools: [getWeather, getTime],
    toolChoice: "required",
    returnToolRequests: true,
  });
  const bodies = modelRequests(app.emu).map((r) =>
    (r.body as { tool_choice: unknown }).tool_choice
  );
  assert.deepEqual(bodies, [
    { type: "function", function: { name: "getWeather" } },
    "none",
    "required",
  ]);
});

Deno.test("a native model without tool_choice: auto is its own behaviour, none offers no tools, required is refused", async () => {
  await using app = await setup();
  const { getWeather } = tools(app);
  await app.ai.generate({
    model: cloudflareAI.model(LLAMA33),
    prompt: "city=Paris",
    tools: [getWeather],
    toolChoice: "auto",
    returnToolRequests: true,
  });
  const none = await app.ai.generate({
    model: cloudflareAI.model(LLAMA33),
    prompt: "city=Paris",
    tools: [getWeather],
    toolChoice: "none",
  });
  assert.ok(none.text.startsWith("Hello from"));
  const [auto, off] = modelRequests(app.emu).map((r) => r.body as Record<string, unknown>);
  assert.ok(!("tool_choice" in auto) && Array.isArray(auto.tools));
  assert.ok(!("tool_choice" in off) && !("tools" in off));
  const e = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model(LLAMA33),
      prompt: "city=Paris",
      tools: [getWeather],
      toolChoice: "required",
    })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /toolChoice "required" .*no tool_choice field/);
  assert.equal(modelRequests(app.emu).length, 2);
});

Deno.test("toolChoice required is refused where the model cannot honour it", async () => {
  await using app = await setup();
  const { getWeather, getTime } = tools(app);
  const e = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model(GEMMA4),
      prompt: "Hi",
      tools: [getWeather, getTime],
      toolChoice: "required",
    })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /cannot be enforced/);
  assert.equal(modelRequests(app.emu).length, 0);
});

Deno.test("gpt-oss's call written as JSON text is recovered as a tool call", async () => {
  await using app = await setup();
  const { getWeather } = tools(app);
  // gpt-oss (harmony) sometimes answers a call as JSON text with no tool_calls
  // (cloudflare/ai#560): that answer once, then the emulator's own.
  const content = JSON.stringify({ name: "getWeather", arguments: { city: "Cairo" } });
  const answer = {
    success: true,
    result: { choices: [{ message: { role: "assistant", content }, finish_reason: "stop" }] },
  };
  app.emu.fault({ model: GPT_OSS, body: JSON.stringify(answer), contentType: "application/json" });
  const res = await app.ai.generate({
    model: cloudflareAI.model(GPT_OSS),
    prompt: "city=Cairo",
    tools: [getWeather],
  });
  assert.equal(res.text, 'Tool results: getWeather={"city":"Cairo","temperature":21}');
});

Deno.test("tools for a model without tool calling are refused before any request", async () => {
  await using app = await setup();
  const { getWeather } = tools(app);
  const e = await failure(() =>
    app.ai.generate({
      model: cloudflareAI.model("@cf/meta/llama-3.2-1b-instruct"),
      prompt: "Hi",
      tools: [getWeather],
    })
  );
  assert.equal(e.status, "INVALID_ARGUMENT");
  assert.match(e.message, /does not support tool calling/);
  assert.equal(modelRequests(app.emu).length, 0);
});
