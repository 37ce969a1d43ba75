/**
 * Runs the Workers AI emulator in a process of its own, so that its CPU time
 * is not charged to the clients being measured.
 *
 * @module
 */

/** A running emulator process. */
export interface EmulatorProcess extends AsyncDisposable {
  /** REST base URL (`.../client/v4`). */
  url: string;
  /** The account id it expects. */
  accountId: string;
  /** The API token it expects. */
  apiToken: string;
  /** `${url}/accounts/${accountId}/ai`: the parent of `run/<model>` and `v1/...`. */
  aiBase: string;
  /** The process id (to read its CPU time). */
  pid: number;
  /** Stops the process and waits for it to exit. */
  stop(): Promise<void>;
}

const CLI = new URL("../src/testing/cli.ts", import.meta.url);
const ROOT = new URL("../", import.meta.url);

/**
 * Starts `src/testing/cli.ts` on a free loopback port and waits for its address line (`--json`).
 * `rateLimits` (task name -> budget) become `--rate-limit "<task>=<requests>/<windowMs>"` flags;
 * `extraArgs` are passed on as they are (e.g. `--stream-event-delay-ms 10`).
 */
export async function startEmulatorProcess(
  serviceTimeMs = 0,
  rateLimits: Readonly<Record<string, { requests: number; windowMs: number }>> = {},
  extraArgs: readonly string[] = [],
): Promise<EmulatorProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-env",
      "--allow-net=127.0.0.1",
      "--allow-read",
      CLI.href,
      "--port",
      "0",
      "--hostname",
      "127.0.0.1",
      "--service-time-ms",
      String(serviceTimeMs),
      ...Object.entries(rateLimits).flatMap(([task, l]) => [
        "--rate-limit",
        `${task}=${l.requests}/${l.windowMs}`,
      ]),
      ...extraArgs,
      "--json",
    ],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) {
      await child.status;
      throw new Error(
        `the emulator exited before printing its address: ${text}`,
      );
    }
    text += value;
  }
  // Keep draining stdout so that the child never blocks on a full pipe.
  (async () => {
    try {
      while (!(await reader.read()).done) { /* discard */ }
    } catch { /* closed */ }
  })();
  const info = JSON.parse(text.slice(0, text.indexOf("\n"))) as {
    url: string;
    accountId: string;
    apiToken: string;
  };
  let stopped: Promise<void> | undefined;
  const stop = () =>
    stopped ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, 3000);
      await child.status;
      clearTimeout(timer);
    })();
  return {
    ...info,
    aiBase: `${info.url}/accounts/${info.accountId}/ai`,
    pid: child.pid,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
