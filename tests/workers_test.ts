import assert from "node:assert/strict";
import { type Emulator, startEmulator } from "../src/testing/mod.ts";
import { eventually } from "./_setup.ts";
import { installTooling, toolEnv } from "./workers/tooling.ts";

/**
 * The example worker (examples/worker) built with wrangler as for a deploy,
 * then run in workerd through Miniflare. Its `env.AI` is workerd's own Workers
 * AI binding, whose backend requests tests/workers/run.mjs answers from the
 * emulator: generate, stream, embed and binding errors, all over loopback.
 * The Node tooling (wrangler, miniflare) is pinned in tests/workers/package.json
 * and installed with `npm ci` on first use.
 */

const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";
const workers = new URL("./workers/", import.meta.url).pathname;
const example = new URL("../examples/worker/", import.meta.url).pathname;
const decoder = new TextDecoder();

/** Bundles the example worker the way `wrangler deploy` does, into `outdir`. */
async function build(tmp: string, outdir: string): Promise<string> {
  const wrangler = await new Deno.Command("node", {
    args: [
      `${workers}node_modules/wrangler/bin/wrangler.js`,
      "deploy",
      "--dry-run",
      "--config",
      `${example}wrangler.toml`,
      "--outdir",
      outdir,
    ],
    cwd: workers,
    env: toolEnv(tmp),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(
    wrangler.code,
    0,
    `wrangler build failed:\n${decoder.decode(wrangler.stdout)}${decoder.decode(wrangler.stderr)}`,
  );
  return `${outdir}/worker.js`;
}

/** A worker running in workerd; closing its standard input stops it. */
interface Running {
  url: string;
  /** What the worker and Miniflare printed on stderr so far. */
  logs(): string;
  stop(): Promise<void>;
}

/** Starts the bundle in Miniflare with its AI binding served by the emulator; resolves once it listens. */
async function start(tmp: string, bundle: string, emu: Emulator): Promise<Running> {
  const child = new Deno.Command("node", {
    args: [
      `${workers}run.mjs`,
      bundle,
      `${example}wrangler.toml`,
      emu.url,
      emu.accountId,
      emu.apiToken,
    ],
    cwd: workers,
    // A short plugin timeout, to check that it still works on later requests.
    env: { ...toolEnv(tmp), AI_TIMEOUT_MS: "1500" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const errors = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) stderr += chunk;
  })();
  let stopped: Promise<void> | undefined;
  const stop = () =>
    stopped ??= (async () => {
      await child.stdin.close().catch(() => {});
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, 10_000);
      await child.status;
      clearTimeout(timer);
      await errors;
    })();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  const deadline = setTimeout(() => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
  }, 60_000);
  try {
    while (!out.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) break;
      out += value;
    }
  } finally {
    clearTimeout(deadline);
  }
  if (!out.includes("\n")) {
    await stop();
    throw new Error(`the worker did not start:\n${out}${stderr}`);
  }
  // Keep draining stdout so that the child never blocks on a full pipe.
  (async () => {
    while (!(await lines.read()).done) { /* discard */ }
  })().catch(() => {});
  const { url } = JSON.parse(out.slice(0, out.indexOf("\n")));
  return { url, logs: () => stderr, stop };
}

/** POSTs JSON; a worker that does not answer within 20 s fails the step instead of hanging. */
async function post(url: string, body: unknown): Promise<Response> {
  return await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
}

