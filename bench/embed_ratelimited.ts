/**
 * `embed-ratelimited`: a corpus embedded against an emulator that enforces a
 * Text Embeddings budget (HTTP 429, code 3040, `Retry-After` in whole seconds
 * until the fixed window ends). Each implementation runs on its own, against
 * a fresh emulator process, with its own retry settings at their defaults,
 * after a warm-up of one batch and a pause longer than the window; every HTTP
 * request it makes to that emulator is counted, refused ones included.
 * `budget-floor` is what the budget allows at best, computed.
 *
 * @module
 */
import {
  EMBED_BATCH,
  EMBED_CONCURRENCY,
  EMBED_DIMS,
  EMBED_MODEL,
  type Endpoint,
  type Impl,
  type ImplFactory,
  type ImplName,
  shortTexts,
} from "./common.ts";
import { startEmulatorProcess } from "./emulator.ts";
import type { Log, Metrics, Reference, ScenarioResult, Settings } from "./scenarios.ts";
import { median, round } from "./stats.ts";

/** The Workers AI task the budget applies to. */
export const LIMITED_TASK = "Text Embeddings";
/** The budget: at most this many requests per fixed window. */
export const LIMIT_REQUESTS = 40;
/** The budget's window, in milliseconds. */
export const LIMIT_WINDOW_MS = 1000;
/** Service time of the rate-limited emulator per request (as in `embed-10k`). */
export const LIMITED_SERVICE_MS = 20;
/** How long one implementation may take before it counts as failed. */
const DEADLINE_MS = 90_000;

/** The implementations measured: every one that sends requests. */
export const LIMITED_IMPLS: readonly ImplName[] = [
  "raw-fetch",
  "cloudflare-ai",
  "compat-oai",
  "workers-ai-provider",
  "langchain",
];

/**
 * The least time and requests the budget allows for `texts` texts in
 * requests of `batch` with `concurrency` in flight: every request accepted at
 * the first try, each window's budget sent from the moment the window opens,
 * `concurrency` at a time, each answered after one service time (no client or
 * emulator CPU). The last window's requests take one service time per
 * `concurrency` of them: at 4 in flight, 40 requests are 10 service times.
 */
export function budgetFloor(
  texts: number,
  batch = EMBED_BATCH,
  concurrency = EMBED_CONCURRENCY,
): Metrics {
  const requests = Math.ceil(texts / batch);
  const windows = Math.ceil(requests / LIMIT_REQUESTS);
  const last = requests - (windows - 1) * LIMIT_REQUESTS;
  return {
    total_ms: (windows - 1) * LIMIT_WINDOW_MS +
      Math.ceil(last / concurrency) * LIMITED_SERVICE_MS,
    requests_sent: requests,
    refused: 0,
    failed: 0,
  };
}

/** A `fetch` that counts the requests made through it and the 429 answers. */
export function countingFetch(): {
  fetch: typeof fetch;
  sent: () => number;
  refused: () => number;
  reset: () => void;
} {
  let sent = 0;
  let refused = 0;
  const counted: typeof fetch = async (input, init) => {
    sent++;
    const res = await fetch(input, init);
    if (res.status === 429) refused++;
    return res;
  };
  const reset = () => {
    sent = 0;
    refused = 0;
  };
  return { fetch: counted, sent: () => sent, refused: () => refused, reset };
}

/** The first line of an error, for the report. */
function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split("\n")[0];
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

interface Run {
  ms: number;
  sent: number;
  refused: number;
  error?: string;
  wrong?: string;
}

