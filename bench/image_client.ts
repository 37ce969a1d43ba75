/**
 * One client of the `image` scenario, in a process of its own so that its
 * peak memory is its own: `deno run -A bench/image_client.ts <impl> <rounds>`
 * with the emulator's address and the request in `BENCH_IMAGE`
 * (`{url, accountId, apiToken, model, width, height}`). It asks for the image
 * `rounds` times after one warm-up, turning each answer into a data URL, and
 * prints one JSON line: the times in ms, the last data URL's length and
 * first characters, and the process's resident memory (peak, and after
 * set-up) in bytes.
 *
 * @module
 */
// Each client loads only its own modules (dynamic imports), so each peak is its own.
import { PeakMemory, timedRounds } from "./client_process.ts";

const CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";

const [impl, roundsArg] = Deno.args;
const ep = JSON.parse(Deno.env.get("BENCH_IMAGE")!) as {
  url: string;
  accountId: string;
  apiToken: string;
  model: string;
  width: number;
  height: number;
};
const prompt = "a lighthouse at dusk";
const size = { width: ep.width, height: ep.height };

const memory = new PeakMemory();

/** Base64 as an app would write it: the runtime's own encoder (Deno has `toBase64`). */
function toBase64(bytes: Uint8Array): string {
  return (bytes as Uint8Array & { toBase64(): string }).toBase64();
}

async function client(): Promise<() => Promise<string>> {
  if (impl === "raw-fetch") {
    const url = `${ep.url}/accounts/${ep.accountId}/ai/run/${ep.model}`;
    const headers = { authorization: `Bearer ${ep.apiToken}`, "content-type": "application/json" };
    const body = JSON.stringify({ prompt, ...size });
    return async () => {
      const res = await fetch(url, { method: "POST", headers, body });
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      const type = res.headers.get("content-type") ?? "image/png";
      return `data:${type};base64,${toBase64(new Uint8Array(await res.arrayBuffer()))}`;
    };
  }
  if (impl === "cloudflare-ai") {
    const { genkit } = await import("genkit");
    const { cloudflareAI } = await import("../mod.ts");
    const ai = genkit({
      promptDir: null,
      plugins: [cloudflareAI({ accountId: ep.accountId, apiToken: ep.apiToken, baseUrl: ep.url })],
    });
    const model = cloudflareAI.model(ep.model, size);
    return async () => (await ai.generate({ model, prompt })).media!.url;
  }
  if (impl === "genkit-floor") {
    // Genkit alone: a model that answers the same data URL at once, with no network.
    const { genkit } = await import("genkit");
    const res = await fetch(`${ep.url}/accounts/${ep.accountId}/ai/run/${ep.model}`, {
      method: "POST",
      headers: { authorization: `Bearer ${ep.apiToken}` },
      body: JSON.stringify({ prompt, ...size }),
    });
    const b64 = toBase64(new Uint8Array(await res.arrayBuffer()));
    const ai = genkit({ promptDir: null });
    // A new data URL each call, as a real answer is (one string reused would be
    // cheaper for Genkit to serialise than any real answer); its base64 is made once.
    const model = ai.defineModel(
      { name: "floor/image", supports: { output: ["media"] } },
      () =>
        Promise.resolve({
          message: {
            role: "model",
            content: [{ media: { url: `data:image/png;base64,${b64}`, contentType: "image/png" } }],
          },
          finishReason: "stop",
        }),
    );
    return async () => (await ai.generate({ model, prompt })).media!.url;
  }
  if (impl === "workers-ai-provider-rest" || impl === "workers-ai-provider") {
    const { generateImage } = await import("ai");
    const { createWorkersAI } = await import("workers-ai-provider");
    const headers = { authorization: `Bearer ${ep.apiToken}` };
    // Over REST its fetch option points it at the emulator; through a binding
    // a stand-in answers as env.AI does for a binary model: the body's byte stream.
    const provider = impl === "workers-ai-provider-rest"
      ? createWorkersAI({
        accountId: ep.accountId,
        apiKey: ep.apiToken,
        fetch: (input, init) => {
          const url = typeof input === "string"
            ? input
            : input instanceof URL
            ? input.href
            : input.url;
          return fetch(ep.url + url.slice(CLOUDFLARE_API.length), init);
        },
      })
      : createWorkersAI({
        binding: {
          async run(model: string, inputs: unknown) {
            const res = await fetch(`${ep.url}/accounts/${ep.accountId}/ai/run/${model}`, {
              method: "POST",
              headers,
              body: JSON.stringify(inputs),
            });
            if (!res.ok) throw new Error(`${res.status}: ${await res.text()}`);
            return res.body;
          },
        } as never,
      });
    const model = provider.image(ep.model as Parameters<typeof provider.image>[0]);
    return async () => {
      const { image } = await generateImage({
        model,
        prompt,
        size: `${ep.width}x${ep.height}`,
        maxRetries: 0,
      });
      return `data:${image.mediaType};base64,${image.base64}`;
    };
  }
  throw new Error(`unknown implementation ${impl}`);
}

const once = await client();
const idle = memory.now();
const { ms, last: url } = await timedRounds(once, Number(roundsArg));
const peak = memory.stop();
console.log(JSON.stringify({ ms, length: url.length, head: url.slice(0, 40), idle, peak }));
Deno.exit(0);
