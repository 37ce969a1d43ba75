/**
 * The Workers AI emulator as a command, on Deno and on Node:
 *
 * ```sh
 * deno run --allow-env --allow-net=127.0.0.1 jsr:@x/cloudflare-ai/emulator
 * npx cloudflare-ai-emulator            # with the npm package installed
 * ```
 *
 * It prints the variables that point an app at it, then serves until Ctrl-C
 * (SIGINT) or SIGTERM:
 *
 * ```sh
 * # Workers AI emulator on http://127.0.0.1:8790 (Ctrl-C stops it). Point an app at it with:
 * export CLOUDFLARE_ACCOUNT_ID=emulator-account
 * export CLOUDFLARE_API_TOKEN=emulator-token
 * export CLOUDFLARE_AI_BASE_URL=http://127.0.0.1:8790/client/v4
 * ```
 *
 * `--help` lists the options; `--json` prints one JSON line
 * `{"url","gatewayUrl","accountId","apiToken"}` instead, for programs.
 *
 * @module
 */

import process from "node:process";
import type { Emulator, EmulatorOptions } from "./types.ts";

const NAME = "cloudflare-ai-emulator";
const DEFAULT_PORT = 8790;

const HELP = `${NAME}: a local Cloudflare Workers AI for Genkit apps and their tests.

Usage:
  npx ${NAME} [options]
  deno run --allow-env --allow-net=127.0.0.1 jsr:@x/cloudflare-ai/emulator [options]
  deno task emulator [options]          (in the source repository)

Options:
  --port <n>                   Port to listen on (default ${DEFAULT_PORT}; 0 picks a free one).
  --hostname <host>            Interface to listen on (default 127.0.0.1).
  --account-id <id>            Account id expected in request paths (default emulator-account).
  --api-token <token>          Bearer token every request must carry (default emulator-token).
  --service-time-ms <n>        Milliseconds added before every model answer (default 0).
  --stream-event-delay-ms <n>  Milliseconds between two events of a stream (default 0).
  --stream-first-event-delay-ms <n>
                               Milliseconds before a stream's first event (default 0).
  --rate-limit <task>=<n>/<ms> At most <n> requests of a task per window of <ms>, the rest
                               answered 429 (code 3040, Retry-After); repeatable, e.g.
                               --rate-limit "Text Embeddings=3000/60000".
  --queue-delay-ms <n>         Milliseconds from a queued batch's submission to its results
                               (queued, then running; default 0).
  --queue-expire-ms <n>        Milliseconds a finished batch's results are kept (default a day).
  --require-license-agreement  Llama 3.2 Vision answers 5016 until {"prompt":"agree"} is sent once.
  --judge <published|off>      Judge /ai/run bodies by the published input schemas (default
                               published: a violation is 400, code 5006), or not at all.
  --vectorize-index <name>:<dimensions>:<metric>[:<property>=<type>,...]
                               A Vectorize index to start with (metric cosine, euclidean or
                               dot-product; metadata indexes string, number or boolean);
                               repeatable, e.g. --vectorize-index docs:768:cosine:lang=string.
  --vectorize-apply-delay-ms <n>  Milliseconds before a Vectorize write is applied (default 0).
                               AI Search serves the instance default/docs over a small corpus;
                               Markdown conversion takes HTML, Markdown, CSV and plain text.
  --json                       Print one JSON line {url, gatewayUrl, accountId, apiToken}
                               instead of the export lines.
  -h, --help                   Show this help.

On start it prints the variables that point an app at it (cloudflareAI() reads them):
  export CLOUDFLARE_ACCOUNT_ID=emulator-account
  export CLOUDFLARE_API_TOKEN=emulator-token
  export CLOUDFLARE_AI_BASE_URL=http://127.0.0.1:${DEFAULT_PORT}/client/v4
and serves until Ctrl-C (SIGINT) or SIGTERM.`;

/** A command-line mistake: reported on one line, with exit code 2. */
class UsageError extends Error {}

interface Command {
  help: boolean;
  json: boolean;
  options: EmulatorOptions;
}

