/**
 * `BENCHMARKS.md`, generated from the results of a run.
 *
 * @module
 */
import { EMBED_CONCURRENCY, FLOORS, FRAMEWORK_FLOOR, IMPLEMENTATIONS } from "./common.ts";
import { describeLimited, LIMITED_IMPLS } from "./embed_ratelimited.ts";
import { IMAGE_DOC, IMAGE_FINDINGS } from "./image.ts";
import type { Settings } from "./scenarios.ts";
import { CLIENTS, OWN_COST_METRICS, ownCost, type Scenarios, type TargetCheck } from "./targets.ts";

/** The contents of `bench/results.json`. */
export interface Results {
  /** Runtime and its version. */
  runtime: string;
  /** When the run started (ISO 8601). */
  date: string;
  /** Logical CPUs. */
  cpus: number;
  /** scenario -> implementation -> metric -> value. */
  scenarios: Scenarios;
}

/** What the report needs besides the results. */
export interface ReportContext {
  /** The results written to `bench/results.json`. */
  results: Results;
  /** The targets, checked. */
  targets: TargetCheck[];
  /** The iteration counts used. */
  settings: Settings;
  /** A line describing the machine. */
  machine: string;
  /** scenario -> implementation -> why it was not measured. */
  skipped: Record<string, Record<string, string>>;
  /** scenario -> implementation -> what was wrong with its results. */
  problems: Record<string, Record<string, string>>;
  /** scenario -> implementation -> a note under the table (e.g. why a run failed). */
  notes?: Record<string, Record<string, string>>;
  /** Seconds the whole run took. */
  seconds: number;
}

const PLUGIN = "cloudflare-ai";

interface ScenarioDoc {
  title: string;
  what: (s: Settings) => string;
  /** `ratio: false`: no "÷ cloudflare-ai" column for it. */
  metrics: { key: string; label: string; higherIsBetter?: boolean; ratio?: false }[];
  rows: readonly string[];
}

/** The rows of the embedding scenarios: the text floors have no embedder. */
const EMBED_ROWS = IMPLEMENTATIONS.filter((i) =>
  i === "genkit-floor" || !(FLOORS as readonly string[]).includes(i)
);

