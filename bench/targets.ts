/**
 * The performance targets of the plugin, checked against a results file,
 * and the "own cost" of every client that some of them compare.
 *
 * @module
 */
import { FRAMEWORK_FLOOR } from "./common.ts";
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
  /** The framework floor subtracted. */
  floor: string;
}

/**
 * The metric whose own cost is taken, per scenario, and how a figure turns
 * into a cost: latencies as they are, throughput as time per request (µs).
 */
export const OWN_COST_METRICS = {
  "generate": { metric: "median_us", unit: "µs", perRequest: false },
  "stream": { metric: "total_ms", unit: "ms", perRequest: false },
  "generate-c64": { metric: "rps", unit: "µs/request", perRequest: true },
} as const;

/**
 * A client's own cost in a scenario: its figure minus `raw-fetch`'s minus its
 * framework's floor; for throughput, the same with the time per request
 * (1/rps). `undefined` when a figure is missing.
 */
export function ownCost(
  scenarios: Scenarios,
  scenario: keyof typeof OWN_COST_METRICS,
  client: Client,
): OwnCost | undefined {
  const s = scenarios[scenario];
  const { metric, perRequest } = OWN_COST_METRICS[scenario];
  const floor = FRAMEWORK_FLOOR[client];
  const [c, raw, f] = [s?.[client]?.[metric], s?.["raw-fetch"]?.[metric], s?.[floor]?.[metric]];
  if (c === undefined || raw === undefined || f === undefined) return undefined;
  const cost = perRequest ? (x: number) => 1e6 / x : (x: number) => x;
  return { value: cost(c) - cost(raw) - cost(f), floor };
}

/** Checks the plugin's own cost against every peer's; text for the detail. */
function ownCostCheck(
  scenarios: Scenarios,
  scenario: keyof typeof OWN_COST_METRICS,
): { ok: boolean; text: string } | undefined {
  const mine = ownCost(scenarios, scenario, PLUGIN);
  if (!mine) return undefined;
  const { unit } = OWN_COST_METRICS[scenario];
  const peers = PEERS.map((p) => [p, ownCost(scenarios, scenario, p)] as const)
    .filter((e): e is readonly [(typeof PEERS)[number], OwnCost] => e[1] !== undefined);
  const lower = peers.filter(([, c]) => c.value < mine.value);
  const list = peers.map(([p, c]) => `${p} ${fmt(c.value)}`).join(", ");
  return {
    ok: lower.length === 0,
    text: `own cost ${fmt(mine.value)} ${unit} (peers: ${list})` +
      (lower.length === 0
        ? ", no higher than any peer's"
        : `, above ${lower.map(([p]) => p).join(", ")}'s`),
  };
}

