import assert from "node:assert/strict";
import { join } from "node:path";
import { BIN_NAME, buildNpm, NPM, ROOT, run, TOOLS_DIR, toolScript } from "../scripts/npm.ts";

/**
 * The npm package as a Node user gets it. `deno task npm` builds npm/ (its
 * pinned tools in npm-build/ are installed with `npm ci` on the first run);
 * publint and arethetypeswrong (ESM-only profile) find nothing; then a scratch
 * project outside the repository installs the packed tarball next to genkit
 * from the registry (npm's cache makes later runs quick), and Node 20+ runs
 * every family of the examples against the emulator, the `bin` starts the
 * emulator and the README's Node app reaches it through the variables it
 * printed, and `tsc --strict` type-checks a consumer under both module
 * resolutions.
 */

const fixtures = new URL("./fixtures/npm/", import.meta.url);
const NPX = Deno.build.os === "windows" ? "npx.cmd" : "npx";
const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";
const decoder = new TextDecoder();

/** The version deno.lock resolves an npm package to, so Node runs the Genkit the Deno tests run. */
async function lockedVersion(name: string): Promise<string> {
  const lock = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.lock")));
  for (const [specifier, version] of Object.entries(lock.specifiers as Record<string, string>)) {
    if (specifier.startsWith(`npm:${name}@`)) return version.split("_")[0];
  }
  throw new Error(`deno.lock has no npm:${name}`);
}

