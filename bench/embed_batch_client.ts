/**
 * One path of the `embed-batch` scenario, in a process of its own (its
 * 100,000 vectors are its own memory): `deno run -A bench/embed_batch_client.ts
 * <path> <texts>` with the rate-limited emulator's address in
 * `BENCH_EMULATOR` (`{url, accountId, apiToken}`). `cloudflare-ai-batch`
 * embeds the texts through the async batch queue in one `cf.embedBatch()`
 * call; `cloudflare-ai` through the synchronous path, `ai.embedMany` with
 * the plugin's defaults, in calls of {@link SYNC_CALL_TEXTS} texts (see
 * there). Every HTTP request the plugin makes goes through a counting
 * `fetch`. After a warm-up of one batch and a pause longer than the rate
 * limit's window, the measured run prints one JSON line: `ms`, `sent`,
 * `refused`, `failed` (the number of texts without a vector), `error` (the
 * first failure's message, if any), `vectors` and `digest` (FNV-1a over
 * every vector's float64 bytes, in input order).
 *
 * @module
 */
import { genkit } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { EMBED_MODEL, shortTexts } from "./common.ts";
import { countingFetch } from "./embed_ratelimited.ts";

/**
 * Texts per `ai.embedMany` call of the synchronous path. Genkit writes an
 * action's whole output into its trace with one `JSON.stringify`, and a
 * string cannot pass 2^29 characters: 100,000 vectors of 768 full-precision
 * numbers are about 1.5 GB of JSON, so one call of them all fails
 * (`RangeError: Invalid string length`) after every request has been sent.
 * A Genkit app embeds such a corpus in calls of at most about 30,000 texts.
 */
export const SYNC_CALL_TEXTS = 10_000;

const [path, textsArg] = Deno.args;
const ep = JSON.parse(Deno.env.get("BENCH_EMULATOR")!) as {
  url: string;
  accountId: string;
  apiToken: string;
  windowMs: number;
};
const texts = shortTexts(Number(textsArg));
const counter = countingFetch();
const cf = cloudflareAI({
  accountId: ep.accountId,
  apiToken: ep.apiToken,
  baseUrl: ep.url,
  fetch: counter.fetch,
});
const ai = genkit({ promptDir: null, plugins: [cf] });
const embedder = cloudflareAI.embedder(EMBED_MODEL);

/** FNV-1a (32-bit) over the float64 bytes of vectors, continued from `h`. */
function digest(vectors: readonly number[][], h: number): number {
  const f = new Float64Array(1);
  const b = new Uint8Array(f.buffer);
  for (const v of vectors) {
    for (const x of v) {
      f[0] = x;
      for (let i = 0; i < 8; i++) h = Math.imul(h ^ b[i], 0x01000193);
    }
  }
  return h >>> 0;
}

/** Embeds `input`: its vectors' digest, how many, and how many failed. */
async function embed(
  input: string[],
): Promise<{ digest: number; vectors: number; failed: number; error?: string }> {
  if (path === "cloudflare-ai-batch") {
    const { items } = await cf.embedBatch({ model: EMBED_MODEL, texts: input });
    const ok = items.filter((i) => i.ok).map((i) => (i.ok ? i.output : []));
    const bad = items.find((i) => !i.ok);
    return {
      digest: digest(ok, 0x811c9dc5),
      vectors: ok.length,
      failed: items.length - ok.length,
      error: bad && !bad.ok ? bad.error.message : undefined,
    };
  }
  if (path === "cloudflare-ai") {
    let h = 0x811c9dc5;
    let vectors = 0;
    for (let i = 0; i < input.length; i += SYNC_CALL_TEXTS) {
      const content = input.slice(i, i + SYNC_CALL_TEXTS);
      try {
        const out = await ai.embedMany({ embedder, content });
        h = digest(out.map((e) => e.embedding), h);
        vectors += out.length;
      } catch (e) {
        return {
          digest: h >>> 0,
          vectors,
          failed: input.length - vectors,
          error: (e as Error).message.split("\n")[0].slice(0, 200),
        };
      }
    }
    return { digest: h >>> 0, vectors, failed: 0 };
  }
  throw new Error(`unknown path ${path}`);
}

await embed(texts.slice(0, 100)); // warm-up: the first call loads and initialises the code
await new Promise((r) => setTimeout(r, ep.windowMs + 100)); // a fresh window
counter.reset();
const t0 = performance.now();
const out = await embed(texts);
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, sent: counter.sent(), refused: counter.refused(), ...out }));
Deno.exit(0);
