// Shared set-up for the end-to-end tests: an emulator on loopback and a real
// genkit() instance using the plugin against it.
import { genkit } from "genkit";
import { cloudflareAI, type CloudflareAIOptions } from "../mod.ts";
import { type Emulator, type EmulatorOptions, startEmulator } from "../src/testing/mod.ts";

export type App = AsyncDisposable & {
  emu: Emulator;
  ai: ReturnType<typeof genkit>;
};

export async function setup(
  plugin: Partial<CloudflareAIOptions> = {},
  emulator: EmulatorOptions = {},
): Promise<App> {
  const emu = await startEmulator(emulator);
  const ai = genkit({
    promptDir: null,
    plugins: [
      cloudflareAI({
        accountId: emu.accountId,
        apiToken: emu.apiToken,
        baseUrl: emu.url,
        retryDelayMs: 5,
        ...plugin,
      }),
    ],
  });
  return { emu, ai, [Symbol.asyncDispose]: () => emu.close() };
}

/** The request config every model takes beside its own (src/request_config.ts). */
export const REQUEST_KEYS: readonly string[] = [
  "sessionAffinity",
  "rejectIfBusy",
  "tags",
  "gateway",
];

/** A config schema's properties without the request config every model takes. */
export function ownProperties<T>(properties: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(properties).filter(([k]) => !REQUEST_KEYS.includes(k)));
}

/** Model requests the emulator received (auth and catalog calls excluded). */
export function modelRequests(emu: Emulator) {
  return emu.requests.filter((r) => r.route === "run" || r.route === "gateway");
}

/** Runs `fn`, which must throw, and returns what it threw. */
export async function failure(
  fn: () => Promise<unknown>,
): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error("expected a failure, but the call succeeded");
}

/** Waits until `check` holds, for at most `ms` milliseconds. */
export async function eventually(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
