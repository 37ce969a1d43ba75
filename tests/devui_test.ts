import assert from "node:assert/strict";
import { eventually } from "./_setup.ts";

type ActionInfo = {
  key: string;
  name: string;
  metadata?: {
    model?: { label: string; supports: Record<string, unknown>; customOptions?: unknown };
  };
};

Deno.test({
  name: "in dev mode the reflection API lists the models with label, supports and config schema",
  // The reflection server is a separate process; it is ended below.
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dir = await Deno.makeTempDir();
  const app = new URL("./fixtures/dev_app.ts", import.meta.url).pathname;
  const config = new URL("../deno.json", import.meta.url).pathname;
  // Genkit writes its runtime file next to the nearest package.json.
  await Deno.writeTextFile(`${dir}/package.json`, "{}");
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${config}`,
      "--allow-env",
      "--allow-net",
      "--allow-read",
      "--allow-write",
      "--allow-sys",
      app,
    ],
    cwd: dir,
    env: { GENKIT_ENV: "dev" },
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    // Genkit writes the runtime file (with the reflection URL) under .genkit/runtimes.
    let url = "";
    await eventually(() => {
      try {
        for (const e of Deno.readDirSync(`${dir}/.genkit/runtimes`)) {
          const info = JSON.parse(Deno.readTextFileSync(`${dir}/.genkit/runtimes/${e.name}`));
          url = info.reflectionServerUrl;
        }
      } catch { /* not written yet */ }
      return url !== "";
    }, 30_000);
    const actions = await (await fetch(`${url}/api/actions`)).json() as Record<string, ActionInfo>;
    const llama = actions["/model/cloudflare-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast"];
    assert.ok(llama, "the model is listed");
    const model = llama.metadata!.model!;
    assert.match(model.label, /Llama 3.3 70B/);
    assert.equal(model.supports.tools, true);
    assert.equal(model.supports.constrained, "no-tools");
    const schema = model.customOptions as { properties: Record<string, { maximum?: number }> };
    assert.equal(schema.properties.temperature.maximum, 5, "the form shows the model's range");
    assert.equal(schema.properties.topP.maximum, 1);
    assert.ok(actions["/embedder/cloudflare-ai/@cf/baai/bge-base-en-v1.5"]);
    assert.ok(actions["/reranker/cloudflare-ai/@cf/baai/bge-reranker-base"]);
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
});
