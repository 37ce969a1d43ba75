// The documentation as a reader meets it: README.md, CONTRIBUTING.md and
// docs/*.md. Its links lead somewhere that both packages carry, its
// TypeScript blocks type-check, and the README's first block runs as shown.
import assert from "node:assert/strict";
import { COPIED_FILES } from "../scripts/npm.ts";
import { startEmulator } from "../src/testing/mod.ts";

const root = new URL("../", import.meta.url);
const decoder = new TextDecoder();

/** The documentation pages, as paths from the repository root. */
const docsPages: string[] = [];
for await (const entry of Deno.readDir(new URL("docs/", root))) {
  if (entry.isFile && entry.name.endsWith(".md")) docsPages.push(`docs/${entry.name}`);
}
docsPages.sort();
const PAGES = ["README.md", "CONTRIBUTING.md", ...docsPages];
/** The pages whose ```ts blocks are type-checked (CONTRIBUTING.md shows no app code). */
const CHECKED_PAGES = ["README.md", ...docsPages];

const text: Record<string, string> = {};
for (const page of PAGES) text[page] = await Deno.readTextFile(new URL(page, root));

/** A fenced code block: its info string (`ts`, `sh`, …) and its body. */
interface Block {
  lang: string;
  body: string;
}

/** The fenced code blocks of a page, in order. */
function blocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^(`{3,}|~{3,})([^\n`]*)\n([\s\S]*?)^\1[ \t]*$/gm)].map((m) => ({
    lang: m[2].trim(),
    body: m[3],
  }));
}

/** A page without its code: fenced blocks, then inline code spans. */
function prose(markdown: string): string {
  return markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, "")
    .replace(/`[^`\n]*`/g, "");
}

/** The targets of a page's links and images, outside code. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  return [
    ...text.matchAll(/!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g),
    ...text.matchAll(/^\s*\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)/gm),
    ...text.matchAll(/<(?:a|img)\s[^>]*(?:href|src)="([^"]+)"/g),
  ].map((m) => m[1]);
}

/**
 * The anchors of a page's headings, as GitHub and JSR make them: the heading's
 * text without markup, lower case, punctuation dropped, spaces as hyphens, and
 * `-1`, `-2`, … after a repeated one.
 */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const headings = markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, "")
    .matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm);
  for (const [, heading] of headings) {
    const plain = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*]/g, "");
    const base = plain.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").trim().replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** A relative link of `page`, resolved: the target's path from the root, and its anchor. */
function resolve(page: string, href: string): { path: string; anchor?: string } {
  const [target, anchor] = href.split("#");
  const url = target === "" ? new URL(page, root) : new URL(target, new URL(page, root));
  const path = decodeURIComponent(url.pathname.slice(root.pathname.length));
  return { path, anchor: anchor === undefined ? undefined : decodeURIComponent(anchor) };
}

const isRelative = (href: string) => !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith("//");

Deno.test("every relative link of the documentation leads to a file, and every #anchor to a heading", async () => {
  let count = 0;
  for (const page of PAGES) {
    for (const href of linkTargets(text[page]).filter(isRelative)) {
      count++;
      const { path, anchor } = resolve(page, href);
      const stat = await Deno.stat(new URL(path, root)).catch(() => undefined);
      assert.ok(stat?.isFile, `${page} links to ${href}: ${path} is not a file`);
      if (anchor !== undefined) {
        assert.ok(
          path.endsWith(".md"),
          `${page} links to ${href}: an anchor in a file not Markdown`,
        );
        const target = text[path] ?? await Deno.readTextFile(new URL(path, root));
        assert.ok(
          anchors(target).has(anchor),
          `${page} links to ${href}, but ${path} has no heading #${anchor} (it has: ${
            [...anchors(target)].join(", ")
          })`,
        );
      }
    }
  }
  assert.ok(count > PAGES.length, "the check sees the pages' links");
});

Deno.test("the anchors are made as GitHub makes them", () => {
  const page = "# A\n## Batching and `embedConcurrency`\n## FLUX.2 and multipart\n" +
    "```sh\n# not a heading\n```\n## Single-turn models\n## A\n";
  assert.deepEqual([...anchors(page)], [
    "a",
    "batching-and-embedconcurrency",
    "flux2-and-multipart",
    "single-turn-models",
    "a-1",
  ]);
});

