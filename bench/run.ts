/**
 * The benchmark suite: `deno task bench` (from the repository root).
 *
 * Starts three emulator processes (plain, with service time, with paced
 * streams; and one more per run of `embed-ratelimited` and `embed-batch`),
 * builds every implementation in this process, runs the scenarios (`image`,
 * `transcribe`, `embed-batch` and `worker-bundle` in processes of their own),
 * prints the targets, then writes `bench/results.json` and `BENCHMARKS.md`.
 *
 * Options: `--quick` (few iterations, writes nothing), `--only=a,b` or bare
 * scenario names (`deno task bench stream`: some scenarios, writes nothing),
 * `--out=dir` (writes `results.json` and `BENCHMARKS.md` into `dir` instead,
 * for any run: to check the report of a partial run).
 *
 * @module
 */
import { type Endpoint, type Impl, IMPLEMENTATIONS, type ImplFactory } from "./common.ts";
import { embedRatelimited } from "./embed_ratelimited.ts";
import { imageScenario } from "./image.ts";
import { startEmulatorProcess } from "./emulator.ts";
import { aiSdkFloor } from "./impls/ai_sdk_floor.ts";
import { aiSdkRaw } from "./impls/ai_sdk_raw.ts";
import { genkitRaw } from "./impls/genkit_raw.ts";
import { langchainRaw } from "./impls/langchain_raw.ts";
import { embedBatchScenario } from "./embed_batch.ts";
import { workerBundleScenario } from "./worker_bundle.ts";
import { cloudflareAi } from "./impls/cloudflare_ai.ts";
import { compatOai } from "./impls/compat_oai.ts";
import { genkitFloor } from "./impls/genkit_floor.ts";
import { langchain } from "./impls/langchain.ts";
import { langchainFloor } from "./impls/langchain_floor.ts";
import { rawFetch } from "./impls/raw_fetch.ts";
import { workersAiProvider } from "./impls/workers_ai_provider.ts";
import { renderReport, type Results } from "./report.ts";
import {
  coldStart,
  embed10k,
  firstChunk,
  FULL,
  generate,
  generateC64,
  PACED_EMULATOR_ARGS,
  PACED_FIRST_TOKEN_MS,
  PACED_TOKEN_MS,
  QUICK,
  type ScenarioResult,
  type Settings,
  stream,
} from "./scenarios.ts";
import { checkTargets } from "./targets.ts";
import { transcribeScenario } from "./transcribe.ts";

const FACTORIES: Record<(typeof IMPLEMENTATIONS)[number], ImplFactory> = {
  "raw-fetch": rawFetch,
  "genkit-raw": genkitRaw,
  "ai-sdk-raw": aiSdkRaw,
  "langchain-raw": langchainRaw,
  "genkit-floor": genkitFloor,
  "ai-sdk-floor": aiSdkFloor,
  "langchain-floor": langchainFloor,
  "cloudflare-ai": cloudflareAi,
  "compat-oai": compatOai,
  "workers-ai-provider": workersAiProvider,
  "langchain": langchain,
};

const SCENARIO_NAMES = [
  "generate",
  "generate-c64",
  "stream",
  "embed-10k",
  "embed-ratelimited",
  "cold-start",
  "transcribe",
  "image",
  "worker-bundle",
  "embed-batch",
];

function parseArgs(args: string[]): { quick: boolean; only?: string[]; out?: string } {
  let quick = false;
  let only: string[] | undefined;
  let out: string | undefined;
  for (const a of args) {
    if (a === "--quick") quick = true;
    else if (a.startsWith("--out=")) out = a.slice("--out=".length);
    else if (a.startsWith("--only=")) {
      only = [...only ?? [], ...a.slice("--only=".length).split(",")];
    } else if (!a.startsWith("-")) {
      only = [...only ?? [], a];
    } else {throw new Error(
        `unknown option ${a} (use --quick, --only=scenario,..., --out=dir or scenario names)`,
      );}
  }
  for (const s of only ?? []) {
    if (!SCENARIO_NAMES.includes(s)) {
      throw new Error(
        `unknown scenario ${s}; scenarios: ${SCENARIO_NAMES.join(", ")}`,
      );
    }
  }
  return { quick, only, out };
}

