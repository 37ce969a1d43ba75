/**
 * Starting and stopping an emulator.
 *
 * @module
 */

import { createHandler } from "./handler.ts";
import { withRequestIds } from "./request_ids.ts";
import { serve, type ServerRuntime } from "./server.ts";
import { createState } from "./state.ts";
import type { Emulator, EmulatorOptions, Fault } from "./types.ts";
import { initQueue } from "./queue.ts";
import { initServices } from "./vectorize_services.ts";

/**
 * Starts an emulator with a chosen server implementation (`deno` or `node`);
 * {@linkcode startEmulator} picks the one of the current runtime.
 */
export async function startEmulatorOn(
  options: EmulatorOptions = {},
  runtime?: ServerRuntime,
): Promise<Emulator> {
  const state = createState(options);
  initServices(state, options);
  initQueue(state, options.queue);
  const hostname = options.hostname ?? "127.0.0.1";
  const server = await serve(withRequestIds(createHandler(state)), {
    hostname,
    port: options.port ?? 0,
    runtime,
  });
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  const origin = `http://${host}:${server.port}`;
  let closing: Promise<void> | undefined;
  const close = () => {
    state.closing.abort();
    return closing ??= server.close();
  };
  return {
    url: `${origin}/client/v4`,
    gatewayUrl: `${origin}/gateway/v1`,
    accountId: state.accountId,
    apiToken: state.apiToken,
    get requests() {
      return state.requests;
    },
    get inFlight() {
      return state.inFlight;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    get rateLimited() {
      return state.limiter.rejected;
    },
    fault(fault: Fault) {
      state.faults.push({ fault, remaining: fault.times ?? 1 });
    },
    reset() {
      state.requests = [];
      state.faults = [];
      state.maxInFlight = state.inFlight;
      state.limiter.reset();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Starts a Workers AI emulator on a loopback port.
 *
 * @example
 * ```ts
 * await using emu = await startEmulator();
 * const res = await fetch(
 *   `${emu.url}/accounts/${emu.accountId}/ai/run/@cf/meta/llama-3.1-8b-instruct-fast`,
 *   {
 *     method: "POST",
 *     headers: { authorization: `Bearer ${emu.apiToken}` },
 *     body: JSON.stringify({ prompt: "Hi" }),
 *   },
 * );
 * ```
 */
export function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulatorOn(options);
}