Deno.test({
  name:
    "the example worker runs in workerd with an env.AI binding: generate, stream, embed, errors",
  sanitizeResources: false,
  sanitizeOps: false,
}, async (t) => {
  const started = Date.now();
  await installTooling((line) => console.log(`tests/workers: ${line}, once...`));
  const took = (Date.now() - started) / 1000;
  if (took > 1) console.log(`tests/workers: tooling ready in ${took.toFixed(1)} s`);
  const tmp = await Deno.makeTempDir({ prefix: "workers-test-" });
  // Stream events 40 ms apart, so that a stream held back anywhere on the way shows.
  const emu = await startEmulator({ streamEventDelayMs: 40 });
  let worker: Running | undefined;
  try {
    const bundle = await build(tmp, `${tmp}/dist`);
    worker = await start(tmp, bundle, emu);
    const base = worker.url;
    const modelCalls = () => emu.requests.filter((r) => r.route === "run");
    let failed = false;
    const step = async (name: string, fn: () => Promise<void>) => {
      if (!(await t.step(name, fn))) failed = true;
    };

    await step("POST /generate answers with ai.generate's text", async () => {
      const res = await post(`${base}generate`, { prompt: "Hi" });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { text: `Hello from ${LLAMA}! You said: Hi` });
      const [call] = modelCalls();
      assert.equal(call.model, LLAMA);
      // It came through workerd's AI binding (the worker has no account id or token).
      assert.match(call.headers["x-binding-sdk-version"] ?? "", /^\d+\.\d+/);
    });

    await step("POST /stream streams ai.generateStream's text as it comes", async () => {
      emu.reset();
      const started = Date.now();
      const res = await post(`${base}stream`, { prompt: "Yo" });
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
      const arrivals: { ms: number; text: string }[] = [];
      for await (const text of res.body!.pipeThrough(new TextDecoderStream())) {
        arrivals.push({ ms: Date.now() - started, text });
      }
      assert.equal(arrivals.map((a) => a.text).join(""), `Hello from ${LLAMA}! You said: Yo`);
      // Seven text events 40 ms apart: the first words arrive well before the last.
      assert.ok(arrivals.length >= 3, `the text came in ${arrivals.length} piece(s)`);
      assert.ok(arrivals.at(-1)!.ms - arrivals[0].ms >= 100, JSON.stringify(arrivals));
      const [call] = modelCalls();
      assert.equal((call.body as { stream?: boolean }).stream, true);
    });

    await step("a client that leaves mid-stream cancels the model request", async () => {
      emu.reset();
      const res = await post(`${base}stream`, { prompt: "Long" });
      const reader = res.body!.getReader();
      assert.match(decoder.decode((await reader.read()).value), /^Hello /);
      await reader.cancel();
      await eventually(() => modelCalls()[0]?.aborted === true, 5000);
    });

    await step("POST /embed answers with a 768-dimension bge-base embedding", async () => {
      emu.reset();
      const res = await post(`${base}embed`, { text: "Ada Lovelace" });
      assert.equal(res.status, 200);
      const { dimensions, embedding } = await res.json();
      assert.equal(dimensions, 768);
      assert.equal(embedding.length, 768);
      assert.equal(modelCalls()[0].model, "@cf/baai/bge-base-en-v1.5");
    });

    await step("a capacity error (429, 3040) thrown by the binding is retried", async () => {
      emu.reset();
      emu.fault({ status: 429, code: 3040 });
      const res = await post(`${base}generate`, { prompt: "Again" });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).text, `Hello from ${LLAMA}! You said: Again`);
      assert.deepEqual(modelCalls().map((r) => r.status), [429, 200]);
    });

    await step("the same before a stream's first event is retried too", async () => {
      emu.reset();
      emu.fault({ status: 429, code: 3040 });
      const res = await post(`${base}stream`, { prompt: "Once more" });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), `Hello from ${LLAMA}! You said: Once more`);
      assert.deepEqual(modelCalls().map((r) => r.status), [429, 200]);
    });

    await step(
      "a license error (5016) surfaces as 403 PERMISSION_DENIED, not retried",
      async () => {
        emu.reset();
        emu.fault({ status: 403, code: 5016 });
        const res = await post(`${base}generate`, { prompt: "Hi" });
        assert.equal(res.status, 403);
        const { error } = await res.json();
        assert.equal(error.status, "PERMISSION_DENIED");
        assert.match(error.message, /Cloudflare error 5016/);
        assert.equal(modelCalls().length, 1);
      },
    );
    await step(
      "with one Genkit instance serving every request, timeoutMs still ends a hung request",
      async () => {
        emu.reset();
        emu.fault({ hang: true });
        const res = await post(`${base}generate`, { prompt: "Hi" });
        assert.equal(res.status, 504);
        const { error } = await res.json();
        assert.equal(error.status, "DEADLINE_EXCEEDED");
        assert.match(error.message, /1500 ms/);
      },
    );
    if (failed) console.error(`worker stderr:\n${worker.logs()}`);
  } catch (e) {
    if (worker) console.error(`worker stderr:\n${worker.logs()}`);
    throw e;
  } finally {
    await worker?.stop();
    await emu.close();
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
});
