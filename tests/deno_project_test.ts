import assert from "node:assert/strict";

/**
 * A Deno project of its own, outside this repository, that imports the
 * module by file path (standing in for `jsr:`, which cannot be reached from
 * the tests), set up the way the README says: `deno add` of the module's own
 * npm imports, then its deno.json maps the module. The README's emulator test
 * then type-checks and passes there with the flags the README gives.
 */

const root = new URL("../", import.meta.url);
const decoder = new TextDecoder();
const readme = await Deno.readTextFile(new URL("README.md", root));

/** The first ```ts block after `heading` in the README. */
function readmeCode(heading: string): string {
  const at = readme.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `README.md has "${heading}"`);
  const block = readme.slice(at).match(/```ts\n([\s\S]*?)```/);
  assert.ok(block, `a ts block follows "${heading}"`);
  return block[1];
}

/** The one `deno add ...` command the README gives for an import by path. */
function readmeDenoAdd(): string[] {
  const line = readme.split("\n").find((l) =>
    /^deno add npm:genkit\S* npm:eventsource-parser/.test(l)
  );
  assert.ok(line, "README.md says which `deno add` an import by path needs");
  return line.replace(/#.*/, "").trim().split(/\s+/).slice(1);
}

async function deno(cwd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1", CLOUDFLARE_ACCOUNT_ID: "", CLOUDFLARE_API_TOKEN: "" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = decoder.decode(out.stdout) + decoder.decode(out.stderr);
  assert.equal(out.code, 0, `deno ${args.join(" ")}:\n${text}`);
  return text;
}

Deno.test("a Deno project outside the repository uses the module as the README says", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cloudflare-ai-deno-app-" });
  try {
    await Deno.writeTextFile(
      `${dir}/deno.json`,
      JSON.stringify({
        imports: {
          "@x/cloudflare-ai": new URL("mod.ts", root).href,
          "@x/cloudflare-ai/testing": new URL("src/testing/mod.ts", root).href,
        },
      }),
    );
    await deno(dir, readmeDenoAdd());
    await Deno.writeTextFile(
      `${dir}/app_test.ts`,
      readmeCode("## Testing your app with the emulator"),
    );
    await deno(dir, ["check", "app_test.ts"]);
    const test = readme.match(/^deno test (--allow-\S+ )+\S+_test\.ts/m);
    assert.ok(test, "README.md gives the deno test command for an app's tests");
    const flags = test[0].split(" ").filter((a) => a.startsWith("--allow-"));
    const out = await deno(dir, ["test", ...flags, "app_test.ts"]);
    assert.match(out, /ok \| 1 passed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