async function runOnce(
  name: ImplName,
  factory: ImplFactory,
  texts: string[],
  picks: number[],
  expected: number[][],
): Promise<Run> {
  await using emu = await startEmulatorProcess(LIMITED_SERVICE_MS, {
    [LIMITED_TASK]: { requests: LIMIT_REQUESTS, windowMs: LIMIT_WINDOW_MS },
  });
  const counter = countingFetch();
  const ep: Endpoint = {
    url: emu.url,
    accountId: emu.accountId,
    apiToken: emu.apiToken,
    aiBase: emu.aiBase,
    fetch: counter.fetch,
  };
  const impl: Impl = await factory(ep, ep);
  if (!impl.embed) throw new Error(`${name} has no embedder: ${impl.embedSkip}`);
  // Warm-up: one batch (the framework's first call loads and initialises
  // its code), then a pause longer than the window, so that the measured run
  // opens a fresh window with the whole budget, as on a fresh emulator.
  await impl.embed(texts.slice(0, EMBED_BATCH));
  await new Promise((r) => setTimeout(r, LIMIT_WINDOW_MS + 100));
  counter.reset();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`did not finish within ${DEADLINE_MS / 1000} s`)),
      DEADLINE_MS,
    );
  });
  const t0 = performance.now();
  try {
    const vectors = await Promise.race([impl.embed(texts), deadline]);
    const ms = performance.now() - t0;
    const run: Run = { ms, sent: counter.sent(), refused: counter.refused() };
    if (vectors.length !== texts.length) {
      run.wrong = `returned ${vectors.length} vectors for ${texts.length} texts`;
    } else if (vectors.some((v, i) => picks.includes(i) && v.length !== EMBED_DIMS)) {
      run.wrong = "returned vectors of the wrong dimensions";
    } else {
      const bad = picks.filter((i, k) =>
        vectors[i].some((x, d) => Math.abs(x - expected[k][d]) > 1e-9)
      );
      if (bad.length > 0) run.wrong = `returned the wrong vectors for texts ${bad.join(", ")}`;
    }
    return run;
  } catch (e) {
    return {
      ms: performance.now() - t0,
      sent: counter.sent(),
      refused: counter.refused(),
      error: firstLine(e),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `embed-ratelimited`. `reference` gives the API's own vectors (from
 * the emulator without a budget) for a sample of texts; a failure or a wrong
 * answer is written to `notes` / `problems` under the implementation's name.
 */
export async function embedRatelimited(
  factories: Readonly<Record<ImplName, ImplFactory>>,
  s: Settings,
  log: Log,
  reference: Reference,
  notes: Record<string, string>,
  problems: Record<string, string>,
): Promise<ScenarioResult> {
  const texts = shortTexts(s.limitedTexts);
  const n = texts.length;
  const picks = [...new Set([0, 99, 100, Math.floor(n / 2), n - 101, n - 1])]
    .filter((i) => i >= 0 && i < n);
  const expected = await reference(picks.map((i) => texts[i]));
  const runs = new Map<ImplName, Run[]>(LIMITED_IMPLS.map((name) => [name, []]));
  for (let r = 0; r < s.limitedRounds; r++) {
    for (const name of LIMITED_IMPLS) {
      const run = await runOnce(name, factories[name], texts, picks, expected);
      runs.get(name)!.push(run);
      log(
        `  ${name}: ${(run.ms / 1000).toFixed(2)} s, ${run.sent} requests ` +
          `(${run.refused} refused)${run.error ? `, FAILED: ${run.error}` : ""}` +
          `${run.wrong ? `, WRONG RESULT: ${run.wrong}` : ""}`,
      );
    }
    if (s.limitedRounds > 1) log(`  round ${r + 1}/${s.limitedRounds}`);
  }
  const out: ScenarioResult = {};
  for (const name of LIMITED_IMPLS) {
    const all = runs.get(name)!;
    // The run of median time stands for the implementation, its counts with it.
    const ms = median(all.map((x) => x.ms));
    const run = all.reduce((a, b) => (Math.abs(b.ms - ms) < Math.abs(a.ms - ms) ? b : a));
    const failures = all.filter((x) => x.error);
    if (failures.length > 0) {
      notes[name] = `failed in ${failures.length} of ${all.length} runs: ${failures[0].error}`;
    }
    const wrong = all.find((x) => x.wrong);
    if (wrong) problems[name] = wrong.wrong!;
    out[name] = {
      total_ms: round(run.ms, 0),
      requests_sent: run.sent,
      refused: run.refused,
      failed: run.error ? 1 : 0,
    };
  }
  out["budget-floor"] = budgetFloor(n);
  return out;
}

/** What the report says about the scenario's set-up. */
export function describeLimited(s: Settings): string {
  const requests = Math.ceil(s.limitedTexts / EMBED_BATCH);
  return `${s.limitedTexts.toLocaleString("en-US")} short texts (${requests} requests of ` +
    `${EMBED_BATCH}) embedded with \`${EMBED_MODEL}\` against an emulator that adds ` +
    `${LIMITED_SERVICE_MS} ms of service time per request and enforces a ` +
    `\`"${LIMITED_TASK}"\` budget of ${LIMIT_REQUESTS} requests per ${LIMIT_WINDOW_MS} ms ` +
    "fixed window (the window opens at its first request; requests over the budget are " +
    "answered 429, code 3040, with `Retry-After` in whole seconds until it closes).";
}
