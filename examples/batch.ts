/**
 * Workers AI's async batch queue: a background generate (queued, then
 * checked until done), and 10,000 passages embedded in queued batches with
 * their progress printed, stopped by a simulated crash half-way and resumed
 * by a new plugin instance from the saved request ids.
 *
 *   deno run --allow-env --allow-net --allow-read --allow-sys examples/batch.ts [--passages N]
 */
import "./_preflight.ts"; // first: checks permissions before Genkit loads
import { genkit } from "genkit";
import { cloudflareAI } from "../mod.ts"; // in your app: "@x/cloudflare-ai"
import { connect } from "./_connect.ts";

const flag = Deno.args.indexOf("--passages");
const count = flag >= 0 ? Number(Deno.args[flag + 1]) : 10_000;
// The local emulator takes a second and a half to run a queued batch.
await using connection = await connect({ queue: { delayMs: 1500 } });

// 1. One queued generate: ai.generate() returns an operation at once.
const cf = cloudflareAI(connection.options);
const ai = genkit({ promptDir: null, plugins: [cf] });
const model = cloudflareAI.backgroundModel("@cf/qwen/qwen3-30b-a3b-fp8");
let { operation } = await ai.generate({ model, prompt: "Write one line about patience." });
if (!operation) throw new Error("the background model returned no operation");
console.log(`Queued: request_id ${operation.id}`);
while (!operation.done) {
  await new Promise((r) => setTimeout(r, 500));
  operation = await ai.checkOperation(operation); // one poll
  console.log(`  ${operation.metadata?.status}`);
}
if (operation.error) throw new Error(operation.error.message);
console.log(`Answer: ${operation.output?.message?.content.map((p) => p.text ?? "").join("")}`);

// 2. Many passages through the queue, in submissions of up to 20 items of 100 texts.
const embedModel = "@cf/baai/omni-bge-base-en-v1.5";
const passages = Array.from(
  { length: count },
  (_, i) => `Passage ${i}: notes on topic ${i % 97}, section ${Math.floor(i / 97)}.`,
);
let saved = ""; // a real app writes the state to a file or a database
let lastTenth = -1;
let requests = 0; // of the run that crashed
const onProgress = (p: { done: number; total: number; submitted: number; requests: number }) => {
  requests = p.requests;
  const tenth = Math.floor((p.done / p.total) * 10);
  if (tenth !== lastTenth) {
    lastTenth = tenth;
    console.log(
      `  ${p.done}/${p.total} embedded (${p.submitted} submitted, ${p.requests} requests)`,
    );
  }
};

const started = performance.now();
console.log(`Embedding ${count} passages with ${embedModel} through the queue...`);
const crash = new AbortController();
try {
  await cf.embedBatch({
    model: embedModel,
    texts: passages,
    maxItemsPerSubmission: 20,
    pollIntervalMs: 250,
    onProgress,
    onState: (state) => {
      saved = JSON.stringify(state);
      // Simulated crash: the process "dies" once half the passages are submitted.
      if (state.submissions.reduce((n, s) => n + s.count, 0) >= count / 2) crash.abort();
    },
    signal: crash.signal,
  });
  console.log("(the batch finished before the simulated crash)");
} catch (e) {
  const submitted = JSON.parse(saved).submissions.length;
  const status = (e as { status?: string }).status;
  console.log(`Crashed (${status}) after ${requests} requests; ${submitted} request ids saved.`);
}

// A new process: a new plugin instance with only the saved state.
const cf2 = cloudflareAI(connection.options);
genkit({ promptDir: null, plugins: [cf2] });
lastTenth = -1;
const result = await cf2.embedBatch({
  model: embedModel,
  texts: passages,
  state: JSON.parse(saved),
  maxItemsPerSubmission: 20,
  pollIntervalMs: 250,
  onProgress,
});
const seconds = (performance.now() - started) / 1000;
const failed = result.items.filter((i) => !i.ok).length;
const first = result.items[0];
console.log(
  `Resumed: ${result.items.length} vectors in input order (${failed} failed), ` +
    `${result.state.submissions.length} submissions in all (${result.requests.submissions} ` +
    `after the crash), ${result.requests.polls} polls; ${seconds.toFixed(1)} s on the clock.`,
);
console.log(`First vector: ${first.ok ? first.output.slice(0, 4).map((x) => x.toFixed(3)) : "-"}`);