function parse(args: readonly string[]): Command {
  const command: Command = { help: false, json: false, options: { port: DEFAULT_PORT } };
  const { options } = command;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = flag === arg ? undefined : arg.slice(eq + 1);
    const bool = () => {
      if (inline === undefined || inline === "true") return true;
      if (inline === "false") return false;
      throw new UsageError(`${flag} takes no value (or =true, =false)`);
    };
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || (inline === undefined && v.startsWith("--"))) {
        throw new UsageError(`${flag} needs a value`);
      }
      return v;
    };
    const whole = (max: number) => {
      const v = value();
      const n = Number(v);
      if (!/^\d+$/.test(v) || n > max) {
        throw new UsageError(`${flag} needs a whole number from 0 to ${max}, not ${v}`);
      }
      return n;
    };
    switch (flag) {
      case "-h":
      case "--help":
        command.help = true;
        break;
      case "--json":
        command.json = bool();
        break;
      case "--require-license-agreement":
        options.requireLicenseAgreement = bool();
        break;
      case "--judge": {
        const v = value();
        if (v !== "published" && v !== "off") {
          throw new UsageError(`${flag} needs published or off, not ${v}`);
        }
        options.judge = v;
        break;
      }
      case "--port":
        options.port = whole(65535);
        break;
      case "--hostname":
        options.hostname = value();
        break;
      case "--service-time-ms":
        options.serviceTimeMs = whole(3_600_000);
        break;
      case "--stream-event-delay-ms":
        options.streamEventDelayMs = whole(3_600_000);
        break;
      case "--stream-first-event-delay-ms":
        options.streamFirstEventDelayMs = whole(3_600_000);
        break;
      case "--rate-limit": {
        const v = value();
        const m = /^(.+?)\s*=\s*(\d+)\/(\d+)$/.exec(v);
        if (!m || Number(m[2]) < 1 || Number(m[3]) < 1) {
          throw new UsageError(`${flag} needs <task>=<requests>/<windowMs>, not ${v}`);
        }
        const limit = { requests: Number(m[2]), windowMs: Number(m[3]) };
        options.rateLimits = { ...options.rateLimits, [m[1]]: limit };
        break;
      }
      case "--vectorize-index": {
        const v = value();
        const m = /^([a-z0-9][a-z0-9-]*):(\d+):(cosine|euclidean|dot-product)(?::(.+))?$/.exec(v);
        const props = (m?.[4] ?? "").split(",").filter(Boolean).map((p) => p.split("="));
        if (!m || props.some(([k, t]) => !k || !["string", "number", "boolean"].includes(t))) {
          throw new UsageError(
            `${flag} needs <name>:<dimensions>:<metric>[:<property>=<type>,...], not ${v}`,
          );
        }
        const vectorize = options.vectorize ?? {};
        vectorize.indexes = [...(vectorize.indexes ?? []), {
          name: m[1],
          dimensions: Number(m[2]),
          metric: m[3] as "cosine",
          metadataIndexes: Object.fromEntries(props) as Record<string, "string">,
        }];
        options.vectorize = vectorize;
        break;
      }
      case "--queue-delay-ms":
        options.queue = { ...options.queue, delayMs: whole(86_400_000) };
        break;
      case "--queue-expire-ms":
        options.queue = { ...options.queue, expireMs: whole(2_592_000_000) };
        break;
      case "--vectorize-apply-delay-ms":
        options.vectorize = { ...options.vectorize, applyDelayMs: whole(3_600_000) };
        break;
      case "--account-id":
        options.accountId = value();
        break;
      case "--api-token":
        options.apiToken = value();
        break;
      default:
        throw new UsageError(
          arg.startsWith("-") ? `unknown option ${flag}` : `unexpected argument ${arg}`,
        );
    }
  }
  return command;
}

/** `NAME=value` for a POSIX shell, quoted when the value needs it. */
function exportLine(name: string, value: string): string {
  const safe = /^[\w@%+=:,./-]+$/.test(value);
  return `export ${name}=${safe ? value : `'${value.replaceAll("'", `'\\''`)}'`}`;
}

function isAddrInUse(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  return e?.code === "EADDRINUSE" || e?.name === "AddrInUse";
}

