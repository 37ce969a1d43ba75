/**
 * The scenarios. Each runs every implementation interleaved in this process
 * (one round = each implementation once, the starting one rotating from round
 * to round) after a warm-up, and reports medians.
 *
 * @module
 */
import {
  EMBED_DIMS,
  EMBED_TEXTS,
  expectedReply,
  type Impl,
  longPrompt,
  SHORT_PROMPT,
  shortTexts,
} from "./common.ts";
import { median, percentile, rotate, round } from "./stats.ts";

/** Metric values of one implementation in one scenario. */
export type Metrics = Record<string, number>;
/** Metric values of every implementation measured in one scenario. */
export type ScenarioResult = Record<string, Metrics>;

/** Iteration counts. */
export interface Settings {
  /** `generate`: warm-up requests per implementation. */
  generateWarmup: number;
  /** `generate`: measured requests per implementation. */
  generateRounds: number;
  /** `generate-c64`: requests in flight. */
  c64Concurrency: number;
  /** `generate-c64`: requests per trial. */
  c64Requests: number;
  /** `generate-c64`: warm-up trials per implementation. */
  c64Warmup: number;
  /** `generate-c64`: measured trials per implementation. */
  c64Rounds: number;
  /** `stream`: words of the prompt (the reply echoes them, one event each). */
  streamWords: number;
  /** `stream`: warm-up streams per implementation. */
  streamWarmup: number;
  /** `stream`: measured streams per implementation. */
  streamRounds: number;
  /** `stream`, paced (time to first chunk): warm-up streams per implementation. */
  pacedWarmup: number;
  /** `stream`, paced (time to first chunk): measured streams per implementation. */
  pacedRounds: number;
  /** `embed-10k`: texts. */
  embedTexts: number;
  /** `embed-10k`: texts of the warm-up run. */
  embedWarmupTexts: number;
  /** `embed-10k`: measured runs per implementation. */
  embedRounds: number;
  /** `embed-ratelimited`: texts. */
  limitedTexts: number;
  /** `embed-ratelimited`: measured runs per implementation. */
  limitedRounds: number;
  /** `cold-start`: warm-up processes per variant. */
  coldWarmup: number;
  /** `cold-start`: measured processes per variant. */
  coldRounds: number;
  /** `image`: measured requests per client (after one warm-up). */
  imageRounds: number;
  /** `transcribe`: measured requests per client (after one warm-up). */
  transcribeRounds: number;
  /** `worker-bundle`: measured starts per bundle. */
  workerStarts: number;
  /** `embed-batch`: passages. */
  batchTexts: number;
}

/** The settings of a full run (about three minutes on two cores). */
export const FULL: Settings = {
  generateWarmup: 300,
  generateRounds: 3000,
  c64Concurrency: 64,
  c64Requests: 1280,
  c64Warmup: 1,
  c64Rounds: 9,
  streamWords: 2000,
  streamWarmup: 3,
  streamRounds: 41,
  pacedWarmup: 1,
  pacedRounds: 11,
  embedTexts: EMBED_TEXTS,
  embedWarmupTexts: 1000,
  embedRounds: 5,
  limitedTexts: 20_000,
  limitedRounds: 3,
  coldWarmup: 2,
  coldRounds: 21,
  imageRounds: 9,
  transcribeRounds: 5,
  workerStarts: 9,
  batchTexts: 100_000,
};

/** Much smaller counts, to check that the suite works end to end. */
export const QUICK: Settings = {
  generateWarmup: 20,
  generateRounds: 100,
  c64Concurrency: 64,
  c64Requests: 256,
  c64Warmup: 1,
  c64Rounds: 2,
  streamWords: 2000,
  streamWarmup: 1,
  streamRounds: 3,
  pacedWarmup: 1,
  pacedRounds: 3,
  embedTexts: EMBED_TEXTS,
  embedWarmupTexts: 200,
  embedRounds: 1,
  limitedTexts: 6_000,
  limitedRounds: 1,
  coldWarmup: 1,
  coldRounds: 2,
  imageRounds: 3,
  transcribeRounds: 2,
  workerStarts: 2,
  batchTexts: 10_000,
};

/** Progress output. */
export type Log = (line: string) => void;

function check(ok: boolean, impl: string, what: string): void {
  if (!ok) throw new Error(`${impl}: ${what}`);
}

/** `generate`: one short non-streaming request at a time. */
export async function generate(
  impls: Impl[],
  s: Settings,
  log: Log,
): Promise<ScenarioResult> {
  const want = expectedReply(SHORT_PROMPT);
  for (const impl of impls) {
    for (let i = 0; i < s.generateWarmup; i++) {
      const text = await impl.generate(SHORT_PROMPT);
      if (i === 0) {
        check(
          text === want,
          impl.name,
          `unexpected reply ${JSON.stringify(text)}`,
        );
      }
    }
  }
  const samples = new Map<string, number[]>(impls.map((i) => [i.name, []]));
  const tenth = Math.max(1, Math.floor(s.generateRounds / 10));
  for (let r = 0; r < s.generateRounds; r++) {
    for (const impl of rotate(impls, r)) {
      const t0 = performance.now();
      await impl.generate(SHORT_PROMPT);
      samples.get(impl.name)!.push((performance.now() - t0) * 1000);
    }
    if ((r + 1) % tenth === 0) log(`  round ${r + 1}/${s.generateRounds}`);
  }
  return Object.fromEntries(
    impls.map((impl) => {
      const us = samples.get(impl.name)!;
      return [impl.name, {
        median_us: round(median(us)),
        p99_us: round(percentile(us, 99)),
      }];
    }),
  );
}

