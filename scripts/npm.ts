/**
 * Builds the npm package in `npm/` from the sources JSR publishes (`deno task npm`,
 * then `npm publish ./npm`):
 *
 * - `tsc` (pinned in npm-build/package.json, installed there with `npm ci` on first
 *   use) compiles every module reachable from deno.json's `exports` to ESM
 *   JavaScript and `.d.ts` declarations, with `rewriteRelativeImportExtensions`:
 *   one output file per source file, no bundler. The declarations' relative
 *   imports get the same `.ts` → `.js` rewrite as the JavaScript (tsc keeps
 *   `.ts` there, which only TypeScript 5 and later resolve).
 * - `package.json` takes its name, version, license and `exports` from deno.json;
 *   `genkit` is a peer dependency (the app's copy, so `instanceof GenkitError`
 *   and genkit's zod are shared), every other package the output imports is a
 *   dependency with the range of deno.json's import map.
 * - `bin/cloudflare-ai-emulator.js` runs the emulator command (the `./emulator`
 *   export) on Node.
 *
 * @module
 */

import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT: string = fileURLToPath(new URL("../", import.meta.url));
/** Where the package is built. */
export const NPM_DIR: string = join(ROOT, "npm");
/** The build-only tooling folder (package.json, lockfile, tsconfig.json). */
export const TOOLS_DIR: string = join(ROOT, "npm-build");
/** The name of the emulator's command. */
export const BIN_NAME = "cloudflare-ai-emulator";

/**
 * Files of the repository the package carries as they are: the license and the documentation,
 * whose relative links may point only at these (tests/docs_test.ts checks both lists).
 */
export const COPIED_FILES: readonly string[] = [
  "README.md",
  "CONTRIBUTING.md",
  "BENCHMARKS.md",
  "LICENSE",
  // Every page of docs/, so that a new page cannot be left out of the package.
  ...[...Deno.readDirSync(join(ROOT, "docs"))]
    .filter((e) => e.isFile && e.name.endsWith(".md"))
    .map((e) => `docs/${e.name}`)
    .sort(),
];

/** Packages the app brings itself: one copy shared by the app and the plugin. */
const PEERS = new Set(["genkit"]);

const DESCRIPTION =
  "Cloudflare Workers AI for Genkit: text generation (streaming, tools, images in), " +
  "embeddings and reranking over the REST API, AI Gateway or the env.AI binding, " +
  "with a local Workers AI emulator for tests.";
const KEYWORDS = ["genkit", "genkit-plugin", "cloudflare", "workers-ai", "ai", "llm"];

const decoder = new TextDecoder();

interface DenoConfig {
  name: string;
  version: string;
  license: string;
  exports: Record<string, string>;
  imports: Record<string, string>;
}

/** A node of TypeScript's syntax tree, as far as this script reads it. */
interface TsNode {
  kind: number;
  getStart(): number;
  getEnd(): number;
  text?: string;
  moduleSpecifier?: TsNode;
  argument?: TsNode & { literal?: TsNode };
  expression?: TsNode;
  arguments?: TsNode[];
  name?: TsNode;
}

/** The parts of the TypeScript API this script uses. */
interface TypeScriptApi {
  version: string;
  ScriptTarget: { Latest: number };
  SyntaxKind: Record<
    | "ImportDeclaration"
    | "ExportDeclaration"
    | "ImportType"
    | "LiteralType"
    | "CallExpression"
    | "ImportKeyword"
    | "ModuleDeclaration"
    | "StringLiteral",
    number
  >;
  createSourceFile(
    fileName: string,
    text: string,
    target: number,
    setParentNodes: boolean,
  ): TsNode & { referencedFiles: { fileName: string; pos: number; end: number }[] };
  forEachChild(node: TsNode, visit: (child: TsNode) => void): void;
}

/** A module specifier in a file: its text and where that text is (without the quotes). */
interface Specifier {
  text: string;
  start: number;
  end: number;
}

/** What a build produced. */
export interface NpmBuild {
  /** The package.json written to `npm/`. */
  manifest: Record<string, unknown>;
  /** Every file written, relative to `npm/`, with `/` separators, sorted. */
  files: string[];
}

