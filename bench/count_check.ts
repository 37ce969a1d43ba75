/**
 * Checks how `embed-ratelimited` counts requests: for every implementation it
 * measures, the requests counted at the implementation's `fetch` against the
 * emulator's own records (`emu.requests`, `emu.rateLimited`), with the
 * emulator in this process and a smaller corpus and budget. Prints one line
 * per implementation and exits 1 on a mismatch.
 *
 *   deno run -A bench/count_check.ts
 *
 * @module
 */
import { startEmulator } from "../src/testing/mod.ts";
import { type Endpoint, type ImplFactory, type ImplName, shortTexts } from "./common.ts";
import { countingFetch, LIMITED_IMPLS, LIMITED_TASK } from "./embed_ratelimited.ts";
import { cloudflareAi } from "./impls/cloudflare_ai.ts";
import { compatOai } from "./impls/compat_oai.ts";
import { langchain } from "./impls/langchain.ts";
import { rawFetch } from "./impls/raw_fetch.ts";
import { workersAiProvider } from "./impls/workers_ai_provider.ts";

const FACTORIES: Partial<Record<ImplName, ImplFactory>> = {
  "raw-fetch": rawFetch,
  "cloudflare-ai": cloudflareAi,
  "compat-oai": compatOai,
  "workers-ai-provider": workersAiProvider,
  "langchain": langchain,
};

Deno.env.delete("GENKIT_ENV");
const texts = shortTexts(2_000);
let mismatches = 0;
for (const name of LIMITED_IMPLS) {
  await using emu = await startEmulator({
    serviceTimeMs: 20,
    rateLimits: { [LIMITED_TASK]: { requests: 8, windowMs: 1000 } },
  });
  const counter = countingFetch();
  const ep: Endpoint = {
    url: emu.url,
    accountId: emu.accountId,
    apiToken: emu.apiToken,
    aiBase: `${emu.url}/accounts/${emu.accountId}/ai`,
    fetch: counter.fetch,
  };
  const impl = await FACTORIES[name]!(ep, ep);
  let outcome = "finished";
  try {
    await impl.embed!(texts);
  } catch (e) {
    outcome = `failed (${(e instanceof Error ? e.message : String(e)).split("\n")[0]})`;
  }
  const recorded = emu.requests.length;
  const ok = recorded === counter.sent() && emu.rateLimited === counter.refused();
  if (!ok) mismatches++;
  console.log(
    `${name.padEnd(20)} counted ${counter.sent()} sent / ${counter.refused()} refused; ` +
      `emulator recorded ${recorded} / ${emu.rateLimited}: ${ok ? "same" : "MISMATCH"}; ${outcome}`,
  );
}
Deno.exit(mismatches === 0 ? 0 : 1);