const started = performance.now();
const log = (line: string) =>
  console.log(
    `[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`,
  );

function machine(): string {
  const parts: string[] = [];
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    const model = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim();
    if (model) parts.push(model);
  } catch { /* not Linux */ }
  const gib = Deno.systemMemoryInfo().total / 2 ** 30;
  parts.push(`${gib.toFixed(0)} GiB`, `${Deno.build.os} ${Deno.build.arch}`);
  return parts.join(", ");
}

function printTable(name: string, result: ScenarioResult): void {
  for (const [impl, metrics] of Object.entries(result)) {
    const figures = Object.entries(metrics).map(([k, v]) => `${k}=${v}`).join(
      "  ",
    );
    console.log(`    ${impl.padEnd(20)} ${figures}`);
  }
  void name;
}

async function main(): Promise<void> {
  const { quick, only, out } = parseArgs(Deno.args);
  const settings: Settings = quick ? QUICK : FULL;
  // A partial run writes only where --out says (to check the report), never over the results.
  const write = (!quick && only === undefined) || out !== undefined;
  const wanted = (s: string) => only === undefined || only.includes(s);
  // Genkit starts its reflection server in dev mode; measure production mode.
  Deno.env.delete("GENKIT_ENV");

  const date = new Date().toISOString();
  log(
    `benchmark suite${quick ? " (quick)" : ""}: ${SCENARIO_NAMES.filter(wanted).join(", ")}`,
  );
  const scenarios: Results["scenarios"] = {};
  const skipped: Record<string, Record<string, string>> = {};
  const problems: Record<string, Record<string, string>> = {};
  const problemsFor = (scenario: string) => problems[scenario] ??= {};
  const notes: Record<string, Record<string, string>> = {};
  const notesFor = (scenario: string) => notes[scenario] ??= {};

  const inProcess = ["generate", "generate-c64", "stream", "embed-10k", "embed-ratelimited"];
  const needServers = inProcess.some(wanted);
  if (needServers) {
    await using text = await startEmulatorProcess(0);
    await using embed = await startEmulatorProcess(20);
    await using paced = await startEmulatorProcess(0, {}, PACED_EMULATOR_ARGS);
    log(
      `emulators on ${new URL(text.url).host}, ${new URL(embed.url).host} (+20 ms) and ` +
        `${new URL(paced.url).host} (streams paced: first token after ${PACED_FIRST_TOKEN_MS} ` +
        `ms, then one every ${PACED_TOKEN_MS} ms)`,
    );
    const impls: Impl[] = [];
    const pacedImpls: Impl[] = [];
    for (const name of IMPLEMENTATIONS) {
      impls.push(await FACTORIES[name](text as Endpoint, embed as Endpoint));
      if (wanted("stream")) {
        pacedImpls.push(await FACTORIES[name](paced as Endpoint, embed as Endpoint));
      }
    }
    const steps: [string, () => Promise<ScenarioResult>][] = [
      ["generate", () => generate(impls, settings, log)],
      ["generate-c64", () => generateC64(impls, settings, log)],
      ["stream", async () => {
        const whole = await stream(impls, settings, log);
        const first = await firstChunk(pacedImpls, settings, log);
        return Object.fromEntries(
          Object.entries(whole).map(([name, m]) => [name, { ...m, ...first[name] }]),
        );
      }],
      ["embed-10k", () => {
        const able = impls.filter((i) => i.embed);
        for (const i of impls.filter((i) => !i.embed)) {
          (skipped["embed-10k"] ??= {})[i.name] = i.embedSkip ?? "no embedder";
          log(`  SKIPPED ${i.name}: ${i.embedSkip}`);
        }
        const raw = impls.find((i) => i.name === "raw-fetch")!;
        const problems = problemsFor("embed-10k");
        return embed10k(able, settings, log, (texts) => raw.embed!(texts), problems);
      }],
      ["embed-ratelimited", () => {
        const raw = impls.find((i) => i.name === "raw-fetch")!;
        const [notes, wrong] = [notesFor("embed-ratelimited"), problemsFor("embed-ratelimited")];
        return embedRatelimited(FACTORIES, settings, log, (t) => raw.embed!(t), notes, wrong);
      }],
    ];
    for (const [name, run] of steps) {
      if (!wanted(name)) continue;
      const t0 = performance.now();
      log(`${name}: start`);
      scenarios[name] = await run();
      log(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      printTable(name, scenarios[name]);
    }
  }
  if (wanted("cold-start")) {
    const t0 = performance.now();
    log("cold-start: start");
    scenarios["cold-start"] = await coldStart(settings, log);
    log(
      `cold-start: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    printTable("cold-start", scenarios["cold-start"]);
  }
  if (wanted("transcribe")) {
    // Its own emulator and one process per client (bench/transcribe.ts).
    log("transcribe: start");
    scenarios.transcribe = await transcribeScenario(settings.transcribeRounds, log);
    printTable("transcribe", scenarios.transcribe);
  }
  if (wanted("image")) {
    // Its own emulator and one process per client (bench/image.ts).
    log("image: start");
    scenarios.image = await imageScenario(
      settings.imageRounds,
      log,
      skipped.image ??= {},
      notesFor("image"),
    );
    printTable("image", scenarios.image);
  }
  if (wanted("worker-bundle")) {
    // Built with the pinned wrangler, started in workerd (bench/worker_bundle.ts).
    const t0 = performance.now();
    log("worker-bundle: start");
    scenarios["worker-bundle"] = await workerBundleScenario(
      settings.workerStarts,
      log,
      skipped["worker-bundle"] ??= {},
    );
    log(`worker-bundle: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    printTable("worker-bundle", scenarios["worker-bundle"]);
  }
  if (wanted("embed-batch")) {
    // One process per path, each against its own rate-limited emulator (bench/embed_batch.ts).
    const t0 = performance.now();
    log("embed-batch: start");
    scenarios["embed-batch"] = await embedBatchScenario(
      settings.batchTexts,
      log,
      notesFor("embed-batch"),
    );
    log(`embed-batch: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    printTable("embed-batch", scenarios["embed-batch"]);
  }

  const results: Results = {
    runtime:
      `deno ${Deno.version.deno} (V8 ${Deno.version.v8}, TypeScript ${Deno.version.typescript})`,
    date,
    cpus: navigator.hardwareConcurrency,
    scenarios,
  };
  const targets = checkTargets(scenarios);
  for (const t of targets) {
    const wrong = problems[t.scenario]?.["cloudflare-ai"];
    if (wrong) {
      t.met = false;
      t.detail = `cloudflare-ai ${wrong}; ${t.detail}`;
    }
  }
  console.log("\nTargets:");
  for (const t of targets) {
    const verdict = t.met === undefined ? "NOT MEASURED" : t.met ? "met" : "MISSED";
    console.log(`  ${t.scenario.padEnd(13)} ${verdict.padEnd(12)} ${t.detail}`);
  }
  const seconds = (performance.now() - started) / 1000;
  if (write) {
    if (out !== undefined) Deno.mkdirSync(out, { recursive: true });
    const dir = out === undefined ? undefined : `${Deno.realPathSync(out)}/`;
    const resultsUrl = dir
      ? new URL(`file://${dir}results.json`)
      : new URL("./results.json", import.meta.url);
    const reportUrl = dir
      ? new URL(`file://${dir}BENCHMARKS.md`)
      : new URL("../BENCHMARKS.md", import.meta.url);
    await Deno.writeTextFile(
      resultsUrl,
      JSON.stringify(results, null, 2) + "\n",
    );
    await Deno.writeTextFile(
      reportUrl,
      renderReport({
        results,
        targets,
        settings,
        machine: machine(),
        skipped,
        problems,
        notes,
        seconds,
      }),
    );
    // Leave both files as the repository's formatter wants them.
    const fmt = await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--quiet", resultsUrl.pathname, reportUrl.pathname],
      cwd: new URL("../", import.meta.url),
      stdout: "null",
      stderr: "inherit",
    }).output();
    if (!fmt.success) throw new Error("deno fmt failed on the results");
    log(`wrote ${resultsUrl.pathname} and ${reportUrl.pathname}`);
  } else {
    log("partial run (--quick or --only): nothing written");
  }
  log(`finished in ${seconds.toFixed(0)} s`);
}

if (import.meta.main) {
  try {
    await main();
    Deno.exit(0);
  } catch (e) {
    console.error(e);
    Deno.exit(1);
  }
}
