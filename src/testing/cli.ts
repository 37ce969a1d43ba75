/**
 * Runs the emulator as a process, for benchmarks and manual testing:
 *
 * ```sh
 * deno run -A src/testing/cli.ts [--port N] [--service-time-ms N] [--stream-event-delay-ms N]
 *   [--require-license-agreement]
 * ```
 *
 * Prints one JSON line `{"url","gatewayUrl","accountId","apiToken"}` to
 * stdout, then serves until SIGINT or SIGTERM.
 *
 * @module
 */

import { startEmulator } from "./emulator.ts";
import type { EmulatorOptions } from "./types.ts";

function parseArgs(args: string[]): EmulatorOptions {
  const options: EmulatorOptions = {};
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split("=", 2);
    if (flag === "--require-license-agreement") {
      options.requireLicenseAgreement = inline === undefined || inline === "true";
      continue;
    }
    const value = inline ?? args[++i];
    const num = Number(value);
    const needNumber = () => {
      if (value === undefined || !Number.isFinite(num)) {
        throw new Error(`${flag} needs a number`);
      }
      return num;
    };
    switch (flag) {
      case "--port":
        options.port = needNumber();
        break;
      case "--hostname":
        options.hostname = value;
        break;
      case "--service-time-ms":
        options.serviceTimeMs = needNumber();
        break;
      case "--stream-event-delay-ms":
        options.streamEventDelayMs = needNumber();
        break;
      case "--account-id":
        options.accountId = value;
        break;
      case "--api-token":
        options.apiToken = value;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return options;
}

if (import.meta.main) {
  const emu = await startEmulator(parseArgs(Deno.args));
  console.log(JSON.stringify({
    url: emu.url,
    gatewayUrl: emu.gatewayUrl,
    accountId: emu.accountId,
    apiToken: emu.apiToken,
  }));
  await new Promise<void>((resolve) => {
    const stop = () => {
      Deno.removeSignalListener("SIGINT", stop);
      Deno.removeSignalListener("SIGTERM", stop);
      resolve();
    };
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
  await emu.close();
}
