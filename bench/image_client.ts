/**
 * One client of the `image` scenario, in a process of its own so that its
 * peak memory is its own: `deno run -A bench/image_client.ts <impl> <source
 * image> <rounds>` with the emulator's address and the request in
 * `BENCH_IMAGE` (`{url, accountId, apiToken, model, prompt}`). Each call is
 * one image-to-image request: the source PNG (read once, as an app holds it:
 * bytes for `raw-fetch`, a data URL for the Genkit clients) and a prompt,
 * answered with a PNG the size of the source, turned into a data URL. It
 * makes `rounds` calls after one warm-up and prints one JSON line: the times
 * in ms, the last data URL's length and first characters, and the process's
 * resident memory (peak, and after set-up) in bytes.
 *
 * @module
 */
// Each client loads only its own modules (dynamic imports), so each peak is its own.
import { PeakMemory, timedRounds } from "./client_process.ts";

const [impl, path, roundsArg] = Deno.args;
const ep = JSON.parse(Deno.env.get("BENCH_IMAGE")!) as {
  url: string;
  accountId: string;
  apiToken: string;
  model: string;
  prompt: string;
};
const source = Deno.readFileSync(path);
const { prompt } = ep;

const memory = new PeakMemory();

/** Base64 as an app would write it: the runtime's own encoder (Deno has `toBase64`). */
function toBase64(bytes: Uint8Array): string {
  return (bytes as Uint8Array & { toBase64(): string }).toBase64();
}

/**
 * raw-fetch's image-to-image request: the source image's base64 as
 * `image_b64` in a JSON body, the binary PNG answer read whole and made a
 * data URL. `raw-fetch` calls it directly, `genkit-raw`'s model runner with
 * the base64 of the data URL it is given.
 */
function rawImage(): (imageB64: string) => Promise<string> {
  const url = `${ep.url}/accounts/${ep.accountId}/ai/run/${ep.model}`;
  const headers = { authorization: `Bearer ${ep.apiToken}`, "content-type": "application/json" };
  return async (imageB64) => {
    const res = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify({ prompt, image_b64: imageB64 }),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    const type = res.headers.get("content-type") ?? "image/png";
    return `data:${type};base64,${toBase64(new Uint8Array(await res.arrayBuffer()))}`;
  };
}

/** The source image as a Genkit prompt carries it. */
const sourceUrl = () => `data:image/png;base64,${toBase64(source)}`;

async function client(): Promise<() => Promise<string>> {
  if (impl === "raw-fetch") {
    const run = rawImage();
    const b64 = toBase64(source);
    return () => run(b64);
  }
  if (impl === "cloudflare-ai") {
    const { genkit } = await import("genkit");
    const { cloudflareAI } = await import("../mod.ts");
    const ai = genkit({
      promptDir: null,
      plugins: [cloudflareAI({ accountId: ep.accountId, apiToken: ep.apiToken, baseUrl: ep.url })],
    });
    const model = cloudflareAI.model(ep.model);
    const url = sourceUrl();
    return async () =>
      (await ai.generate({
        model,
        prompt: [{ text: prompt }, { media: { url, contentType: "image/png" } }],
      })).media!.url;
  }
  if (impl === "genkit-raw") {
    // Genkit's smallest model whose body is raw-fetch's request.
    const { genkit } = await import("genkit");
    const ai = genkit({ promptDir: null });
    const run = rawImage();
    const model = ai.defineModel(
      { name: "raw/img2img", supports: { media: true, output: ["media"] } },
      async (request) => {
        const media = request.messages.at(-1)!.content.find((p) => p.media)!.media!;
        const url = await run(media.url.slice(media.url.indexOf(",") + 1));
        return {
          message: { role: "model", content: [{ media: { url, contentType: "image/png" } }] },
          finishReason: "stop",
        };
      },
    );
    const url = sourceUrl();
    return async () =>
      (await ai.generate({
        model,
        prompt: [{ text: prompt }, { media: { url, contentType: "image/png" } }],
      })).media!.url;
  }
  if (impl === "genkit-floor") {
    // Genkit alone: a model that answers a data URL of the same image at once, with no network.
    const { genkit } = await import("genkit");
    const answer = await rawImage()(toBase64(source));
    const b64 = answer.slice(answer.indexOf(",") + 1);
    const ai = genkit({ promptDir: null });
    // A new data URL each call, as a real answer is (one string reused would be
    // cheaper for Genkit to serialise than any real answer); its base64 is made once.
    const model = ai.defineModel(
      { name: "floor/img2img", supports: { media: true, output: ["media"] } },
      () =>
        Promise.resolve({
          message: {
            role: "model",
            content: [{ media: { url: `data:image/png;base64,${b64}`, contentType: "image/png" } }],
          },
          finishReason: "stop",
        }),
    );
    const url = sourceUrl();
    return async () =>
      (await ai.generate({
        model,
        prompt: [{ text: prompt }, { media: { url, contentType: "image/png" } }],
      })).media!.url;
  }
  throw new Error(`unknown implementation ${impl}`);
}

const once = await client();
const idle = memory.now();
const { ms, last: url } = await timedRounds(once, Number(roundsArg));
const peak = memory.stop();
console.log(JSON.stringify({ ms, length: url.length, head: url.slice(0, 40), idle, peak }));
Deno.exit(0);