const SCENARIOS: Record<string, ScenarioDoc> = {
  "generate": {
    title: "generate",
    what: (s) =>
      "One non-streaming chat request with a short reply (`@cf/meta/llama-3.1-8b-instruct-fast`, " +
      `about 15 tokens), one at a time. Latency per request over ${s.generateRounds} requests ` +
      `per implementation, after ${s.generateWarmup} warm-up requests each. Lower is better. ` +
      "The three floors answer in process with no network: what each framework costs alone.",
    metrics: [{ key: "median_us", label: "median µs" }, {
      key: "p99_us",
      label: "p99 µs",
    }],
    rows: IMPLEMENTATIONS,
  },
  "generate-c64": {
    title: "generate-c64",
    what: (s) =>
      `The same request with ${s.c64Concurrency} in flight: requests per second over ` +
      `${s.c64Requests} requests, median of ${s.c64Rounds} trials per implementation. ` +
      "Higher is better. The floors have no network to wait for: their figure is the " +
      "framework's CPU cost per request.",
    metrics: [{ key: "rps", label: "requests/s", higherIsBetter: true }],
    rows: IMPLEMENTATIONS,
  },
  "stream": {
    title: "stream",
    what: (s) =>
      `One streamed reply of about ${s.streamWords.toLocaleString("en-US")} server-sent events ` +
      `(a ${s.streamWords}-word prompt echoed one word per event). Total time until the whole ` +
      "reply has reached the caller, and time to the first text chunk; medians of " +
      `${s.streamRounds} streams per implementation. Lower is better. The floors' first ` +
      "chunk does not compare: their in-process models emit every chunk at once.",
    metrics: [{ key: "total_ms", label: "total ms" }, {
      key: "ttfc_ms",
      label: "first chunk ms",
    }],
    rows: IMPLEMENTATIONS,
  },
  "embed-10k": {
    title: "embed-10k",
    what: (s) =>
      `${s.embedTexts.toLocaleString("en-US")} short texts embedded with ` +
      "`@cf/baai/bge-base-en-v1.5` (768 dimensions, at most 100 texts per request), against a " +
      "second emulator that adds 20 ms of service time to every request. Median of " +
      `${s.embedRounds} runs per implementation. Lower is better. Every implementation runs ` +
      `${EMBED_CONCURRENCY} requests at a time (the plugin's default \`embedConcurrency\`); ` +
      "each one's batch size is its own (see the implementations above): `langchain`'s 50 " +
      "makes twice as many requests.",
    metrics: [{ key: "total_ms", label: "total ms" }],
    rows: EMBED_ROWS,
  },
  "embed-ratelimited": {
    title: "embed-ratelimited",
    what: (s) =>
      describeLimited(s) + " Each implementation runs alone against a fresh emulator " +
      "process, after a warm-up of one batch and a pause longer than the window (so that it " +
      "starts with the whole budget), with its own retry settings at their defaults and the " +
      "concurrency of " +
      "`embed-10k`; every HTTP request it makes is counted at its `fetch`, refused ones " +
      "included (`refused`: answered 429; `bench/count_check.ts` checks these counts against " +
      `the emulator's own records). ${
        s.limitedRounds === 1 ? "One run" : `The run of median time, of ${s.limitedRounds},`
      } per implementation. \`failed\` is 1 when the call failed. \`budget-floor\` is ` +
      "computed, not run: the budget's windows back to back with every request accepted at " +
      "the first try, plus one service time.",
    metrics: [
      { key: "total_ms", label: "total ms" },
      { key: "requests_sent", label: "requests sent" },
      { key: "refused", label: "refused", ratio: false },
      { key: "failed", label: "failed", ratio: false },
    ],
    rows: [...LIMITED_IMPLS, "budget-floor"],
  },
  "cold-start": {
    title: "cold-start",
    what: (s) =>
      "A fresh `deno run` process that imports genkit and creates an app (`genkit-only`), " +
      "against one that also imports this module and creates the plugin (`cloudflare-ai`): " +
      `wall time from spawn to exit, median of ${s.coldRounds} processes each, alternating. ` +
      "Lower is better.",
    metrics: [{ key: "ms", label: "ms" }],
    rows: ["genkit-only", "cloudflare-ai"],
  },
  image: IMAGE_DOC,
};

