// Shared helpers of the emulator tests: raw requests to a running emulator.
import assert from "node:assert/strict";
import type { Emulator } from "../../src/testing/mod.ts";

export const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";
export const GPT_OSS = "@cf/openai/gpt-oss-120b";
export const LLAMA_33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
export const SCOUT = "@cf/meta/llama-4-scout-17b-16e-instruct";
export const MISTRAL = "@cf/mistralai/mistral-small-3.1-24b-instruct";
export const QWEN3 = "@cf/qwen/qwen3-30b-a3b-fp8";
export const VISION = "@cf/meta/llama-3.2-11b-vision-instruct";

/** Posts a JSON body to a path under the emulator's account. */
export function post(emu: Emulator, path: string, body: unknown, init: RequestInit = {}) {
  return fetch(`${emu.url}/accounts/${emu.accountId}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    ...init,
  });
}

/** Posts a JSON body to `/ai/run/{model}`. */
export const run = (emu: Emulator, model: string, body: unknown, init?: RequestInit) =>
  post(emu, `/ai/run/${model}`, body, init);

/** Sends a request the emulator hangs on, aborts it, and waits until the emulator lets it go. */
export async function hangThenAbort(emu: Emulator): Promise<void> {
  emu.fault({ hang: true });
  const ac = new AbortController();
  const pending = run(emu, LLAMA, { prompt: "x" }, { signal: ac.signal });
  while (emu.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
  ac.abort();
  await assert.rejects(pending);
  while (emu.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
}

/** Parses an SSE body into its data payloads. */
export function sseData(text: string): string[] {
  return text.split(/\r?\n\r?\n/).filter((e) => e.startsWith("data: ")).map((e) => e.slice(6));
}

/** A user message. */
export const user = (content: unknown) => ({ role: "user", content });

/** Posts and returns the status and parsed body. */
export async function call(emu: Emulator, model: string, body: unknown) {
  const res = await run(emu, model, body);
  return { status: res.status, body: await res.json() };
}

/** The status, code and message of an error answer. */
export async function errorOf(res: Response) {
  const body = await res.json();
  return { status: res.status, code: body.errors[0]?.code, message: body.errors[0]?.message };
}