Deno.test("the documentation is published by JSR and npm alike, and links only to what they carry", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  const include: string[] = config.publish.include;
  const exclude: string[] = [...(config.publish.exclude ?? []), ...(config.exclude ?? [])];
  const covers = (patterns: string[], path: string) =>
    patterns.some((p) => {
      const pattern = p.replace(/^\.\//, "");
      return pattern.endsWith("/") ? path.startsWith(pattern) : path === pattern;
    });
  const published = (path: string, why: string) => {
    assert.ok(
      covers(include, path) && !covers(exclude, path),
      `${why}: deno.json's publish.include does not publish ${path} to JSR`,
    );
    assert.ok(
      COPIED_FILES.includes(path),
      `${why}: the npm package (COPIED_FILES in scripts/npm.ts) does not carry ${path}`,
    );
  };
  for (const page of PAGES) published(page, "a page of the documentation");
  published("LICENSE", "the license");
  for (const page of PAGES) {
    for (const href of linkTargets(text[page]).filter(isRelative)) {
      published(resolve(page, href).path, `${page} links to ${href}`);
    }
  }
});

Deno.test("every code block of README.md and docs/ names its language, and every page shows code", () => {
  for (const page of CHECKED_PAGES) {
    const found = blocks(text[page]);
    assert.ok(found.length > 0, `${page} has no code block`);
    for (const { lang, body } of found) {
      assert.ok(lang !== "", `${page}: a code block without a language:\n${body.slice(0, 200)}`);
    }
  }
  assert.ok(docsPages.some((p) => blocks(text[p]).some((b) => b.lang === "ts")));
});

Deno.test("every ```ts block of README.md and docs/*.md type-checks", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--doc-only", ...CHECKED_PAGES],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const output = decoder.decode(out.stdout) + decoder.decode(out.stderr);
  assert.equal(out.code, 0, `deno check --doc-only ${CHECKED_PAGES.join(" ")}:\n${output}`);
});

Deno.test("the tasks the documentation runs are tasks of deno.json", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  const named = new Set<string>();
  for (const page of PAGES) {
    for (const [, task] of text[page].matchAll(/deno task ([a-z][\w-]*)/g)) named.add(task);
  }
  assert.ok(named.has("test") && named.has("npm"), "the check sees the commands");
  for (const task of named) assert.ok(config.tasks[task], `deno.json has no "${task}" task`);
});

Deno.test("the README's first code block runs as shown against the emulator", async () => {
  const readme = text["README.md"];
  const first = blocks(readme).find((b) => b.lang === "ts");
  assert.ok(first, "README.md has a ts block");
  // The command the README gives for it: `deno run <flags> main.ts`.
  const command = readme.match(/^deno run ((?:--allow-\S+ )+)main\.ts\s*$/m);
  assert.ok(command, "README.md says how to run main.ts");
  const flags = command[1].trim().split(" ");

  await using emu = await startEmulator();
  const dir = await Deno.makeTempDir({ prefix: "cloudflare-ai-readme-" });
  try {
    await Deno.writeTextFile(`${dir}/main.ts`, first.body);
    const out = await new Deno.Command(Deno.execPath(), {
      // The repository's deno.json maps `@x/cloudflare-ai` (its name) to this package.
      args: ["run", `--config=${new URL("deno.json", root).pathname}`, ...flags, "main.ts"],
      cwd: dir,
      env: {
        NO_COLOR: "1",
        CLOUDFLARE_ACCOUNT_ID: emu.accountId,
        CLOUDFLARE_API_TOKEN: emu.apiToken,
        CLOUDFLARE_AI_BASE_URL: emu.url,
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = decoder.decode(out.stdout);
    assert.equal(out.code, 0, `${stdout}${decoder.decode(out.stderr)}`);
    const runs = emu.requests.filter((r) => r.route === "run");
    assert.equal(runs.length, 1, "one model request");
    const said = (runs[0].body as { messages: { content: string }[] }).messages.at(-1)!.content;
    // The emulator answers "Hello from <model>! You said: <the prompt>".
    assert.equal(stdout.trim(), `Hello from ${runs[0].model}! You said: ${said}`);
    assert.equal(runs[0].model, "@cf/meta/llama-3.1-8b-instruct-fast");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
