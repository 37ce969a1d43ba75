// Start times of Worker bundles in workerd, through Miniflare: for each round
// and each bundle (in turn, the first of the round rotating), a new Miniflare
// is made, and the time from its construction to the answer of the Worker's
// first request (`GET /`, which neither Worker's app serves: its global scope
// evaluated, no Genkit app made) is taken; then it is disposed of. Prints one
// JSON line: {"times": {"<bundle>": [ms, ...]}, "errors": {"<bundle>": "why it did not start"}}.
//
//   node start.mjs <tooling dir with node_modules> <compat date> <flag,...> <rounds> <bundle.js>...
import { createRequire } from "node:module";
import { dirname } from "node:path";
import process from "node:process";

const [tooling, compatibilityDate, flags, roundsArg, ...bundles] = process.argv.slice(2);
const require = createRequire(`${tooling}/package.json`);
const { Log, LogLevel, Miniflare } = require("miniflare");

async function startOnce(scriptPath) {
  const t0 = performance.now();
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    log: new Log(LogLevel.WARN),
    cf: false,
    workers: [{
      name: "worker",
      modules: true,
      scriptPath,
      modulesRoot: dirname(scriptPath),
      compatibilityDate,
      compatibilityFlags: flags.split(",").filter(Boolean),
    }],
  });
  try {
    const res = await mf.dispatchFetch("http://localhost/");
    await res.arrayBuffer();
    if (res.status !== 404) throw new Error(`${scriptPath}: GET / answered ${res.status}`);
    return performance.now() - t0;
  } finally {
    await mf.dispose();
  }
}

const times = {};
const errors = {};
// One start of each first (the first Miniflare of a process pays for loading
// its own code); a bundle that does not start is reported and left out.
for (const b of bundles) {
  try {
    await startOnce(b);
    times[b] = [];
  } catch (e) {
    errors[b] = String(e?.message ?? e).split("\n")[0];
  }
}
const started = bundles.filter((b) => times[b]);
for (let r = 0; r < Number(roundsArg); r++) {
  for (let i = 0; i < started.length; i++) {
    const b = started[(i + r) % started.length];
    times[b].push(await startOnce(b));
  }
}
console.log(JSON.stringify({ times, errors }));