async function c64Trial(impl: Impl, s: Settings): Promise<number> {
  let left = s.c64Requests;
  const lane = async () => {
    while (left > 0) {
      left--;
      await impl.generate(SHORT_PROMPT);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: s.c64Concurrency }, lane));
  return s.c64Requests / ((performance.now() - t0) / 1000);
}

/** `generate-c64`: the same request with 64 in flight; requests per second. */
export async function generateC64(
  impls: Impl[],
  s: Settings,
  log: Log,
): Promise<ScenarioResult> {
  for (const impl of impls) {
    for (let i = 0; i < s.c64Warmup; i++) await c64Trial(impl, s);
  }
  const samples = new Map<string, number[]>(impls.map((i) => [i.name, []]));
  for (let r = 0; r < s.c64Rounds; r++) {
    for (const impl of rotate(impls, r)) {
      samples.get(impl.name)!.push(await c64Trial(impl, s));
    }
    log(`  round ${r + 1}/${s.c64Rounds}`);
  }
  return Object.fromEntries(
    impls.map((
      impl,
    ) => [impl.name, { rps: round(median(samples.get(impl.name)!), 0) }]),
  );
}

/**
 * `stream`: one long streamed reply from an emulator that sends every event
 * at once; total time until the whole reply has reached the caller (what the
 * client spends per event). The time to the first chunk is measured apart,
 * on a paced emulator ({@link firstChunk}).
 */
export async function stream(
  impls: Impl[],
  s: Settings,
  log: Log,
): Promise<ScenarioResult> {
  const prompt = longPrompt(s.streamWords);
  const want = expectedReply(prompt);
  const maxTokens = s.streamWords + 100;
  const once = async (impl: Impl) => {
    let first = NaN;
    let deltas = 0;
    const t0 = performance.now();
    const text = await impl.stream(prompt, maxTokens, () => {
      if (deltas++ === 0) first = performance.now();
    });
    const total = performance.now() - t0;
    check(
      text.length === want.length,
      impl.name,
      `stream gave ${text.length} characters`,
    );
    return { total, ttfc: first - t0, deltas, text };
  };
  for (const impl of impls) {
    for (let i = 0; i < s.streamWarmup; i++) {
      const { text, deltas } = await once(impl);
      if (i === 0) {
        check(text === want, impl.name, "unexpected streamed reply");
        // Incremental delivery; an implementation may merge events that arrive together.
        check(deltas >= 100, impl.name, `only ${deltas} chunks`);
      }
    }
  }
  const totals = new Map<string, number[]>(impls.map((i) => [i.name, []]));
  const firsts = new Map<string, number[]>(impls.map((i) => [i.name, []]));
  const step = Math.max(1, Math.floor(s.streamRounds / 4));
  for (let r = 0; r < s.streamRounds; r++) {
    for (const impl of rotate(impls, r)) {
      const { total, ttfc } = await once(impl);
      totals.get(impl.name)!.push(total);
      firsts.get(impl.name)!.push(ttfc);
    }
    if ((r + 1) % step === 0) log(`  round ${r + 1}/${s.streamRounds}`);
  }
  return Object.fromEntries(
    impls.map((impl) => [impl.name, {
      total_ms: round(median(totals.get(impl.name)!), 2),
      unpaced_ttfc_ms: round(median(firsts.get(impl.name)!), 3),
    }]),
  );
}

/**
 * How the paced emulator of `stream`'s time to first chunk answers, as a
 * real model streams: the headers at once, the first token after
 * {@link PACED_FIRST_TOKEN_MS}, then one token every {@link PACED_TOKEN_MS}.
 */
export const PACED_FIRST_TOKEN_MS = 50;
/** The paced emulator's interval between two tokens (100 tokens a second). */
export const PACED_TOKEN_MS = 10;

/** The emulator flags of the paced emulator. */
export const PACED_EMULATOR_ARGS = [
  "--stream-first-event-delay-ms",
  String(PACED_FIRST_TOKEN_MS),
  "--stream-event-delay-ms",
  String(PACED_TOKEN_MS),
];

/**
 * `stream`, paced: the short prompt streamed (about 15 tokens) by the paced
 * emulator; the time from the call to the first text chunk reaching the
 * caller (`ttfc_ms`) and to the end of the stream (`paced_total_ms`).
 */