/** Runs a command; throws with its output when it fails. */
export async function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd: options.cwd ?? ROOT,
    env: options.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = decoder.decode(out.stdout) + decoder.decode(out.stderr);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${out.code}):\n${text}`);
  }
  return text;
}

/** `npm` (`npm.cmd` on Windows). */
export const NPM: string = Deno.build.os === "windows" ? "npm.cmd" : "npm";

/**
 * Installs the pinned tools of npm-build/ with `npm ci`, unless every one is
 * installed already at its pinned version (then it costs nothing).
 */
export async function installTools(): Promise<void> {
  const manifest = JSON.parse(await Deno.readTextFile(join(TOOLS_DIR, "package.json")));
  const pinned = Object.entries(manifest.devDependencies as Record<string, string>);
  const installed = await Promise.all(pinned.map(async ([name, version]) => {
    try {
      const pkg = await Deno.readTextFile(join(TOOLS_DIR, "node_modules", name, "package.json"));
      return JSON.parse(pkg).version === version;
    } catch {
      return false;
    }
  }));
  if (installed.every(Boolean)) return;
  console.log(`npm-build: npm ci (${pinned.map(([n, v]) => `${n}@${v}`).join(", ")})`);
  await run(NPM, ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: TOOLS_DIR,
  });
}

/** The path of a pinned tool's entry script, to run with `node`. */
export function toolScript(pkg: string, path: string): string {
  return join(TOOLS_DIR, "node_modules", pkg, path);
}

let typescript: TypeScriptApi | undefined;
function ts(): TypeScriptApi {
  return typescript ??= createRequire(import.meta.url)(
    toolScript("typescript", "lib/typescript.js"),
  ) as TypeScriptApi;
}

async function readConfig(): Promise<DenoConfig> {
  return JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
}

/** `./src/a.ts` → `./src/a` (the stem that `.js` and `.d.ts` files share). */
function stem(path: string): string {
  if (!path.startsWith("./") || !path.endsWith(".ts")) {
    throw new Error(`deno.json export ${path} is not a relative .ts file`);
  }
  return path.slice(0, -".ts".length);
}

/** Every file under `dir`, relative to it, with `/` separators. */
async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(...await listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/**
 * Every module specifier of a JavaScript or declaration file, read from its
 * syntax tree: imports, exports, `import()` calls and types, `declare module`
 * names and `/// <reference path>`.
 */
function specifiers(fileName: string, text: string): Specifier[] {
  const api = ts();
  const kind = api.SyntaxKind;
  const file = api.createSourceFile(fileName, text, api.ScriptTarget.Latest, true);
  const out: Specifier[] = file.referencedFiles.map(({ fileName, pos, end }) => ({
    text: fileName,
    start: pos,
    end,
  }));
  const literal = (node: TsNode | undefined) => {
    if (node?.kind === kind.StringLiteral && node.text !== undefined) {
      out.push({ text: node.text, start: node.getStart() + 1, end: node.getEnd() - 1 });
    }
  };
  const visit = (node: TsNode) => {
    if (node.kind === kind.ImportDeclaration || node.kind === kind.ExportDeclaration) {
      literal(node.moduleSpecifier);
    } else if (node.kind === kind.ImportType && node.argument?.kind === kind.LiteralType) {
      literal(node.argument.literal);
    } else if (node.kind === kind.CallExpression && node.expression?.kind === kind.ImportKeyword) {
      literal(node.arguments?.[0]);
    } else if (node.kind === kind.ModuleDeclaration) {
      literal(node.name);
    }
    api.forEachChild(node, visit);
  };
  visit(file);
  return out.sort((a, b) => a.start - b.start);
}

/** `./a.ts` → `./a.js`: relative specifiers only, declaration files (`.d.ts`) excepted. */
function isRelativeTs(specifier: string): boolean {
  return /^\.\.?\//.test(specifier) && specifier.endsWith(".ts") && !specifier.endsWith(".d.ts");
}

/** Replaces the `.ts` ending of each relative specifier in `text` with `.js`. */
function rewriteSpecifiers(text: string, found: Specifier[]): string {
  let out = "";
  let at = 0;
  for (const { text: specifier, start, end } of found) {
    if (!isRelativeTs(specifier)) continue;
    out += text.slice(at, start) + specifier.replace(/\.ts$/, ".js");
    at = end;
  }
  return out + text.slice(at);
}

