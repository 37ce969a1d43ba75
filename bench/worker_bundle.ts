/**
 * `worker-bundle`: the example Worker (examples/worker, with the plugin:
 * `cloudflare-ai`) and a Genkit-only Worker (bench/worker_bundle: the same
 * set-up without the plugin: `genkit-only`), each built with the pinned
 * wrangler as for a deploy (`wrangler deploy --dry-run --outdir`), then
 * started in workerd through Miniflare. Reports each bundle's gzip size as
 * wrangler reports it (`gzip_kb`, KiB of the upload), its raw size
 * (`upload_kb`), and its start time (`startup_ms`: from a new Miniflare to
 * the answer of the Worker's first request, median of the rounds, the two
 * bundles alternating). The Node tooling is the one tests/workers_test.ts
 * pins (tests/workers/package.json), installed with `npm ci` when missing.
 *
 * @module
 */
import type { Log, ScenarioResult } from "./scenarios.ts";
import { median, round } from "./stats.ts";
import { installTooling, toolEnv, TOOLING_DIR as TOOLING } from "../tests/workers/tooling.ts";

const ROOT = new URL("../", import.meta.url);

/** The Workers built, with their wrangler.toml. */
export const WORKERS = {
  "genkit-only": new URL("bench/worker_bundle/wrangler.toml", ROOT).pathname,
  "cloudflare-ai": new URL("examples/worker/wrangler.toml", ROOT).pathname,
} as const;

const decoder = new TextDecoder();

/** Builds one Worker; its bundle's path and wrangler's upload sizes (KiB). */
async function build(
  config: string,
  outdir: string,
  tmp: string,
): Promise<{ bundle: string; uploadKb: number; gzipKb: number }> {
  const out = await new Deno.Command("node", {
    args: [
      `${TOOLING}node_modules/wrangler/bin/wrangler.js`,
      "deploy",
      "--dry-run",
      "--config",
      config,
      "--outdir",
      outdir,
    ],
    cwd: TOOLING,
    env: toolEnv(tmp),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = decoder.decode(out.stdout) + decoder.decode(out.stderr);
  if (!out.success) throw new Error(`wrangler build of ${config} failed: ${text.slice(-600)}`);
  const m = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(text);
  if (!m) throw new Error(`wrangler printed no upload size for ${config}: ${text.slice(-400)}`);
  const main = [...Deno.readDirSync(outdir)].find((e) => /\.m?js$/.test(e.name));
  if (!main) throw new Error(`wrangler wrote no bundle for ${config}`);
  return { bundle: `${outdir}/${main.name}`, uploadKb: Number(m[1]), gzipKb: Number(m[2]) };
}

/** The compatibility settings of the example's wrangler.toml (both Workers share them). */
function compat(config: string): { date: string; flags: string } {
  const text = Deno.readTextFileSync(config);
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(text)?.[1] ?? "";
  if (!date) throw new Error(`${config} has no compatibility_date`);
  return { date, flags: [...flags.matchAll(/"([^"]+)"/g)].map((f) => f[1]).join(",") };
}

/** Runs `worker-bundle`: `rounds` starts of each bundle. What failed goes to `skipped`. */
export async function workerBundleScenario(
  rounds: number,
  log: Log,
  skipped: Record<string, string>,
): Promise<ScenarioResult> {
  await installTooling((line) => log(`  ${line} in tests/workers`));
  const tmp = await Deno.makeTempDir({ prefix: "bench-worker-bundle-" });
  const out: ScenarioResult = {};
  try {
    const bundles: Record<string, string> = {};
    for (const [name, config] of Object.entries(WORKERS)) {
      try {
        const b = await build(config, `${tmp}/${name}`, tmp);
        bundles[name] = b.bundle;
        out[name] = { gzip_kb: b.gzipKb, upload_kb: b.uploadKb };
        log(`  ${name}: ${b.uploadKb} KiB, gzip ${b.gzipKb} KiB`);
      } catch (e) {
        skipped[name] = (e as Error).message.split("\n")[0].slice(0, 300);
        log(`  SKIPPED ${name}: ${skipped[name]}`);
      }
    }
    const names = Object.keys(bundles);
    if (names.length === 0) return out;
    const { date, flags } = compat(WORKERS["cloudflare-ai"]);
    const run = await new Deno.Command("node", {
      args: [
        new URL("bench/worker_bundle/start.mjs", ROOT).pathname,
        TOOLING,
        date,
        flags,
        String(rounds),
        ...names.map((n) => bundles[n]),
      ],
      cwd: TOOLING,
      env: toolEnv(tmp),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = decoder.decode(run.stderr);
    if (!run.success) throw new Error(`the start-time runner failed: ${stderr.slice(-600)}`);
    const { times, errors } = JSON.parse(
      decoder.decode(run.stdout).trim().split("\n").at(-1)!,
    ) as { times: Record<string, number[]>; errors: Record<string, string> };
    // workerd prints why a Worker's global scope failed on stderr ("Uncaught ...").
    const uncaught = stderr.split("\n").find((l) => /Uncaught/.test(l))?.trim();
    for (const n of names) {
      const error = errors[bundles[n]];
      if (error) {
        skipped[n] = `did not start in workerd: ${uncaught ?? error}`.slice(0, 300);
        log(`  NOT STARTED ${n}: ${skipped[n]}`);
      } else {
        out[n].startup_ms = round(median(times[bundles[n]]), 1);
      }
    }
    // Each round starts both bundles back to back: the plugin's added start is
    // also taken pairwise (the median of the rounds' differences), which drifts
    // in the machine's load cancel out of.
    const [plugin, base] = [times[bundles["cloudflare-ai"]], times[bundles["genkit-only"]]];
    if (plugin?.length && base?.length === plugin.length) {
      out["cloudflare-ai"].startup_added_ms = round(median(plugin.map((t, i) => t - base[i])), 1);
    }
    log(`  ${rounds} starts of each bundle`);
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  return out;
}