/** How each implementation is driven, for the reader. */
const HOW = [
  "- `raw-fetch`: hand-written `fetch` + `JSON.parse` on the REST endpoint " +
  "(`/ai/run/<model>`); streams through `TextDecoderStream` + `eventsource-parser` + " +
  "`JSON.parse`; embeddings in batches of 100 with 4 requests in flight (the plugin's " +
  "default `embedConcurrency`), and a request refused with 429 waits out its `Retry-After` " +
  "and is sent again (up to 6 attempts), each on its own. No framework: the floor.",
  "- `genkit-floor`: `ai.generate` / `ai.generateStream` / `ai.embedMany` with a model and an " +
  "embedder defined in-process (`ai.defineModel`, `ai.defineEmbedder`) that return the same " +
  "reply with no network: Genkit's own cost.",
  "- `ai-sdk-floor`: the AI SDK's `generateText` / `streamText` (from `ai`, as " +
  "`workers-ai-provider` is called) with the SDK's own mock model (`MockLanguageModelV4` " +
  "from `ai/test`) answering the emulator's reply in process, one text delta per token: the " +
  "AI SDK's own cost.",
  "- `langchain-floor`: `invoke` / `stream` on a LangChain chat model that answers the " +
  "emulator's reply in process: the smallest subclass of `SimpleChatModel` (the base class " +
  "of `ChatCloudflareWorkersAI`), streaming one `ChatGenerationChunk` per token with " +
  "`handleLLMNewToken`, as that class does: LangChain's own cost.",
  "- `cloudflare-ai`: this module (`cloudflareAI()` with `baseUrl` set to the emulator), " +
  "through `ai.generate`, `ai.generateStream` and `ai.embedMany` (default options: " +
  "`embedConcurrency` 4, `maxRetries` 2 per batch, `Retry-After` honoured, the batches of " +
  "one call sharing a pause and an adaptive concurrency when rate limited).",
  "- `compat-oai`: `@genkit-ai/compat-oai` on the emulator's OpenAI-compatible " +
  "`/ai/v1/chat/completions` and `/ai/v1/embeddings`. It drops `maxOutputTokens`, so the " +
  "stream passes `max_tokens` as a pass-through config key. `ai.embedMany` sends all texts in " +
  "one request and the endpoint takes at most 100, so the suite calls it once per 100 texts, " +
  "4 calls at a time, as user code would. Its OpenAI client retries a request twice, " +
  "waiting the `Retry-After` it is given.",
  "- `workers-ai-provider`: Cloudflare's provider for the Vercel AI SDK (`generateText`, " +
  "`streamText`, `embedMany` from `ai`). Its REST client hard-codes the Cloudflare API host; " +
  "its `fetch` option (the provider's hook for proxies) rewrites that prefix to the emulator. " +
  "Its embedding model is given `maxEmbeddingsPerCall: 100` (it assumes 3,000, more than the " +
  "API takes) and `embedMany` `maxParallelCalls: 4` (by default it sends every batch at " +
  "once). The AI SDK retries each batch twice, waiting the `Retry-After` it is given.",
  "- `langchain`: `@langchain/cloudflare` with `@langchain/core`. `ChatCloudflareWorkersAI` " +
  "takes a `baseUrl` and uses the global `fetch`; it sends only `{messages, stream}` and has " +
  "no `max_tokens` option, so for the stream the suite adds `max_tokens` to its request body " +
  "in a global `fetch` wrapper (else the reply stops at the API's default 256 tokens; the " +
  "wrapper's parse and re-serialisation are charged to it). `CloudflareWorkersAIEmbeddings` " +
  "accepts only a Workers binding (`env.AI`), which does not exist outside a Worker; it is " +
  "given a minimal REST stand-in (`run()` = `fetch` + `JSON.parse`, written in the suite; " +
  "like a binding's, its errors carry no status or headers) and `maxConcurrency: 4` (its " +
  "`AsyncCaller` sends every batch at once by default). It sends batches of 50, twice the " +
  "requests of the others: its `batchSize` option is declared but not read by the class. Its " +
  "`AsyncCaller` retries a batch up to 6 times with exponential backoff (1 s, doubling, " +
  "randomised up to 2x), holding its concurrency slot while it waits.",
];

/**
 * What profiling found behind each target when it is missed (CPU profiles of
 * each scenario, and A/B runs of these scenarios with a patched copy of the
 * plugin interleaved with the current one). Shown only for missed targets.
 */
