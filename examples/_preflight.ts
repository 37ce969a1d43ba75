/**
 * Imported first by every example, before Genkit:
 *
 * - checks the permissions the examples need, and otherwise prints one line
 *   saying what to type and exits with code 1 (Genkit's dependencies read the
 *   environment as they load, so without `--allow-env` a run would end in a
 *   stack trace from deep inside them);
 * - loads `.env` at the repository root, if there is one, the way
 *   `deno run --env-file` would: variables already set win.
 *
 * Synchronous on purpose: a module that awaits would let the modules imported
 * after it start before it finishes.
 */
import { parseEnv } from "node:util";

const FLAGS = "--allow-env --allow-net --allow-read --allow-sys";
const needed = [{ name: "env" }, { name: "net" }, { name: "read" }] as const;

if (needed.some((descriptor) => Deno.permissions.querySync(descriptor).state !== "granted")) {
  const root = new URL("../", import.meta.url).href;
  const main = Deno.mainModule.startsWith(root)
    ? Deno.mainModule.slice(root.length)
    : Deno.mainModule;
  console.error(
    `${main} needs permissions; type: deno run ${FLAGS} ${main}   (or: deno task demo)`,
  );
  Deno.exit(1);
}

try {
  const vars = parseEnv(Deno.readTextFileSync(new URL("../.env", import.meta.url)));
  for (const [name, value] of Object.entries(vars)) {
    if (value !== undefined && Deno.env.get(name) === undefined) Deno.env.set(name, value);
  }
} catch (e) {
  if (!(e instanceof Deno.errors.NotFound)) throw e;
}
