/**
 * The performance targets of the plugin, checked against a results file,
 * and the "own cost" of every client that some of them compare.
 *
 * @module
 */
import { FRAMEWORK_FLOOR, IN_PROCESS_FLOOR } from "./common.ts";
import type { ScenarioResult } from "./scenarios.ts";

/** The `scenarios` part of `results.json`. */
export type Scenarios = Record<string, ScenarioResult>;

/** One target and whether the figures meet it. */
export interface TargetCheck {
  /** Scenario name. */
  scenario: string;
  /** The target, in words. */
  target: string;
  /** `true` met, `false` missed, `undefined` not measured. */
  met?: boolean;
  /** The figures behind the verdict. */
  detail: string;
}

/** The peers the plugin is compared with. */
export const PEERS = [
  "compat-oai",
  "workers-ai-provider",
  "langchain",
] as const;

/** The clients with an own cost: the plugin and its peers. */
export const CLIENTS = ["cloudflare-ai", ...PEERS] as const;
/** A client's name. */
export type Client = (typeof CLIENTS)[number];

const PLUGIN = "cloudflare-ai";

function fmt(n: number): string {
  const a = Math.abs(n);
  return a >= 100 ? n.toFixed(0) : a >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** What a client adds in one scenario, and the figures it is computed from. */
export interface OwnCost {
  /** The client's own cost: µs per request (`generate`, `generate-c64`), ms (`stream`). */
  value: number;
  /** The floor subtracted. */
  floor: string;
}

/**
 * The metric whose own cost is taken, per scenario, and how a figure turns
 * into a cost: latencies as they are, throughput as time per request (µs).
 */
export const OWN_COST_METRICS = {
  "generate": { metric: "median_us", unit: "µs", perRequest: false },
  "generate-c64": { metric: "rps", unit: "µs/request", perRequest: true },
  "stream": { metric: "total_ms", unit: "ms", perRequest: false },
  "stream-ttfc": { metric: "ttfc_ms", unit: "ms", perRequest: false },
} as const;

/** A scenario (or the stream's first chunk) with an own cost. */
export type OwnCostScenario = keyof typeof OWN_COST_METRICS;

/**
 * How an own cost is taken: `raw`, the client's figure minus its framework's
 * raw floor (the framework's smallest model running raw-fetch's code);
 * `in-process`, the client's figure minus raw-fetch's minus its framework's
 * in-process floor (the method before the raw floors, kept as a second line).
 */
export type OwnCostMethod = "raw" | "in-process";

/**
 * A client's own cost in a scenario by `method`; for throughput, the same
 * with the time per request (1/rps). `undefined` when a figure is missing.
 */
export function ownCost(
  scenarios: Scenarios,
  scenario: OwnCostScenario,
  client: Client,
  method: OwnCostMethod = "raw",
): OwnCost | undefined {
  const s = scenarios[scenario === "stream-ttfc" ? "stream" : scenario];
  const { metric, perRequest } = OWN_COST_METRICS[scenario];
  const cost = perRequest ? (x: number) => 1e6 / x : (x: number) => x;
  const c = s?.[client]?.[metric];
  if (method === "raw") {
    const floor = FRAMEWORK_FLOOR[client];
    const f = s?.[floor]?.[metric];
    if (c === undefined || f === undefined) return undefined;
    return { value: cost(c) - cost(f), floor };
  }
  if (scenario === "stream-ttfc") return undefined; // the in-process floors have no first token to wait for
  const floor = IN_PROCESS_FLOOR[client];
  const [raw, f] = [s?.["raw-fetch"]?.[metric], s?.[floor]?.[metric]];
  if (c === undefined || raw === undefined || f === undefined) return undefined;
  return { value: cost(c) - cost(raw) - cost(f), floor: `raw-fetch + ${floor}` };
}

/** Checks the plugin's own cost (raw floors) against `peers`'; text for the detail. */
function ownCostCheck(
  scenarios: Scenarios,
  scenario: OwnCostScenario,
  peers: readonly (typeof PEERS)[number][],
): { ok: boolean; text: string } | undefined {
  const mine = ownCost(scenarios, scenario, PLUGIN);
  if (!mine) return undefined;
  const { unit } = OWN_COST_METRICS[scenario];
  const measured = peers.map((p) => [p, ownCost(scenarios, scenario, p)] as const)
    .filter((e): e is readonly [(typeof PEERS)[number], OwnCost] => e[1] !== undefined);
  const lower = measured.filter(([, c]) => c.value < mine.value);
  const list = measured.map(([p, c]) => `${p} ${fmt(c.value)} over ${c.floor}`).join(", ");
  return {
    ok: measured.length === peers.length && lower.length === 0,
    text: `own cost ${fmt(mine.value)} ${unit} over ${mine.floor} (${list})` +
      (lower.length === 0
        ? ", no higher than theirs"
        : `, above ${lower.map(([p]) => p).join(", ")}'s`),
  };
}

const MB = 2 ** 20;

/** Checks every target; a scenario that was not measured gives `met: undefined`. */
export function checkTargets(scenarios: Scenarios): TargetCheck[] {
  const out: TargetCheck[] = [];
  const missing = (scenario: string, target: string, why: string) =>
    out.push({ scenario, target, detail: why });

  // generate
  {
    const target = "median ≤ 1.10× `genkit-raw`; own cost ≤ workers-ai-provider's and " +
      "langchain's (each over its raw floor)";
    const s = scenarios["generate"];
    const cf = s?.[PLUGIN]?.median_us;
    const raw = s?.["genkit-raw"]?.median_us;
    const own = ownCostCheck(scenarios, "generate", ["workers-ai-provider", "langchain"]);
    if (cf === undefined || raw === undefined || !own) {
      missing("generate", target, "not measured");
    } else {
      out.push({
        scenario: "generate",
        target,
        met: cf <= 1.1 * raw && own.ok,
        detail: `${fmt(cf)} µs vs limit ${fmt(1.1 * raw)} µs (= 1.10 × genkit-raw's ${fmt(raw)}), ${
          (cf / raw).toFixed(2)
        }x; ${own.text}`,
      });
    }
  }
  // generate-c64
  {
    const target = "≥ 0.90× `genkit-raw`'s requests/s; own cost per request ≤ each peer's";
    const s = scenarios["generate-c64"];
    const cf = s?.[PLUGIN]?.rps;
    const raw = s?.["genkit-raw"]?.rps;
    const own = ownCostCheck(scenarios, "generate-c64", PEERS);
    if (cf === undefined || raw === undefined || !own) {
      missing("generate-c64", target, "not measured");
    } else {
      out.push({
        scenario: "generate-c64",
        target,
        met: cf >= 0.9 * raw && own.ok,
        detail: `${fmt(cf)} req/s vs limit ${fmt(0.9 * raw)} (= 0.90 × genkit-raw's ${fmt(raw)}), ${
          (cf / raw).toFixed(2)
        }x; ${own.text}`,
      });
    }
  }
  // stream
  {
    const target = "total ≤ 1.05× `genkit-raw`; `ttfc_ms` ≤ `genkit-raw`'s + 1 ms";
    const s = scenarios["stream"];
    const cf = s?.[PLUGIN];
    const raw = s?.["genkit-raw"];
    if (!cf || !raw || cf.ttfc_ms === undefined || raw.ttfc_ms === undefined) {
      missing("stream", target, "not measured");
    } else {
      out.push({
        scenario: "stream",
        target,
        met: cf.total_ms <= 1.05 * raw.total_ms && cf.ttfc_ms <= raw.ttfc_ms + 1,
        detail: `total ${fmt(cf.total_ms)} ms vs limit ${fmt(1.05 * raw.total_ms)} ms (= 1.05 × ` +
          `genkit-raw's ${fmt(raw.total_ms)}), ${(cf.total_ms / raw.total_ms).toFixed(2)}x; ` +
          `first chunk ${fmt(cf.ttfc_ms)} ms vs limit ${fmt(raw.ttfc_ms + 1)} ms (= genkit-raw's ` +
          `${fmt(raw.ttfc_ms)} + 1)`,
      });
    }
  }
  // embed-10k
  {
    const target = "within 1.10x of raw-fetch at the same concurrency";
    const s = scenarios["embed-10k"];
    const cf = s?.[PLUGIN]?.total_ms;
    const raw = s?.["raw-fetch"]?.total_ms;
    if (!s || cf === undefined || raw === undefined) {
      missing("embed-10k", target, "not measured");
    } else {
      out.push({
        scenario: "embed-10k",
        target,
        met: cf <= 1.1 * raw,
        detail: `${fmt(cf)} ms vs limit ${fmt(1.1 * raw)} ms (= 1.10 × raw-fetch's ${fmt(raw)}), ${
          (cf / raw).toFixed(2)
        }x`,
      });
    }
  }
  // embed-ratelimited
  {
    const target = "no failure; within 1.15x of the budget's floor; at most 1.2x the minimum " +
      "requests; ahead of every peer that finishes";
    const s = scenarios["embed-ratelimited"];
    const cf = s?.[PLUGIN];
    const floor = s?.["budget-floor"];
    if (!s || !cf || !floor) {
      missing("embed-ratelimited", target, "not measured");
    } else {
      const finished = PEERS.filter((p) => s[p] && s[p].failed === 0);
      const failed = PEERS.filter((p) => s[p] && s[p].failed !== 0);
      const notBehind = finished.filter((p) => s[p].total_ms <= cf.total_ms);
      const timeOk = cf.total_ms <= 1.15 * floor.total_ms;
      const sentOk = cf.requests_sent <= 1.2 * floor.requests_sent;
      out.push({
        scenario: "embed-ratelimited",
        target,
        met: cf.failed === 0 && timeOk && sentOk && notBehind.length === 0,
        detail:
          `${cf.failed === 0 ? "finished" : "FAILED"}; ${fmt(cf.total_ms)} ms vs limit ${
            fmt(1.15 * floor.total_ms)
          } ms (= 1.15 × the floor's ${fmt(floor.total_ms)}), ${
            (cf.total_ms / floor.total_ms).toFixed(2)
          }x; ${cf.requests_sent} requests vs limit ${
            fmt(1.2 * floor.requests_sent)
          } (= 1.2 × ${floor.requests_sent}), ${
            (cf.requests_sent / floor.requests_sent).toFixed(2)
          }x; ` +
          (notBehind.length === 0
            ? `ahead of ${finished.length === 0 ? "no peer (none finished)" : finished.join(", ")}`
            : `not ahead of ${notBehind.join(", ")}`) +
          (failed.length > 0 ? `; failed: ${failed.join(", ")}` : ""),
      });
    }
  }
  // image and transcribe (bench/image.ts, bench/transcribe.ts)
  for (const scenario of ["image", "transcribe"]) {
    const target = "time ≤ 1.10× `genkit-raw`; peak memory above `genkit-raw`'s ≤ 2× the payload";
    const s = scenarios[scenario];
    const cf = s?.[PLUGIN];
    const raw = s?.["genkit-raw"];
    if (!cf || !raw || cf.peak_mb === undefined || raw.peak_mb === undefined) {
      missing(scenario, target, "not measured");
      continue;
    }
    const payload = cf.payload_bytes / MB;
    const above = cf.peak_mb - raw.peak_mb;
    out.push({
      scenario,
      target,
      met: cf.total_ms <= 1.1 * raw.total_ms && above <= 2 * payload,
      detail: `${fmt(cf.total_ms)} ms vs limit ${fmt(1.1 * raw.total_ms)} ms (= 1.10 × ` +
        `genkit-raw's ${fmt(raw.total_ms)}), ${(cf.total_ms / raw.total_ms).toFixed(2)}x; ` +
        `peak ${fmt(cf.peak_mb)} MB, ${fmt(above)} MB above genkit-raw's ${fmt(raw.peak_mb)} vs ` +
        `limit ${fmt(2 * payload)} MB (= 2 × the ${fmt(payload)} MB payload)`,
    });
  }
  // worker-bundle (bench/worker_bundle.ts)
  {
    const target = "the plugin adds ≤ 60 KB gzip and ≤ 10 ms of startup over Genkit alone";
    const s = scenarios["worker-bundle"];
    const cf = s?.[PLUGIN];
    const base = s?.["genkit-only"];
    if (!cf || !base || cf.startup_ms === undefined || base.startup_ms === undefined) {
      missing("worker-bundle", target, "not measured");
    } else {
      const kb = cf.gzip_kb - base.gzip_kb;
      // The pairwise figure when there is one (see bench/worker_bundle.ts).
      const ms = cf.startup_added_ms ?? cf.startup_ms - base.startup_ms;
      out.push({
        scenario: "worker-bundle",
        target,
        met: kb <= 60 && ms <= 10,
        detail: `${fmt(kb)} KiB gzip added (${fmt(cf.gzip_kb)} vs ${fmt(base.gzip_kb)}); ` +
          `${fmt(ms)} ms of startup added (median of the rounds' differences; medians ` +
          `${fmt(cf.startup_ms)} vs ${fmt(base.startup_ms)} ms)`,
      });
    }
  }
  // embed-batch (bench/embed_batch.ts)
  {
    const target = "no failure, identical vectors, ≤ 1/10 of the synchronous path's requests";
    const s = scenarios["embed-batch"];
    const batch = s?.["cloudflare-ai-batch"];
    const sync = s?.[PLUGIN];
    if (!batch || !sync) {
      missing("embed-batch", target, "not measured");
    } else {
      out.push({
        scenario: "embed-batch",
        target,
        met: batch.failed === 0 && batch.identical === 1 &&
          batch.requests_sent <= sync.requests_sent / 10,
        detail:
          `${batch.failed} failed; vectors ${
            batch.identical === 1 ? "identical" : "NOT identical"
          } to the synchronous path's; ${batch.requests_sent} requests vs limit ${
            fmt(sync.requests_sent / 10)
          } (= the synchronous path's ${sync.requests_sent} / 10); ${
            fmt(batch.total_ms / 1000)
          } s ` +
          `vs ${fmt(sync.total_ms / 1000)} s`,
      });
    }
  }
  // cold-start
  {
    const target = "at most 15 ms added over genkit alone";
    const s = scenarios["cold-start"];
    if (!s?.[PLUGIN] || !s["genkit-only"]) {
      missing("cold-start", target, "not measured");
    } else {
      const added = s[PLUGIN].ms - s["genkit-only"].ms;
      out.push({
        scenario: "cold-start",
        target,
        met: added <= 15,
        detail: `${fmt(added)} ms added (${fmt(s[PLUGIN].ms)} vs ${fmt(s["genkit-only"].ms)} ms)`,
      });
    }
  }
  return out;
}
