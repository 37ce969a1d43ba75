import assert from "node:assert/strict";
import { TEXT_MODELS } from "../src/models.ts";
import { FAMILIES } from "../src/families.ts";
import { COPIED_FILES } from "../scripts/npm.ts";

const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));

/** The README's model table, as the catalog says it should read. */
function modelTable(): string {
  const yes = (b: boolean) => (b ? "yes" : "—");
  const rows = TEXT_MODELS.map((m) => {
    const notes = [m.paidOnly ? "Workers Paid only" : "", m.lora ? "LoRA" : ""]
      .filter(Boolean).join(", ");
    const images = m.vision === "none" ? "—" : m.vision === "image-field" ? "yes (one)" : "yes";
    return `| \`${m.id}\`${notes ? ` (${notes})` : ""} | ${
      m.format === "native" ? "native" : "OpenAI"
    } | ${yes(m.tools)} | ${images} | ${m.json === "none" ? "—" : m.json} | ${yes(m.reasoning)} | ${
      m.contextWindow?.toLocaleString("en-US") ?? "?"
    } |`;
  });
  return [
    "| Model | Format | Tools | Images | JSON mode | Reasoning | Context |",
    "|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** Table rows with cells trimmed, so that column alignment by the formatter does not matter. */
function normalize(markdown: string): string {
  return markdown.split("\n").map((line) =>
    line.startsWith("|")
      ? line.split("|").map((c) => c.trim().replace(/^-{3,}$/, "---")).join("|")
      : line
  ).join("\n");
}

Deno.test("the README's model table matches the catalog", () => {
  const table = modelTable();
  assert.ok(normalize(readme).includes(normalize(table)), `README.md should contain:\n${table}`);
});

/** The rows of the README's task table (under "Tasks and models"), as arrays of trimmed cells. */
function taskRows(): string[][] {
  const header = "| Family | Workers AI task | Genkit action | Models | Takes | Returns |";
  const lines = normalize(readme).split("\n");
  const start = lines.indexOf(normalize(header));
  assert.ok(start >= 0, `README.md should have the task table, headed ${header}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.split("|").slice(1, -1));
  }
  return rows;
}

Deno.test("the README's task table has a row for every family: its task, action type and models", () => {
  const rows = taskRows();
  assert.deepEqual(
    rows.map((r) => r[0]),
    FAMILIES.map((f) => `\`${f.name}\``),
    "one row per family of FAMILIES, in its order",
  );
  for (const family of FAMILIES) {
    const [, task, action, models] = rows.find((r) => r[0] === `\`${family.name}\``)!;
    for (const t of family.tasks) assert.ok(task.includes(t), `${family.name}: task ${t}`);
    assert.equal(action, family.actionType, `${family.name}: action type`);
    const ids = family.catalog.map((m) => m.id);
    // A large catalog may be given as its count, with a link to its own table.
    const listed = ids.every((id) => models.includes(`\`${id}\``)) ||
      models.startsWith(`${ids.length} models`);
    assert.ok(listed, `${family.name}: the models cell names all of ${ids.join(", ")}`);
  }
});

Deno.test("the README's quick start commands are tasks of deno.json", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  for (const task of ["demo", "test"]) {
    assert.ok(readme.includes(`deno task ${task}`));
    assert.ok(config.tasks[task], `deno.json has a "${task}" task`);
  }
});

/** The targets of the README's links and images, outside code. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
  return [
    ...prose.matchAll(/!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g),
    ...prose.matchAll(/^\s*\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)/gm),
    ...prose.matchAll(/<(?:a|img)\s[^>]*(?:href|src)="([^"]+)"/g),
  ].map((m) => m[1]);
}

Deno.test("the README links only to files that JSR and npm both publish", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  const include: string[] = config.publish.include;
  const exclude: string[] = [...(config.publish.exclude ?? []), ...(config.exclude ?? [])];
  const covers = (patterns: string[], path: string) =>
    patterns.some((p) => {
      const pattern = p.replace(/^\.\//, "");
      return pattern.endsWith("/") ? path.startsWith(pattern) : path === pattern;
    });
  const relative = linkTargets(readme).filter((href) =>
    !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith("#") && !href.startsWith("//")
  );
  assert.ok(relative.includes("LICENSE"), "the check sees the README's links");
  for (const href of relative) {
    const path = decodeURIComponent(href.split("#")[0].split("?")[0]).replace(/^\.\//, "");
    const stat = await Deno.stat(new URL(`../${path}`, import.meta.url)).catch(() => undefined);
    assert.ok(stat?.isFile, `README.md links to ${href}, which is not a file`);
    assert.ok(
      covers(include, path) && !covers(exclude, path),
      `README.md links to ${href}, which deno.json's publish.include does not publish to JSR`,
    );
    assert.ok(
      COPIED_FILES.includes(path),
      `README.md links to ${href}, which the npm package (scripts/npm.ts) does not carry`,
    );
  }
});
