/**
 * Shared by the examples: use Workers AI when CLOUDFLARE_ACCOUNT_ID and
 * CLOUDFLARE_API_TOKEN are set (at CLOUDFLARE_AI_BASE_URL when that is set
 * too, e.g. an emulator started with `deno task emulator`), and a local
 * emulator of their own otherwise.
 */
import process from "node:process";
import type { CloudflareAIOptions } from "../mod.ts";
import { type EmulatorOptions, startEmulator } from "../src/testing/mod.ts";

/** Plugin options for the examples, and a `close()` for the emulator (if one was started). */
export interface Connection extends AsyncDisposable {
  options: CloudflareAIOptions;
  close(): Promise<void>;
}

/** `emulator`: options of the emulator started when no account is set. */
export async function connect(emulator: EmulatorOptions = {}): Promise<Connection> {
  if (process.env.CLOUDFLARE_ACCOUNT_ID && process.env.CLOUDFLARE_API_TOKEN) {
    const baseUrl = process.env.CLOUDFLARE_AI_BASE_URL;
    console.log(
      baseUrl
        ? `Using Workers AI at ${baseUrl} (CLOUDFLARE_AI_BASE_URL is set).`
        : "Using Cloudflare Workers AI (CLOUDFLARE_ACCOUNT_ID is set).",
    );
    const close = () => Promise.resolve();
    return { options: {}, close, [Symbol.asyncDispose]: close };
  }
  const emu = await startEmulator(emulator);
  console.log(
    "No CLOUDFLARE_ACCOUNT_ID/CLOUDFLARE_API_TOKEN set: using the local Workers AI emulator.",
  );
  const close = () => emu.close();
  return {
    options: { accountId: emu.accountId, apiToken: emu.apiToken, baseUrl: emu.url },
    close,
    [Symbol.asyncDispose]: close,
  };
}
