/**
 * `image`: one image generation whose answer is a 2 MB binary PNG
 * (`@cf/stabilityai/stable-diffusion-xl-base-1.0` at 1024 × 651, which the
 * emulator answers as an uncompressed PNG of about 3 bytes a pixel), turned
 * into a data URL, as a Genkit media part carries it. Measured: `cloudflare-ai`
 * (`ai.generate`, the answer's `media.url`); `raw-fetch` (`fetch`,
 * `arrayBuffer`, the runtime's base64); `genkit-floor` (a new data URL of
 * the same image from an in-process model: Genkit's own cost); and `workers-ai-provider`'s
 * image model with the AI SDK's `generateImage`. Each client runs in a
 * process of its own (`image_client.ts`) against an emulator in this
 * process. Reports `total_ms` (the median of the rounds) and the client
 * process's peak resident memory (`peak_mb`), and how much of it the image
 * calls added over the process after set-up (`added_mb`).
 *
 * `workers-ai-provider` over REST (its `fetch` option pointed at the
 * emulator) cannot read a binary answer: its REST client parses every answer
 * as JSON. It is tried that way, and measured through a binding stand-in that
 * answers as `env.AI` does (the PNG's byte stream).
 *
 * Run alone with `deno task bench --only=image`.
 *
 * @module
 */
import { startEmulator } from "../src/testing/mod.ts";
import type { ScenarioResult } from "./scenarios.ts";
import { median, round } from "./stats.ts";

/** The implementations measured, in table order. */
const CLIENTS = ["raw-fetch", "genkit-floor", "cloudflare-ai", "workers-ai-provider"] as const;

/** The model and the size of its answer: 1024 × 651 × 3 bytes of pixels, about 2 MB. */
export const IMAGE_REQUEST = {
  model: "@cf/stabilityai/stable-diffusion-xl-base-1.0",
  width: 1024,
  height: 651,
};

interface ClientReport {
  ms: number[];
  length: number;
  head: string;
  idle: number;
  peak: number;
}

async function runClient(impl: string, rounds: number, env: string): Promise<ClientReport> {
  const child = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--quiet",
      new URL("./image_client.ts", import.meta.url).href,
      impl,
      String(rounds),
    ],
    cwd: new URL("./", import.meta.url),
    env: { BENCH_IMAGE: env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!child.success) {
    const why = new TextDecoder().decode(child.stderr).split("\n").find((l) => /\S/.test(l));
    throw new Error(why ?? `exit code ${child.code}`);
  }
  const text = new TextDecoder().decode(child.stdout).trim();
  return JSON.parse(text.split("\n").at(-1)!) as ClientReport;
}

/**
 * Runs the `image` scenario: `rounds` measured requests per client, after
 * one warm-up. What could not be measured, and why, goes to `skipped`; how
 * an implementation had to be driven, to `notes`.
 */
export async function imageScenario(
  rounds: number,
  log: (line: string) => void,
  skipped: Record<string, string>,
  notes: Record<string, string>,
): Promise<ScenarioResult> {
  await using emu = await startEmulator();
  const env = JSON.stringify({
    url: emu.url,
    accountId: emu.accountId,
    apiToken: emu.apiToken,
    ...IMAGE_REQUEST,
  });
  const out: ScenarioResult = {};
  let bytes = 0;
  for (const impl of CLIENTS) {
    emu.reset();
    if (impl === "workers-ai-provider") {
      try {
        await runClient("workers-ai-provider-rest", 1, env);
        log("  workers-ai-provider over REST worked: measured that way");
      } catch (e) {
        // The first line of its error, printable characters only (the PNG's bytes are in it).
        const why = (e as Error).message.replace(/[^\x20-\x7e]+/g, " ").trim().slice(0, 160);
        notes[impl] = "is measured through a binding stand-in (`run()` = `fetch`, answering " +
          "the PNG's byte stream as `env.AI` does for a binary model): over REST, with its " +
          `\`fetch\` option pointed at the emulator, it fails on the binary answer (${why})`;
        log(`  workers-ai-provider over REST failed: ${why}`);
      }
    }
    let report: ClientReport;
    try {
      report = await runClient(impl, rounds, env);
    } catch (e) {
      skipped[impl] = (e as Error).message.slice(0, 200);
      log(`  SKIPPED ${impl}: ${skipped[impl]}`);
      continue;
    }
    if (!report.head.startsWith("data:image/png;base64,iVBORw0KGgo")) {
      throw new Error(`${impl} answered ${report.head}…, not a PNG data URL`);
    }
    bytes ||= Math.floor((report.length - "data:image/png;base64,".length) * 3 / 4);
    out[impl] = {
      total_ms: round(median(report.ms), 1),
      peak_mb: round(report.peak / 2 ** 20, 1),
      added_mb: round(Math.max(0, report.peak - report.idle) / 2 ** 20, 1),
    };
  }
  log(`  ${bytes} bytes of image/png per answer, ${rounds} rounds per client`);
  return out;
}

/** The scenario's section of BENCHMARKS.md (rendered by report.ts). */
export const IMAGE_DOC = {
  title: "image",
  what: (): string =>
    "One image generation answered with a 2 MB binary PNG (`@cf/stabilityai/" +
    "stable-diffusion-xl-base-1.0` at 1024 × 651; the emulator's PNGs are uncompressed), turned " +
    "into a data URL as a Genkit media part carries it. `raw-fetch`: `fetch`, `arrayBuffer`, the " +
    "runtime's base64; `genkit-floor`: a new data URL of the same image from an in-process " +
    "model each call; " +
    "`workers-ai-provider`: the AI SDK's `generateImage` with its image model. Each client in a " +
    "process of its own against an emulator in the suite's process; median of the rounds after " +
    "one warm-up. `peak_mb` is the client process's peak resident memory, `added_mb` what the " +
    "image calls added to it after set-up. Lower is better.",
  metrics: [
    { key: "total_ms", label: "total ms" },
    { key: "peak_mb", label: "peak MB" },
    { key: "added_mb", label: "added MB" },
  ],
  rows: CLIENTS,
};

/** What profiling found behind the `image` target when it is missed (shown in BENCHMARKS.md). */
export const IMAGE_FINDINGS: string[] = [
  "- **Genkit's own cost is above the line by itself.** `genkit-floor` (a new 2.7 MB data URL " +
  "per call from an in-process model, no network) takes 4-8 ms per call, one to two times " +
  "`raw-fetch`'s whole request: Genkit writes every action's output into its trace spans with " +
  "`JSON.stringify` (the `generate` span and the model action's span: the data URL twice per " +
  "call) and collects the copies. A Genkit model cannot come within 1.20x of a bare `fetch` " +
  "here however little it adds.",
  "- **What the plugin adds over raw-fetch + genkit-floor (1-2 ms in quiet runs):** its own code " +
  "is the base64 of the answer (the runtime's encoder, as raw-fetch's) and a check of its magic " +
  "numbers; its client call alone (no Genkit) measures level with raw-fetch. The rest is " +
  "Genkit's async-context work around a real network read of 2 MB. Figures on a shared " +
  "two-core machine vary by 2x from run to run; compare rows of one run only.",
];
