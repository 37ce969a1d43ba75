// Runs a worker bundle in Miniflare (workerd) and prints `{"url": ...}` on one
// line once the worker listens on loopback. It stops when its standard input
// closes, or on SIGTERM / SIGINT.
//
//   node run.mjs <bundle.js> <wrangler.toml> <emulator url> <account id> <api token>
//
// The worker's `env.AI` is workerd's own Workers AI binding (Miniflare's `ai`
// option), the code that runs in production. Its backend requests, which
// Miniflare forwards to a "remote proxy" URL, are answered here on loopback by
// translating them to a Workers AI emulator's REST API:
//
//   binding:  POST https://workers-binding.ai/run?version=3   {"inputs", "options"}
//             (model id in the cf-consn-model-id header)
//   REST:     POST {emulator}/accounts/{account}/ai/run/{model}   inputs
//
// A JSON result goes back bare (`application/json`), a stream as SSE bytes, and
// an error as the envelope with its status; the binding then resolves to the
// result object or the byte stream, or throws `InferenceUpstreamError: <code>: <message>`.
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import process from "node:process";
import { Readable } from "node:stream";

// Both packages are CommonJS, installed beside this file by `npm ci`.
const require = createRequire(import.meta.url);
const { Log, LogLevel, Miniflare } = require("miniflare");
const { unstable_readConfig } = require("wrangler");

const [scriptPath, configPath, baseUrl, accountId, apiToken] = process.argv.slice(2);
if (!apiToken) {
  console.error("usage: node run.mjs <bundle.js> <wrangler.toml> <url> <account id> <api token>");
  process.exit(2);
}

// The compatibility settings and the AI binding's name come from the worker's wrangler.toml.
const config = unstable_readConfig({ config: configPath }, { hideWarnings: true });
const aiBinding = config.ai?.binding;
if (!aiBinding) throw new Error(`${configPath} declares no [ai] binding`);

/** Answers one request of the AI binding from the emulator. */
async function answer(req, res) {
  const url = new URL(req.headers["mf-url"] ?? "/", "https://workers-binding.ai");
  const model = req.headers["mf-header-cf-consn-model-id"];
  if (req.method !== "POST" || !/\/run$/.test(url.pathname) || !model) {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ errors: [{ code: 7000, message: `No route for ${url.pathname}` }] }));
    return;
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const { inputs } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const aborted = new AbortController();
  res.on("close", () => aborted.abort());
  const upstream = await fetch(`${baseUrl}/accounts/${accountId}/ai/run/${model}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${apiToken}`,
      "content-type": "application/json",
      // Lets the test see that the request came through the binding.
      "x-binding-sdk-version": req.headers["mf-header-cf-consn-sdk-version"] ?? "",
    },
    body: JSON.stringify(inputs),
    signal: aborted.signal,
  });
  const type = upstream.headers.get("content-type") ?? "";
  if (type.includes("text/event-stream")) {
    res.writeHead(upstream.status, { "content-type": "text/event-stream" });
    Readable.fromWeb(upstream.body).on("error", () => res.destroy()).pipe(res);
    return;
  }
  const text = await upstream.text();
  let envelope;
  try {
    envelope = JSON.parse(text);
  } catch {
    res.writeHead(upstream.status, { "content-type": type || "text/plain" });
    res.end(text);
    return;
  }
  res.writeHead(upstream.status, { "content-type": "application/json" });
  res.end(JSON.stringify(envelope.success ? envelope.result : envelope));
}

const backend = createServer((req, res) => {
  answer(req, res).catch((e) => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end(String(e));
  });
});
await new Promise((resolve) => backend.listen(0, "127.0.0.1", resolve));

const mf = new Miniflare({
  host: "127.0.0.1",
  port: 0,
  log: new Log(LogLevel.WARN),
  cf: false, // a placeholder `request.cf`, instead of fetching one from Cloudflare
  workers: [{
    name: "worker",
    modules: true,
    scriptPath,
    modulesRoot: dirname(scriptPath),
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
    // Optional plugin timeout for the worker (see examples/worker/worker.ts).
    bindings: process.env.AI_TIMEOUT_MS ? { AI_TIMEOUT_MS: process.env.AI_TIMEOUT_MS } : {},
    ai: {
      binding: aiBinding,
      remoteProxyConnectionString: new URL(`http://127.0.0.1:${backend.address().port}/`),
    },
  }],
});

let stopping;
function stop() {
  stopping ??= Promise.all([
    mf.dispose(),
    new Promise((resolve) => {
      backend.close(resolve);
      backend.closeAllConnections();
    }),
  ]).then(() => process.exit(0), (e) => {
    console.error(e);
    process.exit(1);
  });
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();

const url = await mf.ready;
console.log(JSON.stringify({ url: url.href }));
