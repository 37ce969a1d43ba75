/**
 * What profiling found behind each target when it is missed: CPU profiles
 * (`deno run --cpu-prof`) of each scenario's clients, self time summed by
 * package and by function, and A/B runs. Shown in BENCHMARKS.md under a
 * missed target only. Most profiles were taken on the shared two-core machine
 * under load: their absolute times are inflated, their proportions are what
 * matters.
 *
 * @module
 */

/** scenario -> findings, one Markdown list item each. */
export const FINDINGS: Record<string, string[]> = {
  "generate": [
    "- **What was cut this round** (CPU profiles of 5,000 calls, A/B against the same " +
    "driver): the deadline watchdog no longer sets and clears an interval per call (it stays " +
    "up, unref'd, while calls follow each other: 20-30 µs a call), the request ids are " +
    "written into the call's record instead of a copied object, messages are translated " +
    "without a closure per part, the model's refusal notes are made once, and the binding " +
    "answer class is not made at import. The own cost over `genkit-raw` went from 112 to 74 " +
    "µs a call.",
    "- **`fetch` with an `AbortSignal` is 22 µs of the rest** (A/B in one process, 2,000 " +
    "alternating calls: the plugin 682 µs, the plugin with the signal taken off its `fetch` " +
    "660 µs, `genkit-raw` 618 µs): Deno's `Request` makes a signal that follows the given " +
    "one. The signal is what ends a request on `timeoutMs` or when the caller cancels it, " +
    "and there is no other way to stop an HTTP request in flight, so it stays.",
    "- **Genkit's validation of the model's config schema** costs 6 µs (the same A/B with " +
    "`genkit-raw` given the plugin's `TextConfigSchema`: 624 vs 618 µs). The plugin's own " +
    "JavaScript, with `fetch` replaced by an in-process answer, is 15-20 µs a call over " +
    "`genkit-raw`'s runner: reading the answer's envelope 8 µs, the config check 4 µs, the " +
    "request body 3 µs, the deadline 2-4 µs. The remainder is Genkit's work on the plugin's " +
    "richer answer (usage, `custom.cfRay`) and garbage collection.",
    "- The peers' own costs are computed the same way over their raw floors; a figure within " +
    "tens of µs is inside the run-to-run spread on a shared machine: the same build measured " +
    "1.04x to 1.10x `genkit-raw` in the A/B driver, 1.14-1.19x in five full runs of the " +
    "suite.",
  ],
  "generate-c64": [
    "- **The requests/s target is met; the own-cost comparison is within noise.** With 64 in " +
    "flight each figure is the client's CPU per request. Over five full runs of the suite " +
    "the plugin's own cost was 6 to 13 µs a request over `genkit-raw`, " +
    "workers-ai-provider's -20 to 20 µs over `ai-sdk-raw` and langchain's -16 to 8 µs over " +
    "`langchain-raw`: the spread of 9 trials is wider than what each client adds (a " +
    "negative figure is a client measured faster than its own floor).",
  ],
  "stream": [
    "- The SSE reader decodes with a streaming `TextDecoder` on each read (one stream stage " +
    "less than a piped `TextDecoderStream`: about 1.2 µs an event on a 2,000-event stream) " +
    "and builds each chunk in one step. A 2,000-event stream's total is noise-dominated on a " +
    "shared machine (identical runs of `genkit-raw` measured 48 and 74 ms).",
    "- The first chunk: with the emulator pacing tokens, the plugin's time to the first " +
    "chunk is the model's first-token delay plus one request's set-up; the same as " +
    "`genkit-raw`'s within a millisecond when the machine is quiet.",
  ],
  "image": [
    "- **The emulator's own work is most of every call** (it decodes the 5.6 MB " +
    "`image_b64`, judges the body against the published schema and draws the 1182 × 1182 " +
    "answer), and every client waits for it alike.",
    "- **Memory**: Genkit alone (`genkit-raw`) peaks about 200 MB above raw-fetch: it writes " +
    "the request and the response, data URLs included, into its trace spans with " +
    "`JSON.stringify` (three strings of at least the payload per call) and collects them " +
    "later, when its garbage collector runs, so each process's high-water mark depends on " +
    "when that happens: over five full runs of the suite this round `genkit-raw` peaked at " +
    "499-546 MB, the plugin at 526-528 MB (15-19 MB below `genkit-raw` in two runs, 20-28 " +
    "MB above it in the three where `genkit-raw` peaked lowest).",
    "- **What the plugin adds**: its process holds the plugin's modules (code, the " +
    "definitions table, every family's config schemas: its idle footprint after set-up is " +
    "about 9 MB above `genkit-raw`'s), and per call it decodes the 4 MB source once to check " +
    "it (magic numbers, size) although it sends the data URL's own base64: what the calls " +
    "add over set-up (`added_mb`) is 12 MB above `genkit-raw`'s in the run of record. " +
    "Checking the source from its base64 without decoding it would save the 4 MB; not done.",
  ],
  "transcribe": [
    "- **Genkit's own cost is most of the call.** The file travels as a 33 MB data URL; " +
    "Genkit writes it into its trace spans with `JSON.stringify` three times a call " +
    "(`metadataToAttributes`), for the plugin's model and for `genkit-raw`'s alike, and " +
    "keeps about 95 MB of heap per call.",
    "- **Inside the runner both do the same work**: one `fromBase64` of the data URL and " +
    "one `fetch` of the bytes. Decoding takes 3-5 ms when freed memory is reused and 70-100 " +
    "ms when the 25 MB buffer lands on new pages (about 11 µs a page on this machine), which " +
    "is what makes single runs of either client differ by tens of ms.",
    "- Over five full runs the plugin measured 0.99x to 1.14x `genkit-raw`: the spread of 5 " +
    "calls is wider than the difference.",
    "- `cloudflare-ai` needs `mediaDownloads: { maxBytes }` raised for a 25 MB file: the " +
    "plugin caps every media part of a prompt at 10 MiB by default, inline data included.",
  ],
  "worker-bundle": [
    "- **Size: the plugin bundles all of itself.** Built on its own (esbuild, `genkit` " +
    "external, minified) the module is 312 KB, 70 KB gzip: `cloudflareAI()` serves every " +
    "task family (any model id resolves at run time), so a Worker carries all of them " +
    "whatever it calls. By directory, minified: the definitions table 129 KB (7 KB gzip: " +
    "the published facts of 111 models compress well), text 24 KB, the client 19, " +
    "Vectorize 15, batch 13, image 11, transcription 9, Clef 9, downloads 9, embeddings " +
    "7, AI Search 5, Markdown 5. 60 KB would take a build that leaves out the families a " +
    "Worker does not use (an entry point per family, or families passed to the plugin), an " +
    "API change not made here. Both Workers are now built with `minify = true` (a third of " +
    "the size; unminified the plugin added 101 KiB gzip).",
    "- **Start: it grows with the code's size.** workerd compiles the whole bundle when an " +
    "isolate starts: Genkit's 1.6 MB take most of a second here, and the plugin's 320 KB " +
    "add 130-240 ms (five runs), in line with their size. The plugin's own top-level code is about 20 " +
    "ms of that (Deno's CPU profile of the import: option schemas built from the published " +
    "definitions, the definitions table, the catalogs). Unminified the plugin added 178 ms.",
  ],
  "cold-start": [
    "- **Where the time goes**: the import loads 97 local modules (830 KB of source). A CPU " +
    "profile puts the plugin's own top-level JavaScript at about 20 ms (the config schemas " +
    "every family exports, built from the published definitions: `wire_options.ts` 6 ms; " +
    "the definitions table 2.7 ms; the catalogs; creating the plugin 4 ms); the rest is " +
    "loading and compiling the modules: a single-file bundle of the same code (esbuild, " +
    "`genkit` external) imports about 30 ms sooner than the 97 files.",
    "- **Loading families with `import()` makes Deno's start slower, not faster** " +
    "(measured): with the family runners, the batch queue and the retrieval actions behind " +
    "dynamic imports (81 modules loaded at start instead of 97), the cold start grew by " +
    "about 100 ms. Deno prepares every statically analyzable dynamic import of the program's " +
    "graph at start-up, in rounds that each resolve the npm packages again under a lock on " +
    "`node_modules` (20 such rounds against 1, in its debug log). The change was not kept.",
    "- What would meet the target: fewer modules (a single-file build for Deno) and config " +
    "schemas made on first use; the exported `*ConfigSchema` values make the second an API " +
    "change. The binding answer class is no longer made at import (a `Response` subclass " +
    "at module scope loaded Deno's fetch code: 4 ms).",
  ],
  "embed-batch": [
    "- Poll answers carry whole submissions (100 items of 100 vectors, about 150 MB of JSON " +
    "each), so the batch path spends its time parsing them; its requests are what the target " +
    "counts.",
  ],
  "embed-10k": [
    "- **Genkit's validation of the output is on the critical path.** After the last batch " +
    "Genkit checks the whole output (10,000 vectors of 768 numbers) against the embedder's " +
    "schema before `embedMany` returns; `genkit-floor` (no network at all) spends 0.35-0.45 s " +
    "on that and on its bookkeeping. The plugin's batches run as raw-fetch's do (4 in flight, " +
    "the same requests), so its margin over raw-fetch is mostly that step. Full runs of the " +
    "suite this round measured 0.98x to 1.17x raw-fetch: the spread of 5 runs on a shared " +
    "machine is wider than the margin.",
  ],
  "embed-ratelimited": [
    "- **Where a refused round resumes**: the pacer bounds the window's start by the round's " +
    "first request (sent) and first answer (received), takes the window's length in whole " +
    "seconds from the refusal's `Retry-After`, and resumes at the first answer plus that " +
    "length, never after the `Retry-After` itself: each window boundary costs about one " +
    "request's latency (42-58 ms in a probe's timeline) and no second round of refusals.",
    "- **What remains over the floor is mostly Genkit's**: the computed floor has no client " +
    "CPU, but after the last answer Genkit checks and records the 20,000 vectors before " +
    "`embedMany` returns (`genkit-floor`, an in-process embedder with no network at all, " +
    "takes about 0.8 s for 10,000 texts in `embed-10k`). The rest is the first request's " +
    "start (about 60 ms) and one request's latency per window boundary (4 of them). The " +
    "plugin's runs this round measured 4.80 to 5.00 s (1.14x to 1.19x of the floor).",
  ],
};