export async function firstChunk(
  impls: Impl[],
  s: Settings,
  log: Log,
): Promise<ScenarioResult> {
  const want = expectedReply(SHORT_PROMPT);
  const once = async (impl: Impl) => {
    let first = NaN;
    const t0 = performance.now();
    const text = await impl.stream(SHORT_PROMPT, 256, () => {
      if (Number.isNaN(first)) first = performance.now();
    });
    const total = performance.now() - t0;
    check(text === want, impl.name, `paced stream gave ${JSON.stringify(text)}`);
    return { total, ttfc: first - t0 };
  };
  for (const impl of impls) {
    for (let i = 0; i < s.pacedWarmup; i++) await once(impl);
  }
  const totals = new Map<string, number[]>(impls.map((i) => [i.name, []]));
  const firsts = new Map<string, number[]>(impls.map((i) => [i.name, []]));
  const step = Math.max(1, Math.floor(s.pacedRounds / 4));
  for (let r = 0; r < s.pacedRounds; r++) {
    for (const impl of rotate(impls, r)) {
      const { total, ttfc } = await once(impl);
      totals.get(impl.name)!.push(total);
      firsts.get(impl.name)!.push(ttfc);
    }
    if ((r + 1) % step === 0) log(`  paced round ${r + 1}/${s.pacedRounds}`);
  }
  return Object.fromEntries(
    impls.map((impl) => [impl.name, {
      ttfc_ms: round(median(firsts.get(impl.name)!), 3),
      paced_total_ms: round(median(totals.get(impl.name)!), 2),
    }]),
  );
}

/** Reference vectors for some texts, straight from the API. */
export type Reference = (texts: string[]) => Promise<number[][]>;

/** Indices of the vectors compared with the reference: both ends and some in between. */
function sampleIndices(n: number): number[] {
  return [...new Set([0, 1, 99, 100, 101, Math.floor(n / 2), n - 101, n - 1])]
    .filter((i) => i >= 0 && i < n);
}

/**
 * `embed-10k`: many short texts against an endpoint that adds service time
 * per request. The warm-up run of every implementation but `genkit-floor`
 * (whose vectors are made up) is compared with the API's own vectors for a
 * sample of texts: a mismatch (e.g. batches out of order) goes to `problems`.
 */
export async function embed10k(
  impls: Impl[],
  s: Settings,
  log: Log,
  reference: Reference,
  problems: Record<string, string>,
): Promise<ScenarioResult> {
  const texts = shortTexts(s.embedTexts);
  const warm = texts.slice(0, s.embedWarmupTexts);
  const picks = sampleIndices(warm.length);
  const expected = await reference(picks.map((i) => warm[i]));
  const once = async (impl: Impl, input: string[]) => {
    const t0 = performance.now();
    const vectors = await impl.embed!(input);
    const ms = performance.now() - t0;
    check(vectors.length === input.length, impl.name, `${vectors.length} vectors`);
    check(
      vectors[0].length === EMBED_DIMS && vectors[vectors.length - 1].length === EMBED_DIMS,
      impl.name,
      "wrong dimensions",
    );
    return { ms, vectors };
  };
  for (const impl of impls) {
    const { vectors } = await once(impl, warm);
    if (impl.name === "genkit-floor") continue;
    const wrong = picks.filter((i, k) =>
      vectors[i].some((x, d) => Math.abs(x - expected[k][d]) > 1e-9)
    );
    if (wrong.length > 0) {
      problems[impl.name] = `returned the wrong vectors for texts ${wrong.join(", ")} ` +
        `of ${warm.length} (e.g. batches out of order)`;
      log(`  WRONG RESULT ${impl.name}: ${problems[impl.name]}`);
    }
  }
  const samples = new Map<string, number[]>(impls.map((i) => [i.name, []]));
  for (let r = 0; r < s.embedRounds; r++) {
    for (const impl of rotate(impls, r)) {
      samples.get(impl.name)!.push((await once(impl, texts)).ms);
    }
    log(`  round ${r + 1}/${s.embedRounds}`);
  }
  return Object.fromEntries(
    impls.map((impl) => [impl.name, { total_ms: round(median(samples.get(impl.name)!), 1) }]),
  );
}

const COLD_START_SCRIPTS = {
  "genkit-only": new URL("./cold_start/genkit_only.ts", import.meta.url),
  "cloudflare-ai": new URL("./cold_start/cloudflare_ai.ts", import.meta.url),
};

async function coldStartOnce(script: URL): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", script.href],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!out.success) {
    throw new Error(
      `${script.pathname} failed: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return ms;
}

/** `cold-start`: a fresh process that imports genkit and creates an app, with and without the plugin. */
export async function coldStart(
  s: Settings,
  log: Log,
): Promise<ScenarioResult> {
  const variants = Object.entries(COLD_START_SCRIPTS);
  for (let i = 0; i < s.coldWarmup; i++) {
    for (const [, script] of variants) await coldStartOnce(script);
  }
  const samples = new Map<string, number[]>(
    variants.map(([name]) => [name, []]),
  );
  for (let r = 0; r < s.coldRounds; r++) {
    for (const [name, script] of rotate(variants, r)) {
      samples.get(name)!.push(await coldStartOnce(script));
    }
  }
  log(`  ${s.coldRounds} processes each`);
  return Object.fromEntries(
    variants.map((
      [name],
    ) => [name, { ms: round(median(samples.get(name)!), 1) }]),
  );
}