/** The package a bare specifier names (`genkit/plugin` → `genkit`), or undefined for others. */
function packageOf(specifier: string): string | undefined {
  if (/^(\.|\/|node:|[a-z]+:\/\/)/.test(specifier)) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The npm version range of a deno.json import (`npm:genkit@^1.42` → `^1.42`). */
function rangeOf(config: DenoConfig, pkg: string): string {
  const target = config.imports[pkg];
  const match = target?.match(/^npm:\/?(@?[^@/]+(?:\/[^@/]+)?)@([^/]+)\/?$/);
  if (!match || match[1] !== pkg) {
    throw new Error(`the npm output imports ${pkg}, which deno.json's imports do not map to npm:`);
  }
  return match[2];
}

/**
 * Builds the package into `outDir` (`npm/` by default; the tests build into a
 * folder of their own, so that a concurrent build never shares one).
 */
export async function buildNpm(outDir: string = NPM_DIR): Promise<NpmBuild> {
  const config = await readConfig();
  await installTools();
  await Deno.remove(outDir, { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });

  // 1. Compile: the tsconfig of npm-build/ plus the entry points and folders.
  const tmp = await Deno.makeTempDir({ prefix: "cloudflare-ai-npm-" });
  try {
    const tsconfig = join(tmp, "tsconfig.json");
    await Deno.writeTextFile(
      tsconfig,
      JSON.stringify({
        extends: join(TOOLS_DIR, "tsconfig.json"),
        files: Object.values(config.exports).map((path) => join(ROOT, path)),
        compilerOptions: { rootDir: ROOT, outDir },
      }),
    );
    await run("node", [toolScript("typescript", "bin/tsc"), "-p", tsconfig, "--pretty", "false"]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }

  // 2. Declarations import `.js` like the JavaScript; collect what the JavaScript imports.
  const imported = new Set<string>();
  for (const file of await listFiles(outDir)) {
    const path = join(outDir, file);
    const text = await Deno.readTextFile(path);
    const found = specifiers(file, text);
    if (file.endsWith(".d.ts")) {
      await Deno.writeTextFile(path, rewriteSpecifiers(text, found));
    } else if (file.endsWith(".js")) {
      for (const { text: specifier } of found) {
        if (isRelativeTs(specifier)) throw new Error(`${file} still imports ${specifier}`);
        const pkg = packageOf(specifier);
        if (pkg) imported.add(pkg);
      }
    }
  }

  // 3. The emulator command for Node.
  const cli = config.exports["./emulator"];
  if (!cli) throw new Error('deno.json has no "./emulator" export (the emulator command)');
  const bin = `bin/${BIN_NAME}.js`;
  await Deno.mkdir(join(outDir, "bin"), { recursive: true });
  await Deno.writeTextFile(
    join(outDir, bin),
    [
      "#!/usr/bin/env node",
      `// The Workers AI emulator command: \`${BIN_NAME} --help\`.`,
      'import process from "node:process";',
      `import { main } from "../${stem(cli).slice(2)}.js";`,
      "process.exitCode = await main(process.argv.slice(2));",
      "",
    ].join("\n"),
  );
  if (Deno.build.os !== "windows") await Deno.chmod(join(outDir, bin), 0o755);

  // 4. package.json, the documentation and LICENSE.
  const files = [...await listFiles(outDir), ...COPIED_FILES].map((f) => f.split("/")[0]);
  const exports: Record<string, unknown> = {};
  for (const [key, path] of Object.entries(config.exports)) {
    exports[key] = { types: `${stem(path)}.d.ts`, default: `${stem(path)}.js` };
  }
  exports["./package.json"] = "./package.json";
  const dependencies: Record<string, string> = {};
  const peerDependencies: Record<string, string> = {};
  for (const pkg of [...imported].sort()) {
    (PEERS.has(pkg) ? peerDependencies : dependencies)[pkg] = rangeOf(config, pkg);
  }
  const manifest = {
    name: config.name,
    version: config.version,
    description: DESCRIPTION,
    keywords: KEYWORDS,
    license: config.license,
    type: "module",
    exports,
    bin: { [BIN_NAME]: bin },
    files: [...new Set(files)].sort(),
    engines: { node: ">=20" },
    peerDependencies,
    dependencies,
  };
  await Deno.writeTextFile(join(outDir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  for (const file of COPIED_FILES) {
    await Deno.mkdir(join(outDir, file, ".."), { recursive: true });
    await Deno.copyFile(join(ROOT, file), join(outDir, file));
  }
  return { manifest, files: await listFiles(outDir) };
}

if (import.meta.main) {
  const { manifest, files } = await buildNpm();
  const rel = relative(Deno.cwd(), NPM_DIR);
  const where = rel.startsWith(".") || rel.startsWith(sep) ? rel : `.${sep}${rel}`;
  console.log(
    `Built ${manifest.name}@${manifest.version} in ${where}${sep} (${files.length} files, ` +
      `TypeScript ${ts().version}). Publish it with: npm publish ${where}`,
  );
}
