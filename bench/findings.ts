/**
 * What profiling found behind each target when it is missed: CPU profiles
 * (`deno run --cpu-prof`) of each scenario's clients, self time summed by
 * package and by function, and A/B runs. Shown in BENCHMARKS.md under a
 * missed target only. The profiles were taken on the shared two-core machine
 * under load (load average 3-4): their absolute times are inflated, their
 * proportions are what matters.
 *
 * @module
 */

/** scenario -> findings, one Markdown list item each. */
export const FINDINGS: Record<string, string[]> = {
  "generate": [
    "- **The plugin's margin over `genkit-raw` is small and mostly not its JavaScript.** In " +
    "alternating standalone runs (3,000 calls each, machine under load) `genkit-raw` took " +
    "1,136-1,161 µs and the plugin 1,167-1,227 µs a call: 30-65 µs more (3-6 %). A CPU " +
    "profile of 5,050 calls of each splits the difference: the plugin's own JavaScript about " +
    "50 µs a call in self time (reading the answer's envelope and `JSON.parse` 10 µs, the " +
    "model runner 4 µs, the request body, URL and headers 3 µs, messages 3 µs, config " +
    "checks 4 µs, the deadline watchdog 3 µs); `fetch` with an `AbortSignal` about 20 µs " +
    "more than raw-fetch's plain `fetch` (`op_fetch_send` 106 vs 51 ms, `Request` and " +
    "`Headers` 110 vs 62 ms over the run); Genkit's own work on the plugin's larger response " +
    "(usage, finish message, custom field written into two trace spans) 30 µs; garbage " +
    "collection 22 µs. The abort signal and the watchdog are what cancellation and `timeoutMs` " +
    "cost; the rest is Genkit's.",
    "- The peers' own costs are computed the same way over their raw floors; a figure within " +
    "tens of µs is inside the run-to-run spread on a shared machine.",
  ],
  "generate-c64": [
    "- **The client's CPU is the limit**: with 64 in flight each figure is the client's CPU " +
    "per request, so the plugin pays what `generate` lists (without the watchdog's churn: " +
    "with requests in flight its interval stays up).",
  ],
  "stream": [
    "- **A 2,000-event stream's total is noise-dominated on a shared machine.** Identical " +
    "standalone runs of 40 streams measured `genkit-raw` at 48 and 74 ms and the plugin at 88 " +
    "and 106 ms; under the profiler, the plugin 56 ms and `genkit-raw` 84 ms. The profile of " +
    "60 streams puts the plugin's own per-event work at about 2 µs an event (its SSE reader " +
    "`#event` 244 ms, `emit` 90 ms, `sseBatches` 81 ms, re-arming the stall timer 33 ms, " +
    "over 120,000 events), against raw-fetch's `TextDecoderStream` + `eventsource-parser` " +
    "loop, whose web-streams overhead is larger (`06_streams.js` 4.7 s vs 3.6 s of self time).",
    "- The first chunk: with the emulator pacing tokens, the plugin's time to the first " +
    "chunk is the model's first-token delay plus one request's set-up; the same as " +
    "`genkit-raw`'s within a millisecond when the machine is quiet.",
  ],
  "image": [
    "- **The emulator's own work is most of every call** (about 0.9 s of a 1 s call under " +
    "load: it decodes the 5.6 MB `image_b64` with `atob`, judges the body against the " +
    "published schema and draws the 1182 × 1182 answer), and every client waits for it " +
    "alike: the times differ by less than the run-to-run spread.",
    "- **The plugin's own work** (CPU profile of 9 calls): decoding the prompt's data URL " +
    "(`fromBase64`, 8 ms a call), encoding the answer's data URL (as raw-fetch does), and two " +
    "wastes, now fixed in `src/`: it encoded the decoded source again for `image_b64` (12 ms " +
    "a call and a second 5.6 MB string: the data URL's own base64 is now sent when it is " +
    "canonical, see `MediaBytes.base64`), and it ran a regular expression over the whole data " +
    "URL to read its media type (2 ms a call for 5.6 MB: `declaredType` now reads the header " +
    "only).",
    "- **Memory**: Genkit alone (`genkit-raw`) peaks about 200 MB above raw-fetch: it writes " +
    "the request and the response, data URLs included, into its trace spans with " +
    "`JSON.stringify` (three strings of at least the payload per call) and collects them " +
    "later. The plugin's peak is within a few MB of `genkit-raw`'s.",
  ],
  "transcribe": [
    "- **Genkit's own cost is most of the call.** The file travels as a 33 MB data URL; " +
    "Genkit writes it into its trace spans with `JSON.stringify` three times a call, for the " +
    "plugin's model and for `genkit-raw`'s alike (counted: three strings over 1 MB per call " +
    "each), about 3.5 s and 2.9 s of self time in `metadataToAttributes` over 7 calls of " +
    "each under load.",
    "- **The plugin's own work**: decoding the data URL (`fromBase64`, 60-80 ms a call for " +
    "33 MB, as `genkit-raw`'s runner does) and, until fixed now, a regular expression over " +
    "the whole data URL to read its media type (`declaredType`, 19 ms a call: it now reads " +
    "the header only). The bytes sent are the file's (`bytes_sent`).",
    "- `cloudflare-ai` needs `mediaDownloads: { maxBytes }` raised for a 25 MB file: the " +
    "plugin caps every media part of a prompt at 10 MiB by default, inline data included.",
  ],
  "worker-bundle": [
    "- **Size: the plugin bundles all of itself.** The example Worker's source map holds 96 " +
    "of the plugin's files, 797 KiB of source, whatever the Worker calls: `cloudflareAI()` " +
    "registers every family, so nothing is tree-shaken. The largest is " +
    "`src/definitions/facts.ts` (199 KiB: the published definition facts of every model), " +
    "then the text family (75 KiB), the client (59), Vectorize (53), image (39), batch (38), " +
    "transcription (31), CLEF (29) and downloads (26). Loading families and the definitions " +
    "table on demand (a dynamic `import()` per family, which wrangler keeps in the bundle " +
    "but does not evaluate at start) is the way under 60 KB; it restructures `src/` and is " +
    "left to the module's owners.",
    "- **Start**: most of a start is workerd's and Genkit's (a trivial Worker starts in " +
    "0.25-0.5 s in Miniflare, the Genkit-only bundle in 1.2-2 s on this machine). The " +
    "plugin's Worker added about 200-240 ms a start in paired rounds. Imported by Deno " +
    "instead (six alternating imports of each bundle), the same two bundles take 476 and " +
    "432 ms (medians): 45 ms added, of which the plugin's own top-level code is about 20 ms " +
    "in a CPU profile (the definitions table, option schemas and catalogs built at import); " +
    "the rest is parsing and compiling its 535 KiB of bundled JavaScript; workerd's start " +
    "grows with it by more than Deno's import does. A smaller bundle (above) is what would " +
    "shorten the start.",
  ],
  "cold-start": [
    "- **The module's import grew with the families added this round.** It now loads 102 " +
    "local modules, 861 KB of source (against 65 files and 400 KB when the target was last " +
    "met). A CPU profile of the import puts its top-level JavaScript at about 20 ms under " +
    "load (the definitions table `src/definitions/facts.ts`, option schemas built at import: " +
    "`options.ts` `settingsFrom`, the catalogs' `rangesOf`, `wire_options.ts` " +
    "`optionSchema`, `text/derive.ts`); the rest is loading and compiling the modules. " +
    "Lazy loading of the families (a dynamic `import()` when a family's model is first " +
    "resolved) would take most of it off the start; it restructures `src/` and is left to " +
    "the module's owners.",
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
    "the same requests), so its margin over raw-fetch is mostly that step, which the plugin " +
    "cannot skip. In quiet runs it has been 1.04x raw-fetch; under load it lands either side " +
    "of the 1.10x line.",
  ],
  "embed-ratelimited": [
    "- **The pause runs from the refusal, not from the window.** A window opens with its " +
    "first request; at 4 in flight its 40 requests take a few hundred ms (more on a loaded " +
    "machine), the next one is refused with `Retry-After: 1` (whole seconds) and the plugin " +
    "pauses every batch for 1 s from then. The next window opens when the pause ends, so each " +
    "window costs 1 s plus the time its budget took to spend: about 4 × (1 s + fill) + fill " +
    "for 5 windows, against the floor's 4 s + one service time. Peers that retry each refused " +
    "request after its `Retry-After` lose the same fill time per window.",
    "- **The concurrency halves on every rate-limit event** and grows back by about one per " +
    "round of successes, so after each pause the next window's budget is spent more slowly, " +
    "which lengthens the fill time. With a fixed window the budget is whole again after the " +
    "pause, so the halving costs time and saves no refusal.",
    "- **Measured with patched copies of the plugin** (fresh emulator and warm-up as here, " +
    "two runs each, on a quiet machine): as it is, 6.40-6.45 s (1.6x the floor); without the " +
    "halving, 6.42-6.69 s; resuming at the window's estimated end (when the first request " +
    "after the previous pause was sent, plus `Retry-After`, plus 50 ms) instead of " +
    "`Retry-After` after the refusal, 4.71-4.75 s; that and no halving, 4.74-4.79 s; the " +
    "same with a 10 ms margin, 4.55-4.60 s (1.13-1.14x, inside the target). Every variant " +
    "sent 206-213 requests (at most 1.07x the minimum). What remains is the last window's " +
    "fill at 4 in flight (about 0.3 s) and the margins.",
  ],
};
