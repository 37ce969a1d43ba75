// The one prompt check every single-turn family shares (speech, transcription,
// image generation, translation, classification, detection, image-to-text,
// turn detection): what such a model cannot take is refused before any
// request, with the same message in every family.
import assert from "node:assert/strict";
import { Document, z } from "genkit";
import { FAMILIES } from "../src/families.ts";
import { failure, modelRequests, setup } from "./_setup.ts";

/** One model of every family of single-turn Genkit models, with what it says it outputs. */
const SINGLE_TURN = FAMILIES.filter((f) => f.actionType === "model").flatMap((f) => {
  const spec = f.catalog[0];
  const meta = f.metadata(spec, `cloudflare-ai/${spec.id}`).metadata as {
    model: { supports: { multiturn?: boolean; output?: string[]; constrained?: string } };
  };
  if (meta.model.supports.multiturn !== false) return [];
  const { output = [], constrained } = meta.model.supports;
  return [{ family: f.name, id: spec.id, outputs: output, takesSchema: constrained === "all" }];
});

Deno.test("every family of Genkit models but text generation is single-turn", () => {
  assert.deepEqual(
    SINGLE_TURN.map((m) => m.family),
    ["image", "transcribe", "speech", "translate", "classify", "detect", "caption", "turn", "clef"],
  );
});

/** Each refusal's message with the model id taken out, as the first family gave it. */
const MESSAGES = new Map<string, string>();

for (const { family, id, outputs, takesSchema } of SINGLE_TURN) {
  Deno.test(`${family} (${id}): docs, history, system, tools and output it cannot give are refused before any request`, async () => {
    await using app = await setup();
    const { ai, emu } = app;
    const model = `cloudflare-ai/${id}`;
    const echo = ai.defineTool(
      { name: "echo", description: "Echoes", inputSchema: z.object({ s: z.string() }) },
      (input) => Promise.resolve(input.s),
    );
    const refusals: [string, () => Promise<unknown>, RegExp][] = [
      [
        "docs",
        () => ai.generate({ model, prompt: "hello", docs: [Document.fromText("context")] }),
        /takes no documents \(docs\).*Remove docs/,
      ],
      [
        "history",
        () =>
          ai.generate({
            model,
            messages: [
              { role: "user", content: [{ text: "earlier" }] },
              { role: "model", content: [{ text: "reply" }] },
            ],
            prompt: "hello",
          }),
        /single user message \(no history, no system message\)/,
      ],
      [
        "system",
        () => ai.generate({ model, system: "Be brief.", prompt: "hello" }),
        /single user message \(no history, no system message\)/,
      ],
      [
        "tools",
        () => ai.generate({ model, prompt: "hello", tools: [echo] }),
        /takes no tools; remove them/,
      ],
      [
        "output schema",
        () =>
          ai.generate({ model, prompt: "hello", output: { schema: z.object({ a: z.string() }) } }),
        // A model that asks the output schema's fields (Clef) cannot ask a free string.
        takesSchema
          ? /cannot ask the output field "a": it is a string without enum/
          : /fixed shape and cannot follow an output schema: remove the request's output option/,
      ],
    ];
    for (const format of ["json", "text"].filter((f) => !outputs.includes(f))) {
      refusals.push([
        `format ${format}`,
        () => ai.generate({ model, prompt: "hello", output: { format: format as "json" } }),
        new RegExp(`cannot give output format "${format}".*remove the request's output option`),
      ]);
    }
    for (const [what, call, message] of refusals) {
      const e = await failure(call);
      assert.equal(e.status, "INVALID_ARGUMENT", `${what}: ${e.message}`);
      assert.ok(e.message.includes(id), `${what}: the message names the model: ${e.message}`);
      assert.match(e.message, message, what);
      // The same words in every family: only the model's id (and what it gives) differ.
      const words = e.message.replaceAll(id, "<model>").replace(/\(it gives [^)]*\)/, "(…)");
      if (takesSchema && what === "output schema") continue; // its own, naming the field
      const seen = MESSAGES.get(what) ?? words;
      MESSAGES.set(what, seen);
      assert.equal(words, seen, `${what}: the same message as the other families`);
    }
    assert.equal(modelRequests(emu).length, 0, "no request reached Workers AI");
  });
}
