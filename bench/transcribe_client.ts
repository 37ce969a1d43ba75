/**
 * One client of the `transcribe` scenario, in a process of its own so that
 * its peak memory is its own: `deno run -A bench/transcribe_client.ts <impl>
 * <audio file> <rounds>` with the emulator's address in `BENCH_EMULATOR`
 * (`{url, accountId, apiToken}`). It transcribes the file `rounds` times
 * after one warm-up and prints one JSON line: the times in ms, the last
 * transcript and the process's peak resident memory in bytes.
 *
 * @module
 */
// Each client loads only its own modules (dynamic imports), so each peak is its own.
import { PeakMemory, timedRounds } from "./client_process.ts";

const MODEL = "@cf/openai/whisper";
const CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";

const [impl, path, roundsArg] = Deno.args;
const ep = JSON.parse(Deno.env.get("BENCH_EMULATOR")!) as {
  url: string;
  accountId: string;
  apiToken: string;
};
const audio = Deno.readFileSync(path);

const memory = new PeakMemory();

/**
 * raw-fetch's transcription request: the audio's bytes as the body, the
 * JSON answer's text. `raw-fetch` calls it directly; `genkit-raw` and
 * `ai-sdk-raw` from their smallest model, with the bytes they are given.
 */
function rawTranscribe(): (audio: Uint8Array<ArrayBuffer>) => Promise<string> {
  const url = `${ep.url}/accounts/${ep.accountId}/ai/run/${MODEL}`;
  const headers = { authorization: `Bearer ${ep.apiToken}`, "content-type": "audio/wav" };
  return async (audio) => {
    const res = await fetch(url, { method: "POST", headers, body: audio });
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    return (await res.json()).result.text;
  };
}

/** base64 with the runtime's own codec (Deno has both). */
const toBase64 = (bytes: Uint8Array) => (bytes as Uint8Array & { toBase64(): string }).toBase64();
const fromBase64 = (text: string) =>
  (Uint8Array as unknown as { fromBase64(s: string): Uint8Array<ArrayBuffer> }).fromBase64(text);

async function client(): Promise<() => Promise<string>> {
  if (impl === "raw-fetch") {
    const run = rawTranscribe();
    return () => run(audio);
  }
  if (impl === "genkit-raw") {
    // Genkit's smallest model whose body is raw-fetch's request: the prompt's
    // data URL decoded to bytes (Genkit carries media as URLs), then the same fetch.
    const { genkit } = await import("genkit");
    const ai = genkit({ promptDir: null });
    const run = rawTranscribe();
    const model = ai.defineModel(
      { name: "raw/whisper", supports: { media: true } },
      async (request) => {
        const media = request.messages.at(-1)!.content.find((p) => p.media)!.media!;
        const text = await run(fromBase64(media.url.slice(media.url.indexOf(",") + 1)));
        return { message: { role: "model", content: [{ text }] }, finishReason: "stop" };
      },
    );
    const url = `data:audio/wav;base64,${toBase64(audio)}`;
    return async () =>
      (await ai.generate({ model, prompt: [{ media: { url, contentType: "audio/wav" } }] })).text;
  }
  if (impl === "ai-sdk-raw") {
    // The AI SDK's smallest transcription model whose body is raw-fetch's request.
    const { experimental_transcribe: transcribe } = await import("ai");
    const run = rawTranscribe();
    type Model = Parameters<typeof transcribe>[0]["model"];
    const model = {
      specificationVersion: "v4",
      provider: "raw",
      modelId: "whisper",
      async doGenerate(options: { audio: Uint8Array | string }) {
        const bytes = typeof options.audio === "string"
          ? fromBase64(options.audio)
          : options.audio as Uint8Array<ArrayBuffer>;
        const text = await run(bytes);
        return {
          text,
          segments: [],
          language: undefined,
          durationInSeconds: undefined,
          warnings: [],
          response: { timestamp: new Date(), modelId: "whisper" },
        };
      },
    } as unknown as Model;
    return async () => (await transcribe({ model, audio, maxRetries: 0 })).text;
  }
  if (impl === "cloudflare-ai") {
    const { genkit } = await import("genkit");
    const { cloudflareAI } = await import("../mod.ts");
    const ai = genkit({
      promptDir: null,
      plugins: [cloudflareAI({
        accountId: ep.accountId,
        apiToken: ep.apiToken,
        baseUrl: ep.url,
        // Media of a prompt is capped at 10 MiB unless raised, inline data included.
        mediaDownloads: { maxBytes: 32 * 2 ** 20 },
      })],
    });
    const model = cloudflareAI.model(MODEL);
    // Genkit takes media as URLs: the file is a data URL, as an app would pass it.
    const url = `data:audio/wav;base64,${toBase64(audio)}`;
    return async () =>
      (await ai.generate({ model, prompt: [{ media: { url, contentType: "audio/wav" } }] })).text;
  }
  if (impl === "genkit-floor") {
    // Genkit alone: the same prompt to a model that answers at once, with no network.
    const { genkit } = await import("genkit");
    const ai = genkit({ promptDir: null });
    const said = "This is the transcription benchmark.";
    const model = ai.defineModel(
      { name: "floor/whisper", supports: { media: true } },
      () => Promise.resolve({ message: { role: "model", content: [{ text: said }] } }),
    );
    const url = `data:audio/wav;base64,${toBase64(audio)}`;
    return async () =>
      (await ai.generate({ model, prompt: [{ media: { url, contentType: "audio/wav" } }] })).text;
  }
  if (impl === "workers-ai-provider") {
    const { experimental_transcribe: transcribe } = await import("ai");
    const { createWorkersAI } = await import("workers-ai-provider");
    const redirect: typeof fetch = (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      return fetch(ep.url + url.slice(CLOUDFLARE_API.length), init);
    };
    const provider = createWorkersAI({
      accountId: ep.accountId,
      apiKey: ep.apiToken,
      fetch: redirect,
    });
    const model = provider.transcription(MODEL);
    return async () => (await transcribe({ model, audio, maxRetries: 0 })).text;
  }
  throw new Error(`unknown implementation ${impl}`);
}

const once = await client();
const { ms, last: text } = await timedRounds(once, Number(roundsArg));
console.log(JSON.stringify({ ms, text, peakRss: memory.stop() }));
Deno.exit(0);
