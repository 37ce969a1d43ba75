import assert from "node:assert/strict";

/**
 * The first command of a newcomer, `deno run examples/hello.ts` exactly as
 * written, with no permission flags and no terminal: one line saying what to
 * type, exit code 1, no stack trace.
 */

const root = new URL("../", import.meta.url);
const decoder = new TextDecoder();

/**
 * Runs `deno <args>` in the repository root with no terminal and no
 * credentials: set but empty, so that a developer's `.env` (which the
 * examples load, without overriding what is set) cannot bring real ones.
 */
async function deno(...args: string[]): Promise<{ code: number; output: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: {
      NO_COLOR: "1",
      CLOUDFLARE_ACCOUNT_ID: "",
      CLOUDFLARE_API_TOKEN: "",
      CLOUDFLARE_AI_BASE_URL: "",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, output: decoder.decode(out.stdout) + decoder.decode(out.stderr) };
}

/** The runnable examples: examples/*.ts but the shared modules (`_*.ts`). */
const examples: string[] = [];
for await (const entry of Deno.readDir(new URL("examples/", root))) {
  if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.startsWith("_")) {
    examples.push(entry.name);
  }
}
examples.sort();

Deno.test("every example imports ./_preflight.ts before anything else", async () => {
  assert.ok(examples.includes("hello.ts"));
  for (const example of examples) {
    const text = await Deno.readTextFile(new URL(`examples/${example}`, root));
    const first = text.match(/^import\s.*$/m)?.[0] ?? "";
    assert.match(first, /^import "\.\/_preflight\.ts";/, `examples/${example}: ${first}`);
  }
});

for (const example of examples) {
  Deno.test(`deno run examples/${example} without flags says in one line what to type`, async () => {
    const { code, output } = await deno("run", `examples/${example}`);
    assert.equal(code, 1, output);
    const lines = output.trimEnd().split("\n");
    assert.equal(lines.length, 1, output);
    assert.match(
      lines[0],
      new RegExp(`deno run --allow-env --allow-net --allow-read --allow-sys examples/${example}`),
    );
    assert.match(lines[0], /deno task demo/);
    assert.doesNotMatch(output, /^\s+at /m, "no stack trace");
  });
}

Deno.test("with the flags it prints, examples/hello.ts runs against the emulator", async () => {
  const { code, output } = await deno(
    "run",
    "--allow-env",
    "--allow-net",
    "--allow-read",
    "--allow-sys",
    "examples/hello.ts",
  );
  assert.equal(code, 0, output);
  assert.match(output, /using the local Workers AI emulator/);
  assert.match(output, /Hello from @cf\/meta\/llama-3\.1-8b-instruct-fast!/);
});

Deno.test("the emulator command without flags says in one line what to type", async () => {
  const { code, output } = await deno("run", "src/testing/cli.ts");
  assert.equal(code, 1, output);
  assert.deepEqual(output.trimEnd().split("\n"), [
    "cloudflare-ai-emulator needs env and net access: " +
    "deno run --allow-env --allow-net=127.0.0.1 jsr:@x/cloudflare-ai/emulator [options]",
  ]);
});

Deno.test("the emulator command: --help, and one line for a mistake", async () => {
  const help = await deno("run", "src/testing/cli.ts", "--help");
  assert.equal(help.code, 0, help.output);
  for (const flag of ["--port", "--hostname", "--account-id", "--api-token", "--json"]) {
    assert.match(help.output, new RegExp(`^  ${flag}\\b`, "m"), flag);
  }
  const bad = await deno("run", "src/testing/cli.ts", "--port", "x");
  assert.equal(bad.code, 2, bad.output);
  assert.deepEqual(bad.output.trimEnd().split("\n"), [
    "cloudflare-ai-emulator: --port needs a whole number from 0 to 65535, not x (see --help)",
  ]);
});
