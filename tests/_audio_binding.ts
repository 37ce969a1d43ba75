// A stand-in for `env.AI` for the speech families that answers as the Workers
// binding does, served by the emulator: JSON inputs are sent as JSON; inputs
// with `audio: { body: ReadableStream, contentType }` (nova-3) send the stream
// as the body, the other inputs as options; a JSON answer resolves to its
// `result`, a binary one to a byte stream; with `returnRawResponse` the raw
// response comes back (JSON bare, binary as served); failures are thrown as
// `Error("InferenceUpstreamError: <code>: <message>")`.
import { genkit } from "genkit";
import { type AiBinding, cloudflareAI } from "../mod.ts";
import type { Emulator } from "../src/testing/mod.ts";

export interface BindingCall {
  model: string;
  inputs: Record<string, unknown>;
  options: Record<string, unknown>;
}

export function audioBinding(emu: Emulator) {
  const calls: BindingCall[] = [];
  const binding: AiBinding = {
    async run(model, inputs, options = {}) {
      const i = inputs as Record<string, unknown>;
      calls.push({ model, inputs: i, options });
      const url = new URL(`${emu.url}/accounts/${emu.accountId}/ai/run/${model}`);
      const headers: Record<string, string> = { authorization: `Bearer ${emu.apiToken}` };
      let body: BodyInit;
      const audio = i.audio as { body?: unknown; contentType?: string } | undefined;
      if (audio?.body instanceof ReadableStream) {
        const { audio: _, ...rest } = i;
        for (const [k, v] of Object.entries(rest)) {
          for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(one));
        }
        body = new Uint8Array(await new Response(audio.body).arrayBuffer());
        headers["content-type"] = audio.contentType ?? "application/octet-stream";
      } else {
        body = JSON.stringify(inputs);
        headers["content-type"] = "application/json";
      }
      const res = await fetch(url, {
        method: "POST",
        headers,
        body,
        signal: options.signal as AbortSignal | undefined,
      });
      const type = res.headers.get("content-type") ?? "";
      if (type.includes("application/json")) {
        const json = await res.json();
        if (!json.success) {
          const [e] = json.errors;
          throw new Error(`InferenceUpstreamError: ${e.code}: ${e.message}`);
        }
        if (options.returnRawResponse) {
          return new Response(JSON.stringify(json.result), {
            headers: { "content-type": "application/json" },
          });
        }
        return json.result;
      }
      return options.returnRawResponse ? res : res.body;
    },
  };
  const ai = genkit({ promptDir: null, plugins: [cloudflareAI({ binding, retryDelayMs: 5 })] });
  return { ai, calls };
}
