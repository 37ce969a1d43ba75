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

const MODEL = "@cf/openai/whisper";
const CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";

const [impl, path, roundsArg] = Deno.args;
const ep = JSON.parse(Deno.env.get("BENCH_EMULATOR")!) as {
  url: string;
  accountId: string;
  apiToken: string;
};
const audio = Deno.readFileSync(path);

/** The peak resident memory so far: the kernel's high-water mark, or sampled where there is none. */
let sampledPeak = 0;
const sampler = setInterval(() => {
  sampledPeak = Math.max(sampledPeak, Deno.memoryUsage().rss);
}, 5);
function peakRss(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
    if (kb > 0) return kb * 1024;
  } catch { /* not Linux */ }
  return Math.max(sampledPeak, Deno.memoryUsage().rss);
}

async function client(): Promise<() => Promise<string>> {
  if (impl === "raw-fetch") {
    const url = `${ep.url}/accounts/${ep.accountId}/ai/run/${MODEL}`;
    const headers = { authorization: `Bearer ${ep.apiToken}`, "content-type": "audio/wav" };
    return async () => {
      const res = await fetch(url, { method: "POST", headers, body: audio });
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      return (await res.json()).result.text;
    };
  }
  if (impl === "cloudflare-ai") {
    const { genkit } = await import("genkit");
    const { cloudflareAI } = await import("../mod.ts");
    const { base64 } = await import("../src/downloads/inline.ts");
    const ai = genkit({
      promptDir: null,
      plugins: [cloudflareAI({ accountId: ep.accountId, apiToken: ep.apiToken, baseUrl: ep.url })],
    });
    const model = cloudflareAI.model(MODEL);
    // Genkit takes media as URLs: the file is a data URL, as an app would pass it.
    const url = `data:audio/wav;base64,${base64(audio)}`;
    return async () =>
      (await ai.generate({ model, prompt: [{ media: { url, contentType: "audio/wav" } }] })).text;
  }
  if (impl === "genkit-floor") {
    // Genkit alone: the same prompt to a model that answers at once, with no network.
    const { genkit } = await import("genkit");
    const { base64 } = await import("../src/downloads/inline.ts");
    const ai = genkit({ promptDir: null });
    const said = "This is the transcription benchmark.";
    const model = ai.defineModel(
      { name: "floor/whisper", supports: { media: true } },
      () => Promise.resolve({ message: { role: "model", content: [{ text: said }] } }),
    );
    const url = `data:audio/wav;base64,${base64(audio)}`;
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
await once(); // warm-up
const ms: number[] = [];
let text = "";
for (let i = 0; i < Number(roundsArg); i++) {
  const t0 = performance.now();
  text = await once();
  ms.push(performance.now() - t0);
}
clearInterval(sampler);
console.log(JSON.stringify({ ms, text, peakRss: peakRss() }));
Deno.exit(0);
