/**
 * Runs every example in this folder, one after the other (`deno task demo`).
 * Credentials in `.env` at the repository root are used when set there.
 */
import "./_preflight.ts";

const here = new URL(".", import.meta.url);
const examples: string[] = [];
for await (const entry of Deno.readDir(here)) {
  if (
    entry.isFile && entry.name.endsWith(".ts") && !entry.name.startsWith("_") &&
    entry.name !== "demo.ts"
  ) {
    examples.push(entry.name);
  }
}
examples.sort((a, b) => (a === "hello.ts" ? -1 : b === "hello.ts" ? 1 : a.localeCompare(b)));
for (const name of examples) {
  console.log(`\n=== examples/${name}`);
  await import(new URL(name, here).href);
}
