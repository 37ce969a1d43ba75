/**
 * How long 10,000 short texts take through `ai.embedMany` with
 * `@cf/baai/bge-base-en-v1.5` against the emulator (20 ms of service time per
 * request, in its own process so that its CPU is not charged to the client),
 * at several `embedConcurrency` values.
 *
 *   deno run -A bench/embed_concurrency.ts
 *
 * Environment: `LEVELS` (default `1,2,4,8,16,32`), `ROUNDS` (default 5),
 * `SERVICE_MS` (default 20).
 *
 * @module
 */
import process from "node:process";
import { genkit } from "genkit";
import { cloudflareAI } from "../mod.ts";
import { startEmulatorProcess } from "./emulator.ts";

const MODEL = "@cf/baai/bge-base-en-v1.5";
const TEXTS = 10_000;
const ROUNDS = Number(Deno.env.get("ROUNDS") ?? 5);
const LEVELS = (Deno.env.get("LEVELS") ?? "1,2,4,8,16,32").split(",").map(Number);
const SERVICE_MS = Number(Deno.env.get("SERVICE_MS") ?? 20);

const emu = await startEmulatorProcess(SERVICE_MS);

const texts = Array.from(
  { length: TEXTS },
  (_, i) => `Short passage number ${i} about topic ${i % 37} for the embedding benchmark.`,
);

const apps = new Map(LEVELS.map((c) => {
  const ai = genkit({
    promptDir: null,
    plugins: [cloudflareAI({
      accountId: emu.accountId,
      apiToken: emu.apiToken,
      baseUrl: emu.url,
      embedConcurrency: c,
    })],
  });
  return [c, ai] as const;
}));
const embedder = cloudflareAI.embedder(MODEL);

for (const [, ai] of apps) {
  const out = await ai.embedMany({ embedder, content: texts.slice(0, 1000) });
  if (out.length !== 1000 || out[0].embedding.length !== 768) throw new Error("bad warm-up");
}

/** CPU milliseconds the emulator process has used so far (Linux only; NaN elsewhere). */
function emulatorCpuMs(): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${emu.pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, 100 ticks/s
  } catch {
    return NaN;
  }
}

const emuCpu = new Map<number, number[]>(LEVELS.map((c) => [c, []]));
const wall = new Map<number, number[]>(LEVELS.map((c) => [c, []]));
const cpu = new Map<number, number[]>(LEVELS.map((c) => [c, []]));
for (let r = 0; r < ROUNDS; r++) {
  const order = LEVELS.map((_, i) => LEVELS[(i + r) % LEVELS.length]);
  for (const c of order) {
    const ai = apps.get(c)!;
    const cpu0 = process.cpuUsage();
    const emu0 = emulatorCpuMs();
    const t0 = performance.now();
    const out = await ai.embedMany({ embedder, content: texts });
    const ms = performance.now() - t0;
    const used = process.cpuUsage(cpu0);
    emuCpu.get(c)!.push(emulatorCpuMs() - emu0);
    if (out.length !== TEXTS) throw new Error("short result");
    wall.get(c)!.push(ms);
    cpu.get(c)!.push((used.user + used.system) / 1000);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
console.log(
  `${TEXTS} texts, ${MODEL}, ${SERVICE_MS} ms service time per request, ` +
    `${
      Math.ceil(TEXTS / 100)
    } requests; median of ${ROUNDS} runs; ${navigator.hardwareConcurrency} CPUs`,
);
console.log(
  "| embedConcurrency | total ms | texts/s | requests/min | client CPU ms | emulator CPU ms | both / (2 cores × wall) |",
);
console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const c of LEVELS) {
  const w = median(wall.get(c)!);
  const u = median(cpu.get(c)!);
  const e = median(emuCpu.get(c)!);
  const rpm = (Math.ceil(TEXTS / 100) / w) * 60_000;
  console.log(
    `| ${c} | ${w.toFixed(0)} | ${(TEXTS / w * 1000).toFixed(0)} | ${rpm.toFixed(0)} | ${
      u.toFixed(0)
    } | ${e.toFixed(0)} | ${((u + e) / (2 * w) * 100).toFixed(0)}% |`,
  );
}
await emu.stop();
