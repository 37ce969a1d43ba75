import assert from "node:assert/strict";

/**
 * Bundles the module (genkit and eventsource-parser left as imports, as the
 * npm build does) and runs a smoke script with Node: generate, stream, embed
 * and a timeout, against the emulator's node:http server.
 */
Deno.test({
  name: "the module runs on Node: generate, stream, embed and timeout against the emulator",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const root = new URL("../", import.meta.url);
  const out = new URL(".node-test/", root).pathname; // inside the repo, so Node finds node_modules
  await Deno.mkdir(out, { recursive: true });
  const external = ["--external", "npm:*", "--external", "genkit", "--external", "genkit/*"];
  for (const [entry, file] of [["mod.ts", "mod.mjs"], ["src/testing/mod.ts", "testing.mjs"]]) {
    const bundle = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        ...external,
        "--external",
        "eventsource-parser",
        "--format",
        "esm",
        "-o",
        `${out}${file}`,
        new URL(entry, root).pathname,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(bundle.code, 0, new TextDecoder().decode(bundle.stderr));
  }
  await Deno.copyFile(new URL("./fixtures/node_smoke.mjs", import.meta.url), `${out}smoke.mjs`);
  const run = await new Deno.Command("node", {
    args: [`${out}smoke.mjs`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(run.stdout);
  assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
  const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
  assert.deepEqual(result, {
    text: "Hello from @cf/meta/llama-3.1-8b-instruct-fast! You said: Hi",
    stream: "Hello from @cf/meta/llama-3.1-8b-instruct-fast! You said: Stream",
    embedding: 768,
    timeout: "DEADLINE_EXCEEDED",
  });
});
