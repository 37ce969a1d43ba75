// The tables of docs/models.md (the task table and the text models), checked
// against the registry and the catalog they describe.
import assert from "node:assert/strict";
import { TEXT_MODELS } from "../src/models.ts";
import { FAMILIES } from "../src/families.ts";

const page = await Deno.readTextFile(new URL("../docs/models.md", import.meta.url));

/** The page's model table, as the catalog says it should read. */
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

Deno.test("docs/models.md: the text model table matches the catalog", () => {
  const table = modelTable();
  assert.ok(normalize(page).includes(normalize(table)), `docs/models.md should contain:\n${table}`);
});

/** The rows of the page's task table, as arrays of trimmed cells. */
function taskRows(): string[][] {
  const header = "| Family | Workers AI task | Genkit action | Models | Takes | Returns |";
  const lines = normalize(page).split("\n");
  const start = lines.indexOf(normalize(header));
  assert.ok(start >= 0, `docs/models.md should have the task table, headed ${header}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.split("|").slice(1, -1));
  }
  return rows;
}

Deno.test("docs/models.md: the task table has a row for every family: its task, action type and models", () => {
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