/** The part of Deno's permission API the command reads (`Deno` is absent on Node). */
interface DenoPermissions {
  permissions: {
    querySync(descriptor: { name: "env" } | { name: "net"; host?: string }): { state: string };
  };
}

/**
 * Whether, under Deno, the emulator lacks a permission it needs: all of env
 * (Genkit's dependencies read the environment as they load, which is why this
 * is checked before the emulator's modules load) and net for its address.
 */
function missingPermissions(hostname: string, port: number): boolean {
  const deno = (globalThis as { Deno?: DenoPermissions }).Deno;
  if (!deno?.permissions?.querySync) return false;
  const host = port === 0
    ? hostname
    : `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
  return deno.permissions.querySync({ name: "env" }).state !== "granted" ||
    deno.permissions.querySync({ name: "net", host }).state !== "granted";
}

/** Resolves on the first SIGINT or SIGTERM (SIGINT only on Windows). */
function stopSignal(): Promise<void> {
  const signals: ("SIGINT" | "SIGTERM")[] = process.platform === "win32"
    ? ["SIGINT"]
    : ["SIGINT", "SIGTERM"];
  return new Promise((resolve) => {
    const stop = () => {
      for (const s of signals) process.off(s, stop);
      resolve();
    };
    for (const s of signals) process.on(s, stop);
  });
}

/**
 * Runs the emulator command: parses `args` (see `--help`), starts the
 * emulator, prints how to reach it and serves until SIGINT or SIGTERM.
 * Mistakes in `args` and a port in use are reported on one line of stderr.
 *
 * @param args The command-line arguments, without the program's name.
 * @returns The exit code: 0 after a stop by signal or `--help`, 1 when the
 * emulator cannot start, 2 for a mistake in `args`.
 *
 * @example
 * ```ts
 * import { main } from "@x/cloudflare-ai/emulator";
 *
 * // Runs until Ctrl-C, like `npx cloudflare-ai-emulator --port 0`.
 * Deno.exitCode = await main(["--port", "0"]);
 * ```
 */
export async function main(args: readonly string[] = process.argv.slice(2)): Promise<number> {
  let command: Command;
  try {
    command = parse(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${NAME}: ${e.message} (see --help)`);
    return 2;
  }
  if (command.help) {
    console.log(HELP);
    return 0;
  }
  const { options } = command;
  const hostname = options.hostname ?? "127.0.0.1";
  if (missingPermissions(hostname, options.port ?? 0)) {
    console.error(
      `${NAME} needs env and net access: ` +
        `deno run --allow-env --allow-net=${hostname} jsr:@x/cloudflare-ai/emulator [options]`,
    );
    return 1;
  }
  const { startEmulator } = await import("./emulator.ts");
  let emu: Emulator;
  try {
    emu = await startEmulator(options);
  } catch (e) {
    const where = `${hostname}:${options.port}`;
    console.error(
      isAddrInUse(e)
        ? `${NAME}: ${where} is in use; pass --port <n> (0 picks a free one)`
        : `${NAME}: cannot listen on ${where}: ${e instanceof Error ? e.message : String(e)}`,
    );
    return 1;
  }
  const stopped = stopSignal();
  const origin = new URL(emu.url).origin;
  console.log(
    command.json
      ? JSON.stringify({
        url: emu.url,
        gatewayUrl: emu.gatewayUrl,
        accountId: emu.accountId,
        apiToken: emu.apiToken,
      })
      : [
        `# Workers AI emulator on ${origin} (Ctrl-C stops it). Point an app at it with:`,
        exportLine("CLOUDFLARE_ACCOUNT_ID", emu.accountId),
        exportLine("CLOUDFLARE_API_TOKEN", emu.apiToken),
        exportLine("CLOUDFLARE_AI_BASE_URL", emu.url),
        `# AI Gateway: gateway: { id: "any-id", baseUrl: "${emu.gatewayUrl}" }`,
      ].join("\n"),
  );
  await stopped;
  await emu.close();
  return 0;
}

if ((import.meta as ImportMeta & { main?: boolean }).main) {
  process.exitCode = await main();
}
