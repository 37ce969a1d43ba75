/**
 * Load probes of the plugin against the emulator in its own process:
 * 1000 concurrent `generate` calls through one plugin, and 200 concurrent
 * streams of about 500 events each. Prints failures and wall time; it asserts
 * nothing about speed (that is the benchmark suite's job).
 *
 *   deno run -A bench/probe.ts
 *
 * @module
 */
import { genkit } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { startEmulatorProcess } from "./emulator.ts";

await using emu = await startEmulatorProcess();
const ai = genkit({
  promptDir: null,
  plugins: [cloudflareAI({ accountId: emu.accountId, apiToken: emu.apiToken, baseUrl: emu.url })],
});
const model = cloudflareAI.model("@cf/meta/llama-3.1-8b-instruct-fast");

async function probe(name: string, count: number, one: (i: number) => Promise<void>) {
  const started = performance.now();
  const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => one(i)));
  const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
  const ms = performance.now() - started;
  console.log(`${name}: ${count} calls, ${failed.length} failed, ${ms.toFixed(0)} ms`);
  if (failed.length > 0) console.log(`  first failure: ${failed[0].reason}`);
}

await probe("generate x1000 concurrent", 1000, async (i) => {
  const { text } = await ai.generate({ model, prompt: `hello ${i}` });
  if (!text.includes(`hello ${i}`)) throw new Error(`wrong answer: ${text}`);
});

// The emulator streams one event per word of its answer, which echoes the prompt.
const words = Array.from({ length: 490 }, (_, i) => `w${i}`).join(" ");
let events = 0;
await probe("stream x200 concurrent, ~500 events each", 200, async () => {
  const { stream, response } = ai.generateStream({
    model,
    prompt: words,
    config: { maxOutputTokens: 1000 },
  });
  let chunks = 0;
  for await (const _ of stream) chunks++;
  await response;
  events += chunks;
  if (chunks < 490) throw new Error(`only ${chunks} chunks`);
});
console.log(`  ${(events / 200).toFixed(0)} chunks a stream on average`);
