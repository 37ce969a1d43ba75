/**
 * `transcribe`: a 25 MB audio file (a WAV of a tone) to `@cf/openai/whisper`,
 * with `cloudflare-ai` (Genkit, the file as a data URL), `raw-fetch` (the
 * raw bytes in one `fetch`), `genkit-raw` (Genkit's smallest model whose
 * runner is raw-fetch's request, the bytes decoded from the prompt's data
 * URL), `genkit-floor` (the same prompt to an in-process model that answers
 * at once), `workers-ai-provider`'s transcription model and `ai-sdk-raw`
 * (the AI SDK's smallest transcription model running raw-fetch's request),
 * each in a process of its own (`transcribe_client.ts`) against an emulator
 * in this process. Reports `total_ms` (the median of the rounds),
 * `bytes_sent` (what the emulator received for one request: its recorded
 * raw bytes, or the JSON body's length) and the client process's peak
 * resident memory (`peak_mb`).
 *
 * Run alone with `deno task bench --only=transcribe`.
 *
 * @module
 */
import { tone, wav } from "../src/testing/audio.ts";
import { type RecordedRequest, startEmulator } from "../src/testing/mod.ts";
import type { ScenarioResult } from "./scenarios.ts";
import { median, round } from "./stats.ts";

/** The implementations measured, in table order. */
const CLIENTS = [
  "raw-fetch",
  "genkit-raw",
  "ai-sdk-raw",
  "genkit-floor",
  "cloudflare-ai",
  "workers-ai-provider",
] as const;

/** The size of the audio file. */
export const TRANSCRIBE_BYTES = 25_000_000;

const SAID = "This is the transcription benchmark.";

/** A WAV file of about {@link TRANSCRIBE_BYTES} bytes (16 kHz, 16-bit mono: about 5 minutes). */
function audioFile(): Uint8Array<ArrayBuffer> {
  const header = wav(tone(16000, 0), 16000, "linear16", SAID).length;
  const seconds = (TRANSCRIBE_BYTES - header) / 2 / 16000;
  return wav(tone(16000, seconds), 16000, "linear16", SAID);
}

/** What one request put on the wire. */
function bytesSent(r: RecordedRequest): number {
  if (r.bytes !== undefined) return r.bytes;
  const length = Number(r.headers["content-length"]);
  return Number.isFinite(length) && length > 0 ? length : JSON.stringify(r.body).length;
}

/** Runs the `transcribe` scenario: `rounds` measured requests per client, after one warm-up. */
export async function transcribeScenario(
  rounds: number,
  log: (line: string) => void,
): Promise<ScenarioResult> {
  const file = audioFile();
  const path = await Deno.makeTempFile({ suffix: ".wav" });
  await Deno.writeFile(path, file);
  await using emu = await startEmulator();
  const env = JSON.stringify({ url: emu.url, accountId: emu.accountId, apiToken: emu.apiToken });
  const out: ScenarioResult = {};
  try {
    log(`  ${file.length} bytes of audio/wav, ${rounds} rounds per client`);
    for (const impl of CLIENTS) {
      emu.reset();
      const child = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-all",
          "--quiet",
          new URL("./transcribe_client.ts", import.meta.url).href,
          impl,
          path,
          // workers-ai-provider sends the audio as a JSON array of numbers (3.5x the file)
          // and takes many seconds a call: one timed round after its warm-up.
          String(impl === "workers-ai-provider" ? 1 : rounds),
        ],
        cwd: new URL("./", import.meta.url),
        env: { BENCH_EMULATOR: env },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(child.stdout).trim();
      if (!child.success) {
        throw new Error(`${impl} failed: ${new TextDecoder().decode(child.stderr)}`);
      }
      const report = JSON.parse(text.split("\n").at(-1)!) as {
        ms: number[];
        text: string;
        peakRss: number;
      };
      if (report.text !== SAID) {
        throw new Error(`${impl} transcribed ${JSON.stringify(report.text)}`);
      }
      const sent = emu.requests.filter((r) => r.route === "run").map(bytesSent);
      out[impl] = {
        total_ms: round(median(report.ms), 1),
        // The floor sends nothing: Genkit alone, its model answering in process.
        ...(sent.length > 0 ? { bytes_sent: Math.max(...sent) } : {}),
        file_bytes: file.length,
        payload_bytes: file.length,
        peak_mb: round(report.peakRss / 2 ** 20, 1),
      };
    }
  } finally {
    await Deno.remove(path);
  }
  return out;
}

/** The scenario's section of BENCHMARKS.md (rendered by report.ts). */
export const TRANSCRIBE_DOC = {
  title: "transcribe",
  what: (s: { transcribeRounds: number }): string =>
    `A ${TRANSCRIBE_BYTES / 1e6} MB audio file (a 16 kHz mono WAV) transcribed with ` +
    "`@cf/openai/whisper`. `raw-fetch`: the file's bytes as the body of one `fetch`; " +
    "`genkit-raw`: Genkit's smallest model whose runner decodes the prompt's data URL " +
    "(`Uint8Array.fromBase64`) and sends raw-fetch's request; `ai-sdk-raw`: the AI SDK's " +
    "`experimental_transcribe` with the smallest transcription model sending raw-fetch's " +
    "request; `genkit-floor`: the same prompt to an in-process model that answers at once; " +
    "`cloudflare-ai`: `ai.generate` with the file as a data URL (its `mediaDownloads.maxBytes` " +
    "raised to 32 MiB: the plugin caps every media part of a prompt, inline data included, " +
    "at 10 MiB by default); `workers-ai-provider`: `experimental_transcribe` with its " +
    "transcription model (it sends the audio as a JSON array of numbers, 3.5 times the file, " +
    "and takes many seconds a call: one timed call after its warm-up). Each client in a " +
    "process of its own against an emulator in the suite's process; median of " +
    `${s.transcribeRounds} calls after one warm-up. \`bytes_sent\`: the largest request the ` +
    "emulator received; `peak_mb`: the client process's peak resident memory. " +
    "`langchain-raw` is not here: LangChain has no transcription interface. Lower is better.",
  metrics: [
    { key: "total_ms", label: "total ms" },
    { key: "bytes_sent", label: "bytes sent", ratio: false as const },
    { key: "peak_mb", label: "peak MB" },
  ],
  rows: CLIENTS,
};