/** Checks every target; a scenario that was not measured gives `met: undefined`. */
export function checkTargets(scenarios: Scenarios): TargetCheck[] {
  const out: TargetCheck[] = [];
  const missing = (scenario: string, target: string, why: string) =>
    out.push({ scenario, target, detail: why });

  // generate
  {
    const target = "median within 1.10x of raw-fetch + genkit-floor; faster than compat-oai; " +
      "own cost no higher than any peer's";
    const s = scenarios["generate"];
    const cf = s?.[PLUGIN]?.median_us;
    const own = ownCostCheck(scenarios, "generate");
    if (!s || cf === undefined || !s["raw-fetch"] || !s["genkit-floor"] || !own) {
      missing("generate", target, "not measured");
    } else {
      const floor = s["raw-fetch"].median_us + s["genkit-floor"].median_us;
      const limit = 1.1 * floor;
      const oai = s["compat-oai"]?.median_us;
      const faster = oai !== undefined && cf < oai;
      out.push({
        scenario: "generate",
        target,
        met: cf <= limit && faster && own.ok,
        detail:
          `${fmt(cf)} µs vs limit ${fmt(limit)} µs (= 1.10 × (${fmt(s["raw-fetch"].median_us)} + ${
            fmt(s["genkit-floor"].median_us)
          })), ${(cf / floor).toFixed(2)}x; ` +
          `compat-oai ${oai === undefined ? "not measured" : `${fmt(oai)} µs`}; ${own.text}`,
      });
    }
  }
  // generate-c64
  {
    const target = "at least 0.5x raw-fetch's throughput; above compat-oai; " +
      "own cost per request no higher than any peer's";
    const s = scenarios["generate-c64"];
    const cf = s?.[PLUGIN]?.rps;
    const own = ownCostCheck(scenarios, "generate-c64");
    if (!s || cf === undefined || !s["raw-fetch"] || !own) {
      missing("generate-c64", target, "not measured");
    } else {
      const raw = s["raw-fetch"].rps;
      const oai = s["compat-oai"]?.rps;
      const above = oai !== undefined && cf > oai;
      out.push({
        scenario: "generate-c64",
        target,
        met: cf >= raw / 2 && above && own.ok,
        detail: `${fmt(cf)} req/s = ${(cf / raw).toFixed(2)}x raw-fetch (${fmt(raw)}); ` +
          `compat-oai ${oai === undefined ? "not measured" : `${fmt(oai)} req/s`}; ${own.text}`,
      });
    }
  }
  // stream
  {
    const target = "total within 1.25x of raw-fetch + genkit-floor; faster than compat-oai; " +
      "own cost no higher than any peer's";
    const s = scenarios["stream"];
    const cf = s?.[PLUGIN];
    const own = ownCostCheck(scenarios, "stream");
    if (!s || !cf || !s["raw-fetch"] || !s["genkit-floor"] || !own) {
      missing("stream", target, "not measured");
    } else {
      const floor = s["raw-fetch"].total_ms + s["genkit-floor"].total_ms;
      const limit = 1.25 * floor;
      const oai = s["compat-oai"]?.total_ms;
      const faster = oai !== undefined && cf.total_ms < oai;
      out.push({
        scenario: "stream",
        target,
        met: cf.total_ms <= limit && faster && own.ok,
        detail:
          `${fmt(cf.total_ms)} ms vs limit ${fmt(limit)} ms (= 1.25 × (${
            fmt(s["raw-fetch"].total_ms)
          } + ${fmt(s["genkit-floor"].total_ms)})), ${(cf.total_ms / floor).toFixed(2)}x; ` +
          `compat-oai ${oai === undefined ? "not measured" : `${fmt(oai)} ms`}; ${own.text}`,
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
  // image (bench/image.ts)
  {
    const target = "within 1.20x of raw-fetch";
    const s = scenarios["image"];
    const cf = s?.[PLUGIN]?.total_ms;
    const raw = s?.["raw-fetch"]?.total_ms;
    if (cf === undefined || raw === undefined) {
      missing("image", target, "not measured");
    } else {
      out.push({
        scenario: "image",
        target,
        met: cf <= 1.2 * raw,
        detail: `${fmt(cf)} ms vs limit ${fmt(1.2 * raw)} ms (= 1.20 × raw-fetch's ${fmt(raw)}), ${
          (cf / raw).toFixed(2)
        }x`,
      });
    }
  }
  // transcribe (bench/transcribe.ts)
  {
    const target = "within 1.15x of raw-fetch; at most a third of workers-ai-provider's time; " +
      "bytes sent at most 1.01x the file";
    const s = scenarios["transcribe"];
    const cf = s?.[PLUGIN];
    const raw = s?.["raw-fetch"]?.total_ms;
    if (!cf || cf.total_ms === undefined || raw === undefined) {
      missing("transcribe", target, "not measured");
    } else {
      const wap = s["workers-ai-provider"]?.total_ms;
      const [sent, file] = [cf.bytes_sent, cf.file_bytes];
      const parts = [
        `${fmt(cf.total_ms)} ms vs limit ${fmt(1.15 * raw)} ms (= 1.15 × raw-fetch's ${
          fmt(raw)
        }), ${(cf.total_ms / raw).toFixed(2)}x`,
        wap === undefined
          ? "workers-ai-provider not measured"
          : `${(cf.total_ms / wap).toFixed(2)} of workers-ai-provider's ${fmt(wap)} ms`,
        sent === undefined || file === undefined
          ? "bytes sent not measured"
          : `${sent} bytes sent for a file of ${file} (${(sent / file).toFixed(3)}x)`,
      ];
      out.push({
        scenario: "transcribe",
        target,
        met: cf.total_ms <= 1.15 * raw && wap !== undefined && cf.total_ms <= wap / 3 &&
          sent !== undefined && file !== undefined && sent <= 1.01 * file,
        detail: parts.join("; "),
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