/** Node's environment for the scratch project: no credentials of the developer's own. */
function nodeEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...Deno.env.toObject(), NO_COLOR: "1", ...extra };
  for (const name of ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_AI_BASE_URL"]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/** Runs `node script` in `cwd`; returns its stdout. */
async function nodeOutput(
  cwd: string,
  script: string,
  env?: Record<string, string>,
): Promise<string> {
  const out = await new Deno.Command("node", {
    args: [script],
    cwd,
    env: nodeEnv(env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = decoder.decode(out.stdout);
  assert.equal(out.code, 0, `node ${script} failed:\n${stdout}${decoder.decode(out.stderr)}`);
  return stdout;
}

/** Runs `node script` in `cwd`; returns the JSON of its last line. */
async function node(cwd: string, script: string, env?: Record<string, string>): Promise<unknown> {
  return JSON.parse((await nodeOutput(cwd, script, env)).trim().split("\n").at(-1)!);
}

/** The README's Node app: the first ```js block after its "### Node 20+" heading. */
async function readmeNodeApp(): Promise<string> {
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  const at = readme.indexOf("\n### Node 20+\n");
  assert.ok(at >= 0, 'README.md has a "### Node 20+" section');
  const block = readme.slice(at).match(/```js\n([\s\S]*?)```/);
  assert.ok(block, "with a js block: the Node app");
  return block[1];
}

/** Reads lines from `reader` until `done(lines)` holds or the stream ends. */
async function readLines(
  reader: ReadableStreamDefaultReader<string>,
  done: (lines: string[]) => boolean,
): Promise<string[]> {
  let text = "";
  while (!done(text.split("\n").slice(0, -1))) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += value;
  }
  return text.split("\n").slice(0, -1);
}

/**
 * Type-checks `consumer.ts` with `tsc --noEmit --strict` under `resolution`.
 * With skipLibCheck off, so the package's own declarations are checked too;
 * errors in genkit's dependencies' declarations (there are some) are not ours.
 */
async function typeCheck(project: string, resolution: "nodenext" | "bundler"): Promise<void> {
  const config = `tsconfig.${resolution}.json`;
  await Deno.writeTextFile(
    join(project, config),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: "es2022",
        module: resolution === "nodenext" ? "nodenext" : "esnext",
        moduleResolution: resolution,
        types: ["node"],
        skipLibCheck: false,
      },
      files: ["consumer.ts"],
    }),
  );
  const out = await new Deno.Command("node", {
    args: [toolScript("typescript", "bin/tsc"), "-p", config, "--pretty", "false"],
    cwd: project,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = decoder.decode(out.stdout) + decoder.decode(out.stderr);
  const ours = text.split("\n").filter((line) =>
    /^\S.*error TS\d+/.test(line) &&
    !(line.startsWith("node_modules/") && !line.startsWith("node_modules/@x/cloudflare-ai/"))
  );
  assert.deepEqual(ours, [], `tsc (${resolution}):\n${text}`);
  assert.ok(out.code === 0 || text.includes("error TS"), `tsc (${resolution}) failed:\n${text}`);
}

Deno.test({
  name: "the npm package installs next to genkit and runs, with its types, on Node",
  // The scratch project's installs and Node processes are awaited or ended below.
  sanitizeResources: false,
  sanitizeOps: false,
}, async (t) => {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const tools = JSON.parse(await Deno.readTextFile(join(TOOLS_DIR, "package.json")));
  const tmp = await Deno.makeTempDir({ prefix: "cloudflare-ai-npm-test-" });
  try {
    // What `deno task npm` builds into npm/, here in a folder no other run shares.
    const pkg = join(tmp, "npm");
    const { manifest } = await buildNpm(pkg);
    // The tarball `npm publish ./npm` would upload.
    const [packed] = JSON.parse(
      await run(NPM, ["pack", pkg, "--pack-destination", tmp, "--json", "--loglevel=error"]),
    ) as [{ filename: string; files: { path: string }[] }];
    const project = join(tmp, "app");
    await Deno.mkdir(project);
    await Deno.writeTextFile(
      join(project, "package.json"),
      JSON.stringify({ name: "app", private: true, type: "module" }),
    );
    for (const name of ["smoke.mjs", "consumer.ts"]) {
      await Deno.copyFile(new URL(name, fixtures), join(project, name));
    }
    await Deno.writeTextFile(join(project, "app.mjs"), await readmeNodeApp());
    const install = run(NPM, [
      "install",
      join(tmp, packed.filename),
      `genkit@${await lockedVersion("genkit")}`,
      `@types/node@${tools.devDependencies["@types/node"]}`,
      "--prefer-offline",
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
    ], { cwd: project });
    install.catch(() => {}); // awaited below; a failing step before must not leave it unhandled

    await t.step("package.json: exports (types first), peer genkit, bin, files", () => {
      const range = (name: string) => config.imports[name].replace(/^npm:(@[^/]+\/)?[^@]+@/, "");
      assert.equal(manifest.name, "@x/cloudflare-ai");
      assert.equal(manifest.version, config.version);
      assert.equal(manifest.type, "module");
      assert.equal(manifest.license, "Apache-2.0");
      assert.deepEqual(manifest.engines, { node: ">=20" });
      assert.deepEqual(manifest.peerDependencies, { genkit: range("genkit") });
      // The emulator (./testing) judges requests with @cfworker/json-schema.
      assert.deepEqual(manifest.dependencies, {
        "@cfworker/json-schema": range("@cfworker/json-schema"),
        "eventsource-parser": range("eventsource-parser"),
      });
      const exports = manifest.exports as Record<string, Record<string, string>>;
      for (const key of [".", "./models", "./testing", "./emulator"]) {
        assert.deepEqual(Object.keys(exports[key]), ["types", "default"], key);
      }
      assert.deepEqual(manifest.bin, { [BIN_NAME]: `bin/${BIN_NAME}.js` });
      const files = packed.files.map((f) => f.path);
      for (const file of ["README.md", "LICENSE", "package.json", `bin/${BIN_NAME}.js`]) {
        assert.ok(files.includes(file), `the tarball has ${file}`);
      }
      const js = files.filter((f) => f.endsWith(".js") && !f.startsWith("bin/"));
      assert.deepEqual(js.filter((f) => !files.includes(f.replace(/\.js$/, ".d.ts"))), []);
      assert.deepEqual(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")), []);
    });

    await t.step("publint and arethetypeswrong (ESM-only) report nothing", async () => {
      const publint = await run("node", [toolScript("publint", "src/cli.js"), pkg]);
      assert.match(publint, /All good!/, publint);
      // Exits non-zero on any problem outside the profile's ignored resolutions.
      await run("node", [
        toolScript("@arethetypeswrong/cli", "dist/index.js"),
        "--pack",
        pkg,
        "--profile",
        "esm-only",
      ]);
    });

    await install;

    await t.step("Node runs every example family against the emulator", async () => {
      const out = await node(project, "smoke.mjs");
      assert.deepEqual(out, {
        text: `Hello from ${LLAMA}! You said: Hi`,
        stream: `Hello from ${LLAMA}! You said: Stream`,
        streamedInChunks: true,
        structured: { title: "title-value", minutes: 1 },
        toolCalls: ["getWeather"],
        vision: "Hello from @cf/meta/llama-4-scout-17b-16e-instruct! You said: Colour? " +
          "[saw 1 image(s): image/png 70 bytes]",
        embedding: 768,
        rerank: ["Ada Lovelace wrote the first program."],
        image: "image/jpeg",
        speech: "audio/mpeg",
        transcript: "Your order has shipped.",
        translation: "(en→fr) Where is the train station?",
        sentiment: "POSITIVE",
        objects: ["bottle", "bottle", "chair"],
        badInput: { status: "INVALID_ARGUMENT", httpStatus: 400, codes: [5006] },
        timeout: "DEADLINE_EXCEEDED",
      });
    });

    await t.step("the same modules as on Deno: every export is there", async () => {
      const keys = async (specifier: string) =>
        Object.keys(await import(new URL(specifier, import.meta.url).href)).sort();
      await Deno.writeTextFile(
        join(project, "exports.mjs"),
        [
          'console.log(JSON.stringify({ main: Object.keys(await import("@x/cloudflare-ai")).sort(),',
          '  testing: Object.keys(await import("@x/cloudflare-ai/testing")).sort(),',
          '  emulator: Object.keys(await import("@x/cloudflare-ai/emulator")).sort() }));',
          "process.exit(0);",
        ].join("\n"),
      );
      assert.deepEqual(await node(project, "exports.mjs"), {
        main: await keys("../mod.ts"),
        testing: await keys("../src/testing/mod.ts"),
        emulator: await keys("../src/testing/cli.ts"),
      });
    });

    await t.step(
      `${BIN_NAME}: --help by npx; the README's app reaches it by its exports`,
      async () => {
        const help = await run(NPX, ["--no", "--", BIN_NAME, "--help"], { cwd: project });
        assert.match(help, /--port <n>/);
        assert.match(help, /CLOUDFLARE_AI_BASE_URL/);

        const bin = join(project, "node_modules", ".bin", BIN_NAME);
        const child = new Deno.Command(Deno.build.os === "windows" ? `${bin}.cmd` : bin, {
          args: ["--port", "0"],
          cwd: project,
          env: nodeEnv(),
          clearEnv: true,
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const stderr = new Response(child.stderr).text();
        const stdout = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
        const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
        try {
          const lines = await readLines(
            stdout,
            (lines) => lines.some((l) => l.startsWith("export CLOUDFLARE_AI_BASE_URL=")),
          );
          assert.match(lines[0] ?? "", /^# Workers AI emulator on http:\/\/127\.0\.0\.1:\d+ /);
          const env = Object.fromEntries(
            lines.filter((l) => l.startsWith("export ")).map((l) => {
              const [name, ...value] = l.slice("export ".length).split("=");
              return [name, value.join("=")];
            }),
          );
          assert.deepEqual(Object.keys(env), [
            "CLOUDFLARE_ACCOUNT_ID",
            "CLOUDFLARE_API_TOKEN",
            "CLOUDFLARE_AI_BASE_URL",
          ]);
          assert.match(env.CLOUDFLARE_AI_BASE_URL, /^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
          // cloudflareAI() with no options, as in the README: the variables point it here.
          assert.equal(
            (await nodeOutput(project, "app.mjs", env)).trim(),
            `Hello from ${LLAMA}! You said: Say hi to Ada!`,
          );
        } finally {
          child.kill("SIGTERM");
          clearTimeout(guard);
          await stdout.cancel().catch(() => {});
        }
        const status = await child.status;
        assert.equal(status.code, 0, `the emulator stops cleanly on SIGTERM: ${await stderr}`);
        assert.equal(await stderr, "");
      },
    );

    await t.step("tsc --noEmit --strict type-checks a consumer (nodenext, bundler)", async () => {
      await Promise.all([typeCheck(project, "nodenext"), typeCheck(project, "bundler")]);
    });
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
