/**
 * `BENCHMARKS.md`, generated from the results of a run.
 *
 * @module
 */
import {
  ALL_FLOORS,
  EMBED_CONCURRENCY,
  FRAMEWORK_FLOOR,
  IMPLEMENTATIONS,
  IN_PROCESS_FLOOR,
} from "./common.ts";
import { BATCH_PATHS, describeBatch } from "./embed_batch.ts";
import { FINDINGS } from "./findings.ts";
import { describeLimited, LIMITED_IMPLS } from "./embed_ratelimited.ts";
import { IMAGE_DOC } from "./image.ts";
import { PACED_FIRST_TOKEN_MS, PACED_TOKEN_MS, type Settings } from "./scenarios.ts";
import { TRANSCRIBE_DOC } from "./transcribe.ts";
import {
  CLIENTS,
  OWN_COST_METRICS,
  ownCost,
  type OwnCostScenario,
  type Scenarios,
  type TargetCheck,
} from "./targets.ts";

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
  i === "genkit-floor" || !(ALL_FLOORS as readonly string[]).includes(i)
);

const SCENARIOS: Record<string, ScenarioDoc> = {
  "generate": {
    title: "generate",
    what: (s) =>
      "One non-streaming chat request with a short reply (`@cf/meta/llama-3.1-8b-instruct-fast`, " +
      `about 15 tokens), one at a time. Latency per request over ${s.generateRounds} requests ` +
      `per implementation, after ${s.generateWarmup} warm-up requests each. Lower is better. ` +
      "The raw floors (`*-raw`) send raw-fetch's request from each framework's smallest model: " +
      "what each framework costs around the same network call. The in-process floors " +
      "(`*-floor`) answer with no network: what each framework costs alone.",
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
      `(a ${s.streamWords}-word prompt echoed one word per event), the emulator sending every ` +
      "event at once: total time until the whole reply has reached the caller (`total_ms`, " +
      `median of ${s.streamRounds} streams per implementation), what a client spends per event. ` +
      "Then the time to the first chunk (`ttfc_ms`), on a second emulator that paces its " +
      `streams as a model does: the headers at once, the first token ${PACED_FIRST_TOKEN_MS} ms ` +
      `later, then one token every ${PACED_TOKEN_MS} ms; the short prompt of \`generate\` ` +
      "(a reply of about 15 tokens), from the call to the first text delta reaching the " +
      `caller, median of ${s.pacedRounds} streams (\`paced_total_ms\`: to the end of that ` +
      "stream). Lower is better. The in-process floors' first chunk does not compare: their " +
      "models have no token to wait for.",
    metrics: [
      { key: "total_ms", label: "total ms" },
      { key: "ttfc_ms", label: "first chunk ms (paced)" },
      { key: "paced_total_ms", label: "total ms (paced)" },
    ],
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
      "the first try, the last window's requests sent 4 at a time (the scenario's " +
      "concurrency), one service time each round: 10 service times for its 40.",
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
  transcribe: TRANSCRIBE_DOC,
  "worker-bundle": {
    title: "worker-bundle",
    what: (s) =>
      "The example Worker (`examples/worker`: Genkit, this plugin and its routes, as " +
      "`cloudflare-ai`) and a Genkit-only Worker (`bench/worker_bundle`: the same set-up without " +
      "the plugin, as `genkit-only`), each built with the pinned wrangler " +
      "(`wrangler deploy --dry-run --outdir`, tests/workers/package.json), both with " +
      "`minify = true` in their wrangler.toml. `gzip_kb` and " +
      "`upload_kb`: the upload's size as wrangler reports it (KiB). `startup_ms`: from a new " +
      "Miniflare (workerd) with the bundle to the answer of its first request (`GET /`, which " +
      "neither Worker's app serves: the global scope evaluated, no Genkit app made), median " +
      `of ${s.workerStarts} starts of each, the two alternating in one Node process, ` +
      "after one start of each; `startup_added_ms`: the median of each round's difference " +
      "(the plugin's Worker minus the Genkit-only one, started back to back). Most of a start " +
      "is workerd's own and Genkit's; only the difference is the plugin's. Lower is better.",
    metrics: [
      { key: "gzip_kb", label: "gzip KiB" },
      { key: "upload_kb", label: "upload KiB" },
      { key: "startup_ms", label: "startup ms" },
      { key: "startup_added_ms", label: "added ms (paired)", ratio: false },
    ],
    rows: ["genkit-only", "cloudflare-ai"],
  },
  "embed-batch": {
    title: "embed-batch",
    what: (s) => describeBatch(s.batchTexts),
    metrics: [
      { key: "total_ms", label: "total ms" },
      { key: "requests_sent", label: "requests sent" },
      { key: "refused", label: "refused", ratio: false },
      { key: "failed", label: "failed", ratio: false },
      { key: "identical", label: "identical", ratio: false },
    ],
    rows: BATCH_PATHS,
  },
};

/** How each implementation is driven, for the reader. */
const HOW = [
  "- `raw-fetch`: hand-written `fetch` + `JSON.parse` on the REST endpoint " +
  "(`/ai/run/<model>`); streams through `TextDecoderStream` + `eventsource-parser` + " +
  "`JSON.parse`; embeddings in batches of 100 with 4 requests in flight (the plugin's " +
  "default `embedConcurrency`), and a request refused with 429 waits out its `Retry-After` " +
  "and is sent again (up to 6 attempts), each on its own. No framework: the floor.",
  "- `genkit-raw`, `ai-sdk-raw`, `langchain-raw` (the raw floors): each framework's smallest " +
  "model whose body is raw-fetch's code (bench/impls/raw_text.ts: the same request, the same " +
  "`JSON.parse`, the same `TextDecoderStream` + `eventsource-parser` loop), driven as the " +
  "framework's clients are. `genkit-raw`: an `ai.defineModel` runner (v2) that takes the " +
  "last user text, calls raw-fetch's request and hands each streamed delta to `sendChunk`; " +
  "`ai-sdk-raw`: a plain `LanguageModelV4` object whose `doGenerate` is raw-fetch's request " +
  "and whose `doStream` enqueues one `text-delta` part per delta of raw-fetch's stream; " +
  "`langchain-raw`: a `SimpleChatModel` subclass (the base of `ChatCloudflareWorkersAI`) " +
  "whose `_call` is raw-fetch's request and whose `_streamResponseChunks` yields one " +
  "`ChatGenerationChunk` per delta with `handleLLMNewToken`. None reads usage (raw-fetch " +
  "does not). In `image` and `transcribe`, `genkit-raw` (and `ai-sdk-raw` for transcription) " +
  "is the same idea around raw-fetch's media request. What a client costs by itself is its " +
  "figure minus its framework's raw floor.",
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

function fmt(n: number): string {
  if (!Number.isFinite(n)) return "–";
  if (Number.isInteger(n) && Math.abs(n) < 1000) return String(n);
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
    !doc.rows.includes(impl) &&
    !(name === "embed-10k" && (ALL_FLOORS as readonly string[]).includes(impl))
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

/** The own-cost table: what each client adds over its framework's raw floor, and the old line. */
function ownCostTable(ctx: ReportContext): string[] {
  const scenarios = ctx.results.scenarios;
  const cols = (Object.keys(OWN_COST_METRICS) as OwnCostScenario[])
    .filter((k) => scenarios[k === "stream-ttfc" ? "stream" : k]);
  if (cols.length === 0) return [];
  const label = (k: OwnCostScenario) => `${k} (${OWN_COST_METRICS[k].unit})`;
  const lines = [
    "## Own cost",
    "",
    "What each client adds by itself. First line of each client: its figure minus its " +
    "framework's raw floor (`genkit-raw` under `cloudflare-ai` and `compat-oai`, `ai-sdk-raw` " +
    "under `workers-ai-provider`, `langchain-raw` under `langchain`): the framework's " +
    "smallest model sending raw-fetch's request, so that what the framework does around a " +
    "real network call is not charged to the client. Second line (the method before the " +
    "raw floors): its figure minus `raw-fetch`'s minus its framework's in-process floor. " +
    "`generate`: median µs per request; `generate-c64`: time per request `1/rps` (µs); " +
    "`stream`: median total ms; `stream-ttfc`: the paced stream's time to the first chunk " +
    "(ms; no second line: the in-process floors have no first token to wait for). Each term " +
    "is a median of its own runs, so a figure within a few µs (or a fraction of a ms) of " +
    "zero, either side, is noise.",
    "",
    `| client | subtracted | ${cols.map(label).join(" | ")} |`,
    `| --- | --- | ${cols.map(() => "---:").join(" | ")} |`,
  ];
  for (const client of CLIENTS) {
    const name = client === PLUGIN ? `**\`${client}\`**` : `\`${client}\``;
    for (const method of ["raw", "in-process"] as const) {
      const cells = cols.map((k) => {
        const c = ownCost(scenarios, k, client, method);
        return c === undefined ? "–" : fmtSigned(c.value);
      });
      const floor = method === "raw"
        ? `\`${FRAMEWORK_FLOOR[client]}\``
        : `\`raw-fetch\` + \`${IN_PROCESS_FLOOR[client]}\``;
      lines.push(`| ${method === "raw" ? name : ""} | ${floor} | ${cells.join(" | ")} |`);
    }
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
    "(`--rate-limit`), so that every implementation starts with the whole budget; " +
    "`embed-batch` does the same per path, with the async queue. A third emulator process " +
    "paces its streams as a model does (a first-token delay, then a per-token interval: " +
    "`--stream-first-event-delay-ms`, `--stream-event-delay-ms`) for the time to the first " +
    "chunk. `image` and `transcribe` run each client in a process of its own (so that its " +
    "peak memory is its own) against an emulator in the suite's process; `worker-bundle` " +
    "builds two Workers with the pinned wrangler and starts them in workerd (Miniflare).",
    "- Own cost: a client's figure minus its framework's raw floor (`genkit-raw`, " +
    "`ai-sdk-raw`, `langchain-raw`: the framework's smallest model running raw-fetch's own " +
    "code), so that what a framework does around a real network call is charged to the " +
    "framework, not to the client; the earlier method (minus raw-fetch, minus the in-process " +
    "floor) is kept as a second line.",
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
    "The notes below come from CPU profiles (`deno run --cpu-prof`) of each scenario's " +
      "clients, self time summed by package and by function, and from standalone runs; " +
      "figures quoted in them are from those runs, not from the tables above.",
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
