/**
 * The pinned Node tooling for Workers (wrangler and Miniflare, from
 * package.json beside this file), shared by tests/workers_test.ts and the
 * benchmark suite's `worker-bundle` scenario.
 *
 * @module
 */

/** This folder: where the pinned packages are installed. */
export const TOOLING_DIR: string = new URL("./", import.meta.url).pathname;

const decoder = new TextDecoder();

/**
 * Runs `npm ci` here unless the pinned packages are installed already;
 * `log` is told before an install. Throws when npm fails.
 */
export async function installTooling(log: (line: string) => void): Promise<void> {
  const manifest = JSON.parse(await Deno.readTextFile(`${TOOLING_DIR}package.json`));
  const pinned = Object.entries(manifest.devDependencies as Record<string, string>);
  const installed = await Promise.all(pinned.map(async ([name, version]) => {
    try {
      const pkg = await Deno.readTextFile(`${TOOLING_DIR}node_modules/${name}/package.json`);
      return JSON.parse(pkg).version === version;
    } catch {
      return false;
    }
  }));
  if (installed.every(Boolean)) return;
  log(`npm ci (${pinned.map(([n, v]) => `${n}@${v}`).join(", ")})`);
  const npm = await new Deno.Command("npm", {
    args: ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
    cwd: TOOLING_DIR,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!npm.success) {
    throw new Error(`npm ci failed:\n${decoder.decode(npm.stdout)}${decoder.decode(npm.stderr)}`);
  }
}

/** Environment of the Node tools: no metrics, no banner, logs kept in `tmp`. */
export function toolEnv(tmp: string): Record<string, string> {
  return {
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_HIDE_BANNER: "true",
    WRANGLER_LOG_PATH: `${tmp}/logs`,
    NO_COLOR: "1",
  };
}