const FINDINGS: Record<string, string[]> = {
  "generate": [
    "- **`genkit-floor` understates what Genkit costs around a real request.** On a quiet " +
    "machine a Genkit model whose runner is raw-fetch's own code (`fetch` + `JSON.parse`, " +
    "nothing else) took about 137 µs per call more than raw-fetch alone (123 µs of CPU), " +
    "while genkit-floor's in-process model takes about 90 µs. Genkit's async-context " +
    "bookkeeping (its `AsyncLocalStorage` context entered again on every promise reaction " +
    "of the `fetch`) and its tracing run around every wait on a real network call; a model " +
    "that answers at once has little of it. The own-cost method charges that difference, " +
    "about 45 µs, to the Genkit clients (the plugin and compat-oai).",
    "- **What the plugin adds over that Genkit-over-fetch model: about 45-50 µs per call** " +
    "(wall and CPU alike, interleaved runs; the committed and the current `src/` measure the " +
    "same). A CPU profile splits it into: the plugin's own JavaScript about 20 µs (reading " +
    "the answer with its envelope checks and `JSON.parse` 6 µs, the messages 3 µs, the " +
    "client, request body, URL and deadline about 8 µs); `fetch` with an `AbortSignal` about " +
    "10 µs (a larger `op_fetch` and the signal's listeners); the deadline watchdog about " +
    "5 µs (with one request at a time its interval is created and cleared on every request, " +
    "each a node-compat `Timeout`); Genkit's own work for this model beyond the minimal one " +
    "about 12 µs (looking up a plugin-namespaced model key, serialising the larger response " +
    "into its spans); the URL parsed twice (`rest.runUrl` made a `URL`, `fetch` parses it " +
    "again) 1-2 µs, since fixed: a model's run URL is now checked once and kept; the rest " +
    "garbage collection. The watchdog's churn stays: its interval must stop with the last " +
    "deadline, so that no timer outlives a call.",
    "- The peers' own costs are about 30-50 µs (langchain's chat client is little more than " +
    "a `fetch`), so the plugin's own cost is level with workers-ai-provider's only once " +
    "Genkit's I/O share is set aside; being no higher than every peer's needs the items above " +
    "cut (the abort signal's cost above all) and the floor question settled.",
  ],
  "generate-c64": [
    "- **The client's CPU is the limit**: with 64 in flight each figure is the client's CPU " +
    "per request. The plugin pays what `generate` lists (without the watchdog's churn: with " +
    "requests in flight its interval stays up), and Genkit pays its async-context and tracing " +
    "work around every network wait, which `genkit-floor` does not show (see `generate`). The " +
    "half-of-raw-fetch line sits within the run-to-run spread (0.46-0.55 across runs).",
  ],
  "stream": [
    "- **Own costs of a stream are tenths of a ms in 20-30 ms**: the plugin's and langchain's " +
    "are within noise of each other and of zero, either side from run to run, and the total " +
    "is within the limit. They can come out below zero: a client's per-chunk work overlaps " +
    "the emulator producing the next events, which raw-fetch's total spends waiting, while " +
    "the floors' in-process models have no such wait. Compare the clients with each other " +
    "rather than with zero, over several runs.",
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
  "transcribe": [
    "- **Genkit's own cost is above the line by itself.** The file travels as a 13 MB data " +
    "URL in the prompt, and Genkit writes every action's input into its trace spans with " +
    "`JSON.stringify` (`metadataToAttributes`): in a CPU profile of 16 calls, 23 ms a call " +
    "with genkit-floor's in-process model and 37 ms with the plugin's model, of the plugin's " +
    "73 ms a call. genkit-floor alone is 1.3x raw-fetch's whole request in that profile, so " +
    "no Genkit model comes within 1.15x of a bare `fetch` of the bytes.",
    "- The plugin's own work is decoding the data URL (`fromBase64`, about 3 ms) and sending " +
    "the bytes as raw-fetch does (`bytes_sent` is the file's size).",
  ],
  "cold-start": [
    "- **The module's import grew with the task families being added.** Timed inside one " +
    "process on a quiet machine, importing the module takes 10.5-12.7 ms and creating the " +
    "plugin 1.5 ms after genkit's own 190-210 ms; the last committed module imports in " +
    "6.8-7.1 ms. The module now loads 65 files (about 400 KB of source, against 36 files and " +
    "240 KB) for every family at import. Whole processes add scheduling and file-system " +
    "time on top and vary by 5-10 ms from run to run (far more under load).",
    "- Not in this scenario (which only creates the app) but in a fresh process's first " +
    "request: the plugin's lazy initialisation defines every family's models, building their " +
    "config schemas and converting them to JSON schema, about 19 ms on a busy machine.",
  ],
  image: IMAGE_FINDINGS,
};

function fmt(n: number): string {
  if (!Number.isFinite(n)) return "–";
  if (n >= 1000) return n.toLocaleString("en-US", { maximumFractionDigits: 0 });
  if (n >= 100) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function table(name: string, doc: ScenarioDoc, ctx: ReportContext): string[] {
  const s = ctx.results.scenarios[name];
  const skipped = ctx.skipped[name] ?? {};
  const lines = [
    `## ${doc.title}`,
    "",
    doc.what(ctx.settings),
    "",
    `| implementation | ${
      doc.metrics.map((m) => m.ratio === false ? m.label : `${m.label} | ÷ ${PLUGIN}`).join(" | ")
    } |`,
    `| --- | ${doc.metrics.map((m) => m.ratio === false ? "---:" : "---: | ---:").join(" | ")} |`,
  ];
  for (const impl of doc.rows) {
    const v = s?.[impl];
    if (!v) {
      const why = skipped[impl] ?? "not measured";
      const rest = doc.metrics.map((m) => m.ratio === false ? "–" : "– | –").join(" | ")
        .slice("– | ".length);
      lines.push(`| \`${impl}\` | *not measured: ${why}* | ${rest} |`);
      continue;
    }
    const cells = doc.metrics.map((m) => {
      if (m.ratio === false) return Number.isInteger(v[m.key]) ? String(v[m.key]) : fmt(v[m.key]);
      const base = s?.[PLUGIN]?.[m.key];
      const ratio = base === undefined || v[m.key] === undefined
        ? "–"
        : `${(v[m.key] / base).toFixed(2)}x`;
      return `${fmt(v[m.key])} | ${ratio}`;
    });
    const label = impl === PLUGIN ? `**\`${impl}\`**` : `\`${impl}\``;
    const flag = ctx.problems[name]?.[impl] ? " (wrong results, see below)" : "";
    lines.push(`| ${label}${flag} | ${cells.join(" | ")} |`);
  }
  for (const [impl, what] of Object.entries(ctx.problems[name] ?? {})) {
    lines.push("", `**\`${impl}\` ${what}.** Its time is shown but does not count.`);
  }
  for (const [impl, what] of Object.entries(ctx.notes?.[name] ?? {})) {
    lines.push("", `\`${impl}\` ${what}.`);
  }
  const notes = Object.entries(skipped).filter(([impl]) =>
    !doc.rows.includes(impl) && !(FLOORS as readonly string[]).includes(impl)
  );
  for (const [impl, why] of notes) lines.push("", `\`${impl}\`: ${why}`);
  lines.push("");
  return lines;
}

/** A scenario this file has no description of (another module's): its figures as they are. */
function genericDoc(name: string, s: Scenarios[string]): ScenarioDoc {
  const keys = [...new Set(Object.values(s).flatMap((m) => Object.keys(m)))];
  const known = (IMPLEMENTATIONS as readonly string[]).filter((i) => s[i]);
  const others = Object.keys(s).filter((i) => !known.includes(i));
  return {
    title: name,
    what: () => `Figures of \`${name}\` as measured (see \`bench/\` for how).`,
    metrics: keys.map((key) => ({ key, label: key })),
    rows: [...known, ...others],
  };
}

/** The own-cost table: what each client adds over raw-fetch and its framework's floor. */
function ownCostTable(ctx: ReportContext): string[] {
  const scenarios = ctx.results.scenarios;
  const cols = (Object.keys(OWN_COST_METRICS) as (keyof typeof OWN_COST_METRICS)[])
    .filter((k) => scenarios[k]);
  if (cols.length === 0) return [];
  const label = (k: keyof typeof OWN_COST_METRICS) => `${k} (${OWN_COST_METRICS[k].unit})`;
  const lines = [
    "## Own cost",
    "",
    "What each client adds by itself: its figure minus `raw-fetch`'s (the HTTP and JSON work " +
    "any client does) minus its own framework's floor (`genkit-floor` under `cloudflare-ai` " +
    "and `compat-oai`, `ai-sdk-floor` under `workers-ai-provider`, `langchain-floor` under " +
    "`langchain`). `generate`: median µs per request; `stream`: median total ms; " +
    "`generate-c64`: time per request `1/rps` (µs) minus the raw-fetch and floor times per " +
    "request. Each term is a median of its own runs, so a figure within a few µs (or a " +
    "fraction of a ms) of zero, either side, is noise.",
    "",
    `| client | framework floor | ${cols.map(label).join(" | ")} |`,
    `| --- | --- | ${cols.map(() => "---:").join(" | ")} |`,
  ];
  for (const client of CLIENTS) {
    const cells = cols.map((k) => {
      const c = ownCost(scenarios, k, client);
      return c === undefined ? "–" : fmtSigned(c.value);
    });
    const name = client === PLUGIN ? `**\`${client}\`**` : `\`${client}\``;
    lines.push(`| ${name} | \`${FRAMEWORK_FLOOR[client]}\` | ${cells.join(" | ")} |`);
  }
  lines.push("");
  return lines;
}

function fmtSigned(n: number): string {
  const a = Math.abs(n);
  const text = a >= 100 ? a.toFixed(0) : a >= 10 ? a.toFixed(1) : a.toFixed(2);
  return n < 0 ? `−${text}` : text;
}

/** Renders `BENCHMARKS.md`. */
export function renderReport(ctx: ReportContext): string {
  const { results, targets, settings } = ctx;
  const verdict = (t: TargetCheck) =>
    t.met === undefined ? "not measured" : t.met ? "**met**" : "**missed**";
  const out: string[] = [
    "# Benchmarks",
    "",
    "<!-- Generated by `deno task bench` (bench/run.ts) from bench/results.json. " +
    "Change the suite, not this file. -->",
    "",
    `Run on ${results.date}: ${results.runtime}, ${results.cpus} CPUs (${ctx.machine}). ` +
    `The whole run took ${ctx.seconds.toFixed(0)} s.`,
    "",
    "## How to rerun",
    "",
    "```sh",
    "deno task bench            # every scenario; writes bench/results.json and this file",
    "deno task bench --quick    # far fewer iterations, to check the suite; writes nothing",
    "deno task bench --only=generate,stream   # some scenarios; writes nothing",
    "deno task bench embed-ratelimited        # the same, by bare name",
    "```",
    "",
    "The peers are development dependencies of `bench/` only (its own `deno.json`); the " +
    "module's own imports do not include them. The first run installs them into " +
    "`bench/node_modules/`.",
    "",
    "## How it is measured",
    "",
    "- Every implementation talks to the same Workers AI emulator (this module's " +
    "`src/testing/`), started by the suite as a separate process on 127.0.0.1 so that its CPU " +
    "time is not charged to the clients, and stopped at the end. `embed-10k` uses a second " +
    "emulator process that adds 20 ms of service time per request; `embed-ratelimited` " +
    "starts a fresh one per implementation that also enforces a rate limit " +
    "(`--rate-limit`), so that every implementation starts with the whole budget.",
    "- The implementations run in one process, interleaved: one round runs each of them once, " +
    "and the first of the round rotates from round to round. Each is warmed up first. Every " +
    "figure is a median (p99 where stated) over the rounds.",
    "- Each warm-up checks the answer (the emulator's reply is deterministic), so every " +
    "implementation does the same work.",
    "- Ratios are each figure divided by `cloudflare-ai`'s: below 1 is less time (or, for " +
    "requests/s, less throughput) than the plugin.",
    "",
    "### The implementations",
    "",
    ...HOW,
    "",
    "## Targets",
    "",
    "| scenario | target | verdict | figures |",
    "| --- | --- | --- | --- |",
    ...targets.map((t) => `| ${t.scenario} | ${t.target} | ${verdict(t)} | ${t.detail} |`),
    "",
  ];
  out.push(...ownCostTable(ctx));
  for (const [name, doc] of Object.entries(SCENARIOS)) {
    out.push(...table(name, doc, ctx));
  }
  // Scenarios of other modules (registered in run.ts), after the ones described here.
  for (const [name, s] of Object.entries(results.scenarios)) {
    if (!SCENARIOS[name]) out.push(...table(name, genericDoc(name, s), ctx));
  }

  const missed = targets.filter((t) => t.met === false || t.met === undefined);
  out.push("## What holds back the missed targets", "");
  out.push(
    "The notes below come from CPU profiles of each scenario and from interleaved runs of " +
      "these scenarios with patched copies of the plugin; figures quoted in them are from " +
      "those runs, not from the tables above.",
    "",
  );
  if (missed.length === 0) out.push("Every target is met.", "");
  for (const t of missed) {
    out.push(
      `### ${t.scenario}: ${t.met === undefined ? "not measured" : "missed"}`,
      "",
    );
    out.push(`Target: ${t.target}. Measured: ${t.detail}.`, "");
    const findings = FINDINGS[t.scenario];
    if (findings) out.push(...findings, "");
  }
  void settings;
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}
