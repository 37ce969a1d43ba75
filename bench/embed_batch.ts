/**
 * `embed-batch`: 100,000 short passages embedded with `@cf/baai/bge-base-en-v1.5`
 * through the async batch queue (`cloudflare-ai-batch`: `cf.embedBatch()`,
 * the plugin's defaults: 100 texts a queued item, 100 items a submission,
 * polls from 1 s apart, doubling while nothing finishes) and through the
 * synchronous path (`cloudflare-ai`: `ai.embedMany`, 100 texts a request, 4
 * in flight), each against a fresh emulator process under the same rate
 * limit as `embed-ratelimited` (which counts a submission and a poll as one
 * request each) and a queue that takes {@link QUEUE_DELAY_MS} per submission.
 * Each path runs in a process of its own (`embed_batch_client.ts`).
 * Reports `total_ms`, `requests_sent` (every HTTP request, refused ones
 * included), `refused`, `failed` (texts without a vector) and `identical`
 * (1 when the path's vectors are bit for bit the synchronous path's).
 *
 * @module
 */
import { startEmulatorProcess } from "./emulator.ts";
import {
  LIMIT_REQUESTS,
  LIMIT_WINDOW_MS,
  LIMITED_SERVICE_MS,
  LIMITED_TASK,
} from "./embed_ratelimited.ts";
import type { Log, ScenarioResult } from "./scenarios.ts";
import { round } from "./stats.ts";

/** How long the emulated queue takes from a submission to its results. */
export const QUEUE_DELAY_MS = 2_000;

/** The paths measured, in table order. */
export const BATCH_PATHS = ["cloudflare-ai", "cloudflare-ai-batch"] as const;

interface PathReport {
  ms: number;
  sent: number;
  refused: number;
  failed: number;
  error?: string;
  vectors: number;
  digest: number;
}

async function runPath(path: string, texts: number): Promise<PathReport> {
  await using emu = await startEmulatorProcess(LIMITED_SERVICE_MS, {
    [LIMITED_TASK]: { requests: LIMIT_REQUESTS, windowMs: LIMIT_WINDOW_MS },
  }, ["--queue-delay-ms", String(QUEUE_DELAY_MS)]);
  const child = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--quiet",
      "--v8-flags=--max-old-space-size=8192",
      new URL("./embed_batch_client.ts", import.meta.url).href,
      path,
      String(texts),
    ],
    env: {
      BENCH_EMULATOR: JSON.stringify({
        url: emu.url,
        accountId: emu.accountId,
        apiToken: emu.apiToken,
        windowMs: LIMIT_WINDOW_MS,
      }),
      NO_COLOR: "1",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(child.stdout).trim();
  if (!child.success) {
    throw new Error(`${path} failed: ${new TextDecoder().decode(child.stderr).slice(0, 800)}`);
  }
  return JSON.parse(out.split("\n").at(-1)!) as PathReport;
}

/** Runs `embed-batch` with `texts` passages; a path's failure goes to `notes`. */
export async function embedBatchScenario(
  texts: number,
  log: Log,
  notes: Record<string, string>,
): Promise<ScenarioResult> {
  const reports: Partial<Record<(typeof BATCH_PATHS)[number], PathReport>> = {};
  for (const path of BATCH_PATHS) {
    const r = await runPath(path, texts);
    reports[path] = r;
    log(
      `  ${path}: ${(r.ms / 1000).toFixed(2)} s, ${r.sent} requests (${r.refused} refused), ` +
        `${r.vectors} vectors, ${r.failed} failed${r.error ? `: ${r.error}` : ""}`,
    );
    if (r.error) notes[path] = `left ${r.failed} texts without a vector: ${r.error}`;
  }
  const sync = reports["cloudflare-ai"]!;
  const out: ScenarioResult = {};
  for (const path of BATCH_PATHS) {
    const r = reports[path]!;
    out[path] = {
      total_ms: round(r.ms, 0),
      requests_sent: r.sent,
      refused: r.refused,
      failed: r.failed,
      identical: r.failed === 0 && sync.failed === 0 && r.vectors === texts &&
          r.digest === sync.digest
        ? 1
        : 0,
    };
  }
  return out;
}

/** What the report says about the scenario. */
export function describeBatch(texts: number): string {
  return `${texts.toLocaleString("en-US")} short passages embedded with ` +
    "`@cf/baai/bge-base-en-v1.5` through the async batch queue (`cloudflare-ai-batch`: " +
    "`cf.embedBatch()` with its defaults: 100 texts a queued item, up to 100 items a " +
    "submission, polls from 1 s apart, doubling while nothing finishes) and through the " +
    "synchronous path (`cloudflare-ai`: `ai.embedMany` with the plugin's defaults, 100 texts " +
    "a request, 4 in flight, in calls of 10,000 texts: one call for 100,000 texts fails in " +
    "Genkit after every request has been sent, since its trace writes an action's whole " +
    "output as one JSON string, and 100,000 vectors of 768 numbers are about 1.5 GB of it, " +
    "past a JavaScript string's limit; the batch path is one `embedBatch()` call, which is " +
    "no Genkit action). Each path runs in its own process against a fresh emulator process with the " +
    `rate limit of \`embed-ratelimited\` (${LIMIT_REQUESTS} requests per ${LIMIT_WINDOW_MS} ms, ` +
    `${LIMITED_SERVICE_MS} ms of service time; a submission and a poll count as one request ` +
    `each) and a queue that answers a submission ${QUEUE_DELAY_MS} ms after it is sent, after ` +
    "a warm-up of 100 texts and a pause longer than the window. `requests_sent` counts every " +
    "HTTP request at the plugin's `fetch`, refused ones included; `failed` counts texts " +
    "without a vector; `identical` is 1 when the vectors are bit for bit the synchronous " +
    "path's (a digest of every vector's float64 bytes, in input order).";
}
