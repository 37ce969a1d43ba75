/**
 * `image`: one image-to-image request with a 4 MB source image
 * (`@cf/runwayml/stable-diffusion-v1-5-img2img`: the source PNG as
 * `image_b64`, answered with a PNG the size of the source, which the
 * emulator stores uncompressed, so about 4 MB too), the answer turned into a
 * data URL, as a Genkit media part carries it. Measured: `raw-fetch`
 * (`fetch`, `arrayBuffer`, the runtime's base64); `genkit-raw` (Genkit's
 * smallest model whose runner is raw-fetch's request, the base64 taken from
 * the prompt's data URL); `genkit-floor` (an in-process model answering a
 * new data URL of the same image: Genkit's cost with no network); and
 * `cloudflare-ai` (`ai.generate` with the source as a media part, the
 * answer's `media.url`). Each client runs in a process of its own
 * (`image_client.ts`) against an emulator in this process. Reports
 * `total_ms` (the median of the rounds), the client process's peak resident
 * memory (`peak_mb`), how much of it the calls added after set-up
 * (`added_mb`), and the payload (`payload_bytes`, the source image).
 *
 * Run alone with `deno task bench --only=image`.
 *
 * @module
 */
import { encodePng } from "../src/testing/png.ts";
import { startEmulator } from "../src/testing/mod.ts";
import type { ScenarioResult } from "./scenarios.ts";
import { median, round } from "./stats.ts";

/** The implementations measured, in table order. */
const CLIENTS = ["raw-fetch", "genkit-raw", "genkit-floor", "cloudflare-ai"] as const;

/** Why the other implementations of the suite are not in this scenario. */
const NOT_HERE: Record<string, string> = {
  "workers-ai-provider": "not measured: its image model sends no source image (it reads no " +
    "`files`), so it does no image-to-image.",
  "ai-sdk-raw": "not measured: no AI SDK client does image-to-image on Workers AI, so there is " +
    "no own cost to take over it.",
  "langchain-raw": "not measured: LangChain has no image-generation interface.",
};

/** The model and the source image: 1182 × 1182 RGB pixels, about 4 MiB as a stored PNG. */
export const IMAGE_REQUEST = {
  model: "@cf/runwayml/stable-diffusion-v1-5-img2img",
  prompt: "the same lighthouse at dawn",
  side: 1182,
};

/** The source image: a stored (uncompressed) PNG of a gradient, about 4 MiB. */
export function sourceImage(): Uint8Array<ArrayBuffer> {
  const { side } = IMAGE_REQUEST;
  return encodePng({
    width: side,
    height: side,
    row(y, rgb) {
      for (let x = 0; x < side; x++) rgb.set([x & 255, y & 255, (x + y) & 255], 3 * x);
    },
  });
}

interface ClientReport {
  ms: number[];
  length: number;
  head: string;
  idle: number;
  peak: number;
}

async function runClient(
  impl: string,
  path: string,
  rounds: number,
  env: string,
): Promise<ClientReport> {
  const child = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--quiet",
      new URL("./image_client.ts", import.meta.url).href,
      impl,
      path,
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
 * one warm-up. What could not be measured, and why, goes to `skipped`.
 */
export async function imageScenario(
  rounds: number,
  log: (line: string) => void,
  skipped: Record<string, string>,
  _notes: Record<string, string>,
): Promise<ScenarioResult> {
  const source = sourceImage();
  const path = await Deno.makeTempFile({ suffix: ".png" });
  await Deno.writeFile(path, source);
  await using emu = await startEmulator();
  const env = JSON.stringify({
    url: emu.url,
    accountId: emu.accountId,
    apiToken: emu.apiToken,
    model: IMAGE_REQUEST.model,
    prompt: IMAGE_REQUEST.prompt,
  });
  const out: ScenarioResult = {};
  let bytes = 0;
  try {
    for (const [impl, why] of Object.entries(NOT_HERE)) skipped[impl] = why;
    for (const impl of CLIENTS) {
      emu.reset();
      let report: ClientReport;
      try {
        report = await runClient(impl, path, rounds, env);
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
        payload_bytes: source.length,
      };
    }
  } finally {
    await Deno.remove(path);
  }
  log(
    `  ${source.length} bytes of source image/png, ${bytes} bytes of image/png per answer, ` +
      `${rounds} rounds per client`,
  );
  return out;
}

/** The scenario's section of BENCHMARKS.md (rendered by report.ts). */
export const IMAGE_DOC = {
  title: "image",
  what: (): string =>
    "One image-to-image request (`@cf/runwayml/stable-diffusion-v1-5-img2img`) with a " +
    `${IMAGE_REQUEST.side} × ${IMAGE_REQUEST.side} source PNG of 4 MiB (stored uncompressed) ` +
    "sent as `image_b64`, answered with a PNG the size of the source (about 4 MiB), turned " +
    "into a data URL as a Genkit media part carries it. `raw-fetch`: `fetch` of a JSON body " +
    "with the source's base64 (made once), `arrayBuffer`, the runtime's base64; " +
    "`genkit-raw`: Genkit's smallest model (`ai.defineModel`) whose runner is raw-fetch's " +
    "request, the source's base64 taken from the prompt's data URL; `genkit-floor`: a model " +
    "that answers a new data URL of the same image in process, no network; `cloudflare-ai`: " +
    "`ai.generate` with the source as a media part. Each client in a process of its own " +
    "against an emulator in the suite's process; median of the rounds after one warm-up. " +
    "`peak_mb` is the client process's peak resident memory (the kernel's high-water mark), " +
    "`added_mb` what the calls added to it after set-up, `payload_bytes` the source image. " +
    "Lower is better.",
  metrics: [
    { key: "total_ms", label: "total ms" },
    { key: "peak_mb", label: "peak MB" },
    { key: "added_mb", label: "added MB" },
  ],
  rows: CLIENTS,
};
