import assert from "node:assert/strict";
import { TEXT_MODELS } from "../mod.ts";

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

Deno.test("the README's quick start commands are tasks of deno.json", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  for (const task of ["demo", "test"]) {
    assert.ok(readme.includes(`deno task ${task}`));
    assert.ok(config.tasks[task], `deno.json has a "${task}" task`);
  }
});
